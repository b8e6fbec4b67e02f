"""Analyses of a call log's cached daily aggregate: volumes, seasonality, forecasts, satisfaction."""

from __future__ import annotations

import fcntl
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import scipy
import statsmodels
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.tools import add_constant
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.seasonal import STL

from analysis import numbers, paths
from analysis.atomic import atomic_path
from analysis.language import say
from analysis.numbers import Finding, KeyNumber
from analysis.records import calllog_aggregate, disclosure
from analysis.topics.satisfaction import wilson_interval


def load_daily(log: Path, window: tuple[str, str] | None = None) -> pd.DataFrame:
    """The log's daily aggregate by category and district (computed once, then read from the cache)."""
    daily = pq.read_table(calllog_aggregate.cached_aggregate(log, window)).to_pandas()
    return daily.assign(day=pd.to_datetime(daily["day"]))


# Results computed once per content and shared (computed_once): a call-log report's languages fit the same models
# on the same aggregate.
SHARED_RESULTS = paths.BUILD / "calllog-shared"
SHARED_KEPT = 8  # results kept per function (the newest): older aggregates' are removed


def content_key(function: Callable, data: pd.DataFrame | pd.Series, *args: Any) -> str:
    """What `function(data, *args)` is a function of: every value, index and dtype of `data` (pandas' row hashes), the
    other arguments, the function's name, the package's code (every module of src/analysis, whichever it calls) and
    the versions of the libraries that compute it."""
    h = hashlib.sha256(f"{function.__module__}.{function.__qualname__} {args!r}".encode())
    h.update(" ".join(f"{m.__name__} {m.__version__}" for m in (np, pd, scipy, statsmodels)).encode())
    h.update(repr((list(data.index.names), data.dtypes.to_dict() if data.ndim == 2 else data.dtype)).encode())
    h.update(repr(list(data.columns) if data.ndim == 2 else data.name).encode())
    h.update(pd.util.hash_pandas_object(data, index=True).to_numpy().tobytes())
    for source in sorted(paths.PACKAGE.rglob("*.py")):
        h.update(source.relative_to(paths.PACKAGE).as_posix().encode() + hashlib.sha256(source.read_bytes()).digest())
    return h.hexdigest()


def computed_once(function: Callable, data: pd.DataFrame | pd.Series, *args: Any, store: Path | None = None) -> Any:
    """`function(data, *args)`, computed by the first process that asks for this content (content_key) and read back,
    exactly (pickled), by every later one: the English and Chinese call-log reports fit the same GLM and forecast on
    the same aggregate, side by side in one build. A process asking while another computes waits for it (a lock per
    key) rather than computing it too. A changed aggregate (a regenerated partition), argument or module is another
    key: computed afresh, never served from an older one."""
    store = SHARED_RESULTS if store is None else store
    key = content_key(function, data, *args)
    name = f"{function.__module__}.{function.__qualname__}"
    result_path = store / f"{name}.{key}.pickle"
    store.mkdir(parents=True, exist_ok=True)
    with open(store / f"{name}.{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with result_path.open("rb") as kept:
                return pickle.load(kept)
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        result = function(data, *args)
        with atomic_path(result_path) as tmp:
            tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    for old in sorted(store.glob(f"{name}.*.pickle"), key=lambda p: p.stat().st_mtime_ns)[:-SHARED_KEPT]:
        old.unlink(missing_ok=True)
        old.with_suffix(".lock").unlink(missing_ok=True)
    return result


def daily_totals(daily: pd.DataFrame) -> pd.Series:
    """Calls per day, every day of the window present."""
    totals = daily.groupby("day")["calls"].sum()
    return totals.asfreq("D", fill_value=0)


def monthly_totals(daily: pd.DataFrame) -> pd.Series:
    """Calls per calendar month."""
    return daily_totals(daily).resample("MS").sum()


def published_check(daily: pd.DataFrame, published: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Volumes of the printed periods the log covers, against the (scaled) interval each printed figure allows.

    A log reproduces a figure when its volume lies in [value_low, value_high] times `scale`: both ends,
    whatever the qualifier (6400余万 is 6400万 to 6500万; an exact 1486万 is 1485.5万 to 1486.5万).
    """
    totals = daily_totals(daily)
    first, last = f"{totals.index.min():%Y-%m-%d}", f"{totals.index.max():%Y-%m-%d}"
    inside = published[(published["period_start"] >= first) & (published["period_end"] <= last)]
    rows = []
    for figure in inside.itertuples():
        observed = int(totals[figure.period_start : figure.period_end].sum())
        low, high = float(figure.value_low) * scale, float(figure.value_high) * scale
        rows.append(
            {
                "period": figure.period_as_printed,
                "published": int(round(float(figure.value) * scale)),
                "qualifier": figure.qualifier,
                "log": observed,
                "holds": low <= observed <= high,
                "figure_id": figure.figure_id,
            }
        )
    return pd.DataFrame(rows)


def published_check_shown(check: pd.DataFrame) -> pd.DataFrame:
    """The volume check as it may be printed: each period's log volume through the disclosure gate (the
    periods overlap and add up to no printed total, so each is one cell of its own), its verdict with it."""
    return disclosure.protect(check, "log", derived=["holds"])


def calls_by_month_and_category_shown(monthly_by_category: pd.DataFrame) -> pd.DataFrame:
    """Monthly calls per category as a chart may draw them: a month's categories and its total (drawn in the
    decomposition) form a line, so a hidden cell takes a second one of its month with it; hidden cells are NaN."""
    table = monthly_by_category.assign(_total=monthly_by_category.sum(axis=1))
    cells = table.stack()
    lines = [[(month, column) for column in table.columns] for month in table.index]
    hidden = disclosure.suppression_pattern(cells, lines).unstack()[table.columns]
    return monthly_by_category.mask(hidden[monthly_by_category.columns].astype(bool))


def growth_shown(growth_table: pd.DataFrame) -> pd.DataFrame:
    """Monthly growth as it may be printed: a month with few calls is hidden, and with it every growth rate
    that has it as its base (a rate and the next month's calls would give it back)."""
    small = growth_table["calls"].map(disclosure.unsafe).astype(bool)
    shown = disclosure.protect(growth_table, "calls", derived=["month_on_month", "year_on_year"])
    for column, lag in (("month_on_month", 1), ("year_on_year", 12)):
        shown.loc[small.shift(lag, fill_value=False).to_numpy(), column] = ""
    return shown


def growth(monthly: pd.Series) -> pd.DataFrame:
    """Month-on-month and year-on-year growth of monthly volume."""
    return pd.DataFrame(
        {"calls": monthly, "month_on_month": monthly.pct_change(), "year_on_year": monthly.pct_change(12)}
    )


def decompose(monthly: pd.Series) -> pd.DataFrame:
    """Seasonal-trend decomposition (STL, yearly period, robust to the 2022 surge)."""
    fit = STL(monthly.astype(float), period=12, robust=True).fit()
    return pd.DataFrame({"observed": fit.observed, "trend": fit.trend, "seasonal": fit.seasonal, "resid": fit.resid})


def forecast_against_naive(totals: pd.Series, holdout_days: int = 56, alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Exponential smoothing (weekly seasonality) fitted before a held-out final stretch, against a
    seasonal-naive forecast (the same weekday one week earlier, repeated); errors on the holdout."""
    train, test = totals.iloc[:-holdout_days].astype(float), totals.iloc[-holdout_days:].astype(float)
    model = ETSModel(train, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=7)
    fit = model.fit(disp=False, maxiter=200)
    prediction = fit.get_prediction(start=len(train), end=len(train) + holdout_days - 1).summary_frame(alpha=alpha)
    last_week = train.iloc[-7:].to_numpy()
    naive = np.resize(last_week, holdout_days)
    frame = pd.DataFrame(
        {
            "actual": test.to_numpy(),
            "forecast": prediction["mean"].to_numpy(),
            "low": prediction["pi_lower"].to_numpy(),
            "high": prediction["pi_upper"].to_numpy(),
            "naive": naive,
        },
        index=test.index,
    )

    def errors(predicted: np.ndarray) -> tuple[float, float]:
        gap = np.abs(frame["actual"].to_numpy() - predicted)
        return float(gap.mean()), float((gap / frame["actual"].to_numpy()).mean())

    ets_mae, ets_mape = errors(frame["forecast"].to_numpy())
    naive_mae, naive_mape = errors(naive)
    coverage = float(((frame["actual"] >= frame["low"]) & (frame["actual"] <= frame["high"])).mean())
    return frame, {
        "ets_mae": ets_mae,
        "ets_mape": ets_mape,
        "naive_mae": naive_mae,
        "naive_mape": naive_mape,
        "interval_coverage": coverage,
    }


def satisfaction_by_category(daily: pd.DataFrame) -> pd.DataFrame:
    """Satisfied share of rated calls per category with a Wilson interval, through the disclosure gate.

    A category is not estimated when its rated calls, or its satisfied or its unsatisfied calls (which
    its share and rated count give back), are fewer than the threshold.
    """
    counts = daily.groupby("category")[["rated", "satisfied"]].sum().reset_index()
    rows = []
    for row in counts.itertuples(index=False):
        if any(disclosure.unsafe(n) for n in (row.rated, row.satisfied, row.rated - row.satisfied)):
            rows.append(
                {"category": row.category, "rated": disclosure.MARK, "satisfied_share": None, "low": None, "high": None}
            )
            continue
        low, high = wilson_interval(int(row.satisfied), int(row.rated))
        rows.append(
            {
                "category": row.category,
                "rated": int(row.rated),
                "satisfied_share": row.satisfied / row.rated,
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows)


def estimable_categories(daily: pd.DataFrame) -> pd.Index:
    """The categories the disclosure gate lets satisfaction_by_category estimate: rated, satisfied and unsatisfied
    calls each at least the threshold."""
    counts = daily.groupby("category")[["rated", "satisfied"]].sum()
    unsafe = counts["rated"].map(disclosure.unsafe) | counts["satisfied"].map(disclosure.unsafe)
    return counts.index[~(unsafe | (counts["rated"] - counts["satisfied"]).map(disclosure.unsafe))]


def district_day_groups(cells: pd.DataFrame) -> np.ndarray:
    """One label per district-day, numbered in order of first appearance (pd.factorize of the pairs): factorised
    as one integer per pair (the day's number times the districts' count, plus the district's), not as a
    MultiIndex of strings and timestamps, which took longer than the rest of the grouping."""
    district = pd.factorize(cells["district"])[0].astype(np.int64)
    day = cells["day"].to_numpy().astype("datetime64[D]").astype(np.int64)
    return pd.factorize(day * (int(district.max(initial=0)) + 1) + district)[0]


def satisfaction_glm(daily: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Binomial GLM of satisfaction on category, fitted on the log's day × district × category cells: odds ratios
    against `reference` (the log's vocabulary's) with 95% intervals clustered by district-day, and how much wider
    those are than intervals that take every rating as independent (`se_ratio`, clustered over naive).

    Ratings of one district on one day share that day's conditions (a backlog, a storm, one team on duty), so they
    are not independent; the cluster-robust (sandwich) covariance lets them correlate within a district-day, in any
    way, across categories too. The estimates are the unclustered fit's: category alone is in the model.
    """
    cells = daily[daily["category"].isin(estimable_categories(daily)) & (daily["rated"] > 0)]
    design = add_constant(pd.get_dummies(cells["category"], dtype=float).drop(columns=reference))
    endog = np.column_stack([cells["satisfied"], cells["rated"] - cells["satisfied"]])
    district_day = district_day_groups(cells)
    # One fit: the clustered fit's estimates are the unclustered one's (the same IRLS), and so is its unclustered
    # covariance (normalized_cov_params times the scale, what a nonrobust fit reports): a second fit for it cost
    # half the report's GLM time.
    fit = GLM(endog, design.to_numpy(), family=families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": district_day}
    )
    naive_bse = np.sqrt(np.diag(fit.normalized_cov_params * fit.scale))
    low, high = fit.conf_int().T
    return (
        pd.DataFrame(
            {
                "term": design.columns,
                "odds_ratio": np.exp(fit.params),
                "low": np.exp(low),
                "high": np.exp(high),
                "p_value": fit.pvalues,
                "se_ratio": fit.bse / naive_bse,
            }
        )
        .iloc[1:]
        .reset_index(drop=True)
    )


def log_findings(
    daily: pd.DataFrame,
    check: pd.DataFrame,
    scores: dict,
    by_category: pd.DataFrame,
    prefix: str,
    synthetic: bool = False,
) -> tuple[list[Finding], list[KeyNumber]]:
    """What a call log establishes: forecast accuracy, least satisfied category, and, on a real log, the
    published volumes it reproduces.

    The forecast errors, the satisfaction shares and the call total rest on the log alone (the report
    cites its data set), not on published figures. The volume check rests on the figures it is checked
    against; on a SYNTHETIC log it is the generator's calibration (checked by tests), not a finding.
    """
    held = int((check["holds"] == True).sum())  # noqa: E712 (a hidden verdict is '', not False)
    ids = tuple(check["figure_id"])
    better = scores["ets_mape"] < scores["naive_mape"]
    mape = {"ets": numbers.share(scores["ets_mape"]), "naive": numbers.share(scores["naive_mape"])}
    findings = (
        []
        if synthetic
        else [Finding(say("calllog.finding.reproduced", prefix=prefix, held=held, total=len(check)), ids)]
    )
    findings.append(
        Finding(
            say(
                "calllog.finding.smoothing_better" if better else "calllog.finding.naive_as_good", prefix=prefix, **mape
            )
        )
    )
    rated = by_category.dropna(subset=["satisfied_share"])
    lowest = rated.sort_values("satisfied_share").iloc[0] if len(rated) else None
    if lowest is not None:
        findings.append(
            Finding(
                say(
                    "calllog.finding.least_satisfied",
                    prefix=prefix,
                    category=lowest["category"],
                    share=numbers.share(float(lowest["satisfied_share"])),
                ),
            )
        )
    total = int(daily["calls"].sum())
    key_numbers = [KeyNumber("calls", say("calllog.key.calls"), total, "calls", disclosure.shown_count(total), ())]
    if not synthetic:
        key_numbers.append(
            KeyNumber("published", say("calllog.key.published"), held, "checks", f"{held}/{len(check)}", ids)
        )
    key_numbers += [
        KeyNumber("ets_mape", say("calllog.key.ets_mape"), scores["ets_mape"], "fraction", mape["ets"], ()),
        KeyNumber("naive_mape", say("calllog.key.naive_mape"), scores["naive_mape"], "fraction", mape["naive"], ()),
    ]
    if lowest is not None:
        key_numbers.append(
            KeyNumber(
                "lowest_satisfaction",
                say("calllog.key.lowest_satisfaction", category=lowest["category"]),
                float(lowest["satisfied_share"]),
                "fraction",
                numbers.share(float(lowest["satisfied_share"])),
                (),
            )
        )
    return findings, key_numbers
