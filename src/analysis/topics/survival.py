"""Exit curves and hazards from a caseload registry, with left truncation handled."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from analysis import numbers
from analysis.calendar import DAYS_PER_YEAR
from analysis.language import say
from analysis.numbers import Finding, KeyNumber
from analysis.records import disclosure
from analysis.records.privacy import MIN_CELL, at_risk_floor


def _years_between(start: pd.Series, end: pd.Series) -> np.ndarray:
    return (pd.to_datetime(end) - pd.to_datetime(start)).dt.days.to_numpy() / DAYS_PER_YEAR


def survival_spells(registry: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per spell observed in [start, end]: time on file, exit flag and left-truncation time.

    Time runs from the spell's entry date. A spell that began before `start` is only seen from
    `start` on, so it enters the risk set late (at start - entry); ignoring that would overstate
    how long households stay. Spells still open at `end` are censored there.
    """
    seen = registry[(registry["entry_date"] <= end) & ((registry["exit_date"] == "") | (registry["exit_date"] > start))]
    closes = seen["exit_date"].where((seen["exit_date"] != "") & (seen["exit_date"] <= end), end)
    spells = seen.assign(
        time=_years_between(seen["entry_date"], closes),
        exited=((seen["exit_date"] != "") & (seen["exit_date"] <= end)).astype(int).to_numpy(),
        entry=np.maximum(0.0, _years_between(seen["entry_date"], pd.Series(start, index=seen.index))),
    )
    # A spell that enters and leaves on the same day is given half a day on file.
    return spells.assign(time=np.maximum(spells["time"], spells["entry"] + 0.5 / DAYS_PER_YEAR))


def kaplan_meier(spells: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Kaplan-Meier exit curve (share still on file), left-truncated, with a pointwise confidence band.

    statsmodels gives the Greenwood standard error; the band is taken on the log scale,
    S * exp(+-z se / S), which keeps it inside (0, 1] near the start of the curve.
    """
    fit = SurvfuncRight(spells["time"].to_numpy(), spells["exited"].to_numpy(), entry=spells["entry"].to_numpy())
    z = norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # S = 0 at the very end of a curve
        spread = np.exp(z * fit.surv_prob_se / fit.surv_prob)
    low, high = fit.surv_prob / spread, np.minimum(1.0, fit.surv_prob * spread)
    return pd.DataFrame(
        {
            "time": fit.surv_times,
            "still_on_file": fit.surv_prob,
            "low": low,
            "high": high,
            "at_risk": fit.n_risk,
            "exits": fit.n_events,
        }
    )


def curves_by_group(spells: pd.DataFrame, group: str, min_cell: int = MIN_CELL) -> dict[str, pd.DataFrame]:
    """A curve per group, each cut where fewer than `min_cell` households remain at risk."""
    return {
        str(name): at_risk_floor(kaplan_meier(part), min_cell=min_cell)
        for name, part in spells.groupby(group, sort=True)
    }


def logrank(spells: pd.DataFrame, group: str) -> tuple[float, float, int]:
    """Log-rank test of equal exit curves across groups (left truncation respected): chi2, p, df."""
    chi2, pvalue = survdiff(
        spells["time"].to_numpy(),
        spells["exited"].to_numpy(),
        spells[group].to_numpy(),
        entry=spells["entry"].to_numpy(),
    )
    return float(chi2), float(pvalue), int(spells[group].nunique() - 1)


@dataclass(frozen=True)
class CoxFit:
    """A Cox model of exit: coefficients with clustered and naive covariances, and what the checks need."""

    terms: tuple[str, ...]
    params: np.ndarray
    cov: np.ndarray  # robust, clustered by household (spells of one household are not independent)
    naive_cov: np.ndarray  # model-based, as if every spell were independent
    schoenfeld: np.ndarray  # one row per exit (NaN rows dropped), one column per term
    exit_times: np.ndarray
    spells: dict[str, int]
    households: dict[str, int]


def _design(spells: pd.DataFrame, factors: dict[str, str]) -> pd.DataFrame:
    """Indicator columns, one per level but the reference of each factor (column=level)."""
    return pd.concat(
        [
            pd.get_dummies(spells[column], prefix=column, prefix_sep="=", dtype=float).drop(
                columns=f"{column}={reference}"
            )
            for column, reference in factors.items()
        ],
        axis=1,
    )


def cox_fit(spells: pd.DataFrame, factors: dict[str, str], cluster: str = "household_id") -> CoxFit:
    """Cox model of exit (Efron ties, left-truncated) with standard errors clustered by `cluster`.

    `factors` maps a column to its reference level. statsmodels' `PHReg.fit(groups=)` gives the robust
    (sandwich) covariance summed over each household's spells; the model-based one is kept beside it.
    """
    design = _design(spells, factors)
    model = PHReg(
        spells["time"].to_numpy(),
        design.to_numpy(),
        status=spells["exited"].to_numpy(),
        entry=spells["entry"].to_numpy(),
        ties="efron",
    )
    naive = model.fit()
    robust = model.fit(groups=spells[cluster].to_numpy())
    residuals = naive.schoenfeld_residuals
    rows = ~np.isnan(residuals).any(axis=1)
    return CoxFit(
        tuple(design.columns),
        np.asarray(robust.params),
        np.asarray(robust.cov_params()),
        np.asarray(naive.cov_params()),
        residuals[rows],
        spells["time"].to_numpy()[rows],
        {name: int(design[name].sum()) for name in design.columns},
        {name: int(spells.loc[design[name] == 1, cluster].nunique()) for name in design.columns},
    )


def hazard_ratios(
    spells: pd.DataFrame, factors: dict[str, str], alpha: float = 0.05, fit: CoxFit | None = None
) -> pd.DataFrame:
    """Hazard ratio of exit and its interval (clustered by household) per level against its reference.

    `naive_se` is the standard error as if every spell were independent, shown beside the clustered `se`.
    """
    fit = cox_fit(spells, factors) if fit is None else fit
    z = norm.ppf(1 - alpha / 2)
    se, naive_se = np.sqrt(np.diag(fit.cov)), np.sqrt(np.diag(fit.naive_cov))
    wald = fit.params / se
    return pd.DataFrame(
        {
            "term": list(fit.terms),
            "hazard_ratio": np.exp(fit.params),
            "low": np.exp(fit.params - z * se),
            "high": np.exp(fit.params + z * se),
            "p_value": 2 * norm.sf(np.abs(wald)),
            "se": se,
            "naive_se": naive_se,
            "spells": [fit.spells[t] for t in fit.terms],
            "households": [fit.households[t] for t in fit.terms],
        }
    )


def contrasts(fit: CoxFit, column: str, reference: str, alpha: float = 0.05) -> pd.DataFrame:
    """Every pair of `column`'s levels: hazard ratio of `level` against `other`, with its clustered interval.

    The reference level has coefficient 0; a pair's log ratio is the difference of two coefficients, its
    variance var(a) + var(b) - 2 cov(a, b) (the clustered covariance).
    """
    prefix = f"{column}="
    levels = [reference] + [t.removeprefix(prefix) for t in fit.terms if t.startswith(prefix)]
    index = {t: i for i, t in enumerate(fit.terms)}
    z = norm.ppf(1 - alpha / 2)
    rows = []
    for level in levels:
        for other in levels:
            if level == other:
                continue
            weights = np.zeros(len(fit.terms))
            if level != reference:
                weights[index[prefix + level]] += 1
            if other != reference:
                weights[index[prefix + other]] -= 1
            estimate, se = weights @ fit.params, float(np.sqrt(weights @ fit.cov @ weights))
            rows.append(
                {
                    "level": level,
                    "other": other,
                    "hazard_ratio": float(np.exp(estimate)),
                    "low": float(np.exp(estimate - z * se)),
                    "high": float(np.exp(estimate + z * se)),
                }
            )
    return pd.DataFrame(rows, columns=["level", "other", "hazard_ratio", "low", "high"])


def slowest(pairs: pd.DataFrame) -> tuple[list[str], pd.Series]:
    """The levels that may leave most slowly: the one with the lowest hazard and every level whose
    interval against it includes 1 (they cannot be told apart). Returns them, lowest first, and the
    pair that decides: the lowest against the next lowest (separated when its interval excludes 1)."""
    levels = list(dict.fromkeys(pairs["level"]))
    # The level whose hazard ratio against every other is below 1 at the point estimate.
    lowest = min(levels, key=lambda lv: pairs.loc[pairs["level"] == lv, "hazard_ratio"].max())
    against = pairs[pairs["level"] == lowest].sort_values("hazard_ratio", ascending=False, kind="stable")
    tied = against[against["high"] >= 1]
    return [lowest, *tied["other"]], against.iloc[0]


def proportional_hazards_check(fit: CoxFit) -> pd.DataFrame:
    """Grambsch-Therneau test per term and globally: do the Schoenfeld residuals trend with time on file?

    The time scale is the rank of the exit time (the centred ranks g). Per term j, with d exits and the
    model-based covariance V: chi2_j = (g' r_j)^2 d V_jj / sum g^2, where r_j is the term's column of
    residuals scaled by d V (so the formula reads (sum g (d V r)_j)^2 / (d V_jj sum g^2)); globally
    d (R'g)' V (R'g) / sum g^2, with as many degrees of freedom as terms (Grambsch and Therneau,
    Biometrika 81, 1994; the approximation of R's cox.zph before survival 3.0).
    """
    d = len(fit.exit_times)
    g = pd.Series(fit.exit_times).rank(method="average").to_numpy()
    g = g - g.mean()
    scaled = d * fit.schoenfeld @ fit.naive_cov  # d V r_k, one row per exit
    u = fit.schoenfeld.T @ g
    terms = (scaled.T @ g) ** 2 / (d * np.diag(fit.naive_cov) * (g @ g))
    overall = d * (u @ fit.naive_cov @ u) / (g @ g)
    frame = pd.DataFrame({"term": list(fit.terms), "chi2": terms, "df": 1, "p_value": chi2.sf(terms, 1)})
    whole = pd.DataFrame(
        {"term": ["global"], "chi2": [overall], "df": [len(fit.terms)], "p_value": [chi2.sf(overall, len(fit.terms))]}
    )
    return pd.concat([frame, whole], ignore_index=True)


def reference_levels(
    spells: pd.DataFrame, wanted: dict[str, str], unit: str = "household_id", avoid: tuple[str, ...] = ()
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The reference level of each factor: the vocabulary's, or, where the disclosure gate merged it away,
    the largest remaining group by `unit` that is not one of `avoid` (the gate's merged groups, unless
    nothing else is left). Returns the references and (column, wanted, chosen) per change."""
    chosen, changed = {}, []
    for column, level in wanted.items():
        if (spells[column] == level).any():
            chosen[column] = level
            continue
        sizes = spells.groupby(column)[unit].nunique().sort_values(ascending=False, kind="stable")
        sizes = sizes[~sizes.index.isin(avoid)] if (~sizes.index.isin(avoid)).any() else sizes
        chosen[column] = str(sizes.index[0])
        changed.append((column, level, chosen[column]))
    return chosen, changed


def _as_of(registry: pd.DataFrame, end: str) -> pd.DataFrame:
    """The registry as known at the end of `end`: later spells dropped, later exits still open."""
    known = registry[registry["entry_date"] <= end]
    return known.assign(exit_date=known["exit_date"].where(known["exit_date"] <= end, ""))


def reference_notes(changed: list[tuple[str, str, str]]) -> list[str]:
    """A sentence per reference level the disclosure gate merged away, naming the level used instead."""
    return [say("survival.reference_replaced", column=c, wanted=w, chosen=ch) for c, w, ch in changed]


def reentry(registry: pd.DataFrame, end: str | None = None) -> dict[str, float]:
    """How many households that left came back (by `end`, when given), and after how long: raw counts,
    not adjusted for how long each exit was followed (`return_incidence` is)."""
    registry = registry if end is None else _as_of(registry, end)
    ordered = registry.sort_values(["household_id", "entry_date"], kind="stable")
    next_entry = ordered.groupby("household_id")["entry_date"].shift(-1)
    exits = ordered[ordered["exit_date"] != ""]
    returned = exits[next_entry[exits.index].notna()]
    gaps = _years_between(returned["exit_date"], next_entry[returned.index])
    households_left = exits["household_id"].nunique()
    households_back = returned["household_id"].nunique()
    return {
        "households_left": households_left,
        "households_returned": households_back,
        "share_returned": households_back / households_left if households_left else float("nan"),
        "median_years_to_return": float(np.median(gaps)) if len(gaps) else float("nan"),
    }


def reentry_spells(registry: pd.DataFrame, end: str) -> pd.DataFrame:
    """One row per exit on or before `end`: years from the exit to the household's next entry (returned=1),
    or to `end` when it has not come back by then (censored). `spell_number` counts a household's spells from 1."""
    ordered = registry.sort_values(["household_id", "entry_date"], kind="stable")
    next_entry = ordered.groupby("household_id")["entry_date"].shift(-1)
    number = ordered.groupby("household_id").cumcount() + 1
    left = (ordered["exit_date"] != "") & (ordered["exit_date"] <= end)
    exits = ordered[left]
    back = next_entry[exits.index].notna() & (next_entry[exits.index] <= end)
    until = next_entry[exits.index].where(back, end)
    time = _years_between(exits["exit_date"], until)
    return pd.DataFrame(
        {
            "household_id": exits["household_id"].to_numpy(),
            "spell_number": number[exits.index].to_numpy(),
            "entry": 0.0,
            # A return on the day of the exit is given half a day away.
            "time": np.maximum(time, 0.5 / DAYS_PER_YEAR),
            "exited": back.astype(int).to_numpy(),
        }
    )


def return_incidence(reentries: pd.DataFrame, years: list[float] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Share of exits followed by a return within t years (1 - Kaplan-Meier of time to return), with its band.

    By default t is each whole year at which at least `MIN_CELL` exits are still followed. `returns` counts
    the returns by t, `followed` the exits still at risk at t.
    """
    columns = ["years", "returned", "low", "high", "returns", "followed"]
    if reentries.empty:
        return pd.DataFrame(columns=columns)
    curve = kaplan_meier(reentries, alpha)
    if years is None:
        longest = int(np.floor(reentries["time"].max()))
        years = [t for t in range(1, longest + 1) if (reentries["time"] >= t).sum() >= MIN_CELL]
    rows = []
    for t in years:
        before = curve[curve["time"] <= t]
        survive = before.iloc[-1] if len(before) else None
        rows.append(
            {
                "years": t,
                "returned": 0.0 if survive is None else 1 - survive["still_on_file"],
                "low": 0.0 if survive is None else 1 - survive["high"],
                "high": 0.0 if survive is None else 1 - survive["low"],
                "returns": int(((reentries["time"] <= t) & (reentries["exited"] == 1)).sum()),
                "followed": int((reentries["time"] >= t).sum()),
            }
        )
    return pd.DataFrame(rows)


def return_curve(reentries: pd.DataFrame, alpha: float = 0.05, min_cell: int = MIN_CELL) -> tuple[pd.DataFrame, float]:
    """The cumulative share of exits followed by a return (1 − Kaplan–Meier of time from exit to the next entry,
    censored at the window's end), with its pointwise band, from 0 at the exit; and where it stops.

    Disclosure control: the curve is kept only while at least `min_cell` exits are still followed. It stops at the
    last time that holds (the `min_cell`-th longest follow-up), so no part of it rests on a smaller risk set; with
    fewer exits than that there is no curve (an empty frame, stop NaN).
    """
    columns = ["time", "returned", "low", "high", "at_risk"]
    times = np.sort(reentries["time"].to_numpy())
    if len(times) < min_cell:
        return pd.DataFrame(columns=columns), float("nan")
    stop = float(times[-min_cell])  # from just after this, fewer than min_cell exits remain followed
    curve = at_risk_floor(kaplan_meier(reentries, alpha), min_cell=min_cell)
    curve = curve[curve["time"] <= stop]
    start = pd.DataFrame({"time": [0.0], "returned": [0.0], "low": [0.0], "high": [0.0], "at_risk": [len(times)]})
    steps = pd.DataFrame(
        {
            "time": curve["time"],
            "returned": 1 - curve["still_on_file"],
            "low": 1 - curve["high"],
            "high": 1 - curve["low"],
            "at_risk": curve["at_risk"],
        }
    )
    return pd.concat([start, steps], ignore_index=True)[columns], stop


def median_time_on_file(spells: pd.DataFrame, group: str) -> pd.DataFrame:
    """Median years on file per group (left-truncated Kaplan-Meier), with the group's households and spells.

    Groups are expected to have passed `disclosure.merge_small_groups`; a group still below the
    threshold is left out rather than estimated.
    """
    rows = []
    for name, part in spells.groupby(group, sort=True):
        households = part["household_id"].nunique()
        if disclosure.unsafe(households):
            continue
        fit = SurvfuncRight(part["time"].to_numpy(), part["exited"].to_numpy(), entry=part["entry"].to_numpy())
        rows.append(
            {group: name, "households": households, "spells": len(part), "median_years": float(fit.quantile(0.5))}
        )
    return pd.DataFrame(rows)


def published_check_shown(check: pd.DataFrame) -> pd.DataFrame:
    """The registry-against-published table as it may be printed: its registry counts through the gate.

    Each date's total and the parts of each of its breakdowns form a line that adds up; a suppressed
    registry count also blanks its 'matches' flag (a match would give it back from the published column).
    """
    dimension = check["breakdown"].str.split("=", n=1).str[0]
    lines = []
    for _date, rows in check.groupby("date", sort=False):
        totals = list(rows.index[rows["breakdown"] == "total"])
        for _name, parts in rows[rows["breakdown"] != "total"].groupby(dimension[rows.index], sort=False):
            lines.append([*parts.index, *totals])
    return disclosure.protect(check, "registry", lines, derived=["matches"])


def reentry_shown(returns: dict[str, float]) -> dict[str, float | int | str]:
    """Return to the file as it may be printed: households that came back and that did not, a line with
    the households that left; a suppressed count takes its share and median gap with it."""
    parts = pd.Series(
        {
            "returned": returns["households_returned"],
            "not_returned": returns["households_left"] - returns["households_returned"],
            "left": returns["households_left"],
        }
    )
    suppressed = disclosure.suppression_pattern(parts, [["returned", "not_returned", "left"]])
    if not suppressed["returned"]:
        return dict(returns)
    return {
        "households_left": disclosure.MARK if suppressed["left"] else returns["households_left"],
        "households_returned": disclosure.MARK,
        "share_returned": float("nan"),
        "median_years_to_return": float("nan"),
    }


def return_incidence_shown(incidence: pd.DataFrame) -> pd.DataFrame:
    """The return curve's rows that may be printed: none resting on fewer than `THRESHOLD` returns or exits
    still followed (a share from a small count gives the count back)."""
    small = incidence["returns"].map(disclosure.unsafe) | incidence["followed"].map(disclosure.unsafe)
    return incidence[~small].reset_index(drop=True)


def p_text(p: float) -> str:
    """A p value as a sentence prints it: 'p = 0.034', or 'p < 0.001' below a thousandth (never 'p = 0')."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _interval(value: float, low: float, high: float, show=numbers.ratio) -> str:
    return say("common.value_with_interval", value=show(value), low=show(low), high=show(high))


def _ranking_finding(pairs: pd.DataFrame, column: str, prefix: str) -> Finding | None:
    """Which level leaves most slowly, only where its interval against the next slowest excludes 1."""
    if pairs.empty:
        return None
    tied, decisive = slowest(pairs)
    ratio = _interval(decisive["hazard_ratio"], decisive["low"], decisive["high"])
    if len(tied) == 1:
        return Finding(
            say(
                f"survival.finding.slowest_{column}", prefix=prefix, level=tied[0], other=decisive["other"], ratio=ratio
            )
        )
    return Finding(
        say(
            f"survival.finding.tied_{column}",
            prefix=prefix,
            levels=say("survival.and").join(tied),
            level=tied[0],
            other=decisive["other"],
            ratio=ratio,
        )
    )


def _ph_finding(check: pd.DataFrame, prefix: str) -> Finding:
    terms = check[check["term"] != "global"]
    overall = check[check["term"] == "global"].iloc[0]
    departing = terms[terms["p_value"] < 0.05]
    p = p_text(overall["p_value"])
    if departing.empty:
        return Finding(say("survival.finding.ph_holds", prefix=prefix, p=p, smallest=p_text(terms["p_value"].min())))
    return Finding(
        say(
            "survival.finding.ph_departs",
            prefix=prefix,
            p=p,
            terms=say("survival.and").join(t.split("=", 1)[-1] for t in departing["term"]),
        )
    )


def registry_findings(
    ratios: pd.DataFrame,
    pairs: pd.DataFrame,
    check: pd.DataFrame,
    returns: dict[str, float],
    incidence: pd.DataFrame,
    prefix: str,
) -> tuple[list[Finding], list[KeyNumber]]:
    """What a registry establishes: hazard ratios, which cause leaves most slowly where the intervals say
    so, whether hazards are proportional, and return to the file after an exit.

    Every number rests on the registry alone (the report cites its data set), none on a published figure.
    `pairs` are `contrasts` of main_cause, `check` is `proportional_hazards_check`'s; `returns` is
    `reentry_shown`'s and `incidence` `return_incidence_shown`'s: a suppressed count gives no finding. How
    well the registry reproduces the published stocks is a calibration check, not a finding.
    """
    findings = [f for f in (_ranking_finding(pairs, "main_cause", prefix),) if f is not None]
    findings.append(_ph_finding(check, prefix))
    shown_return = isinstance(returns["households_returned"], (int, np.integer)) and np.isfinite(
        returns["share_returned"]
    )
    if shown_return:
        within = say("survival.and").join(
            say(
                "survival.finding.within",
                share=_interval(row.returned, row.low, row.high, numbers.share),
                years=numbers.count(int(row.years)) if float(row.years).is_integer() else f"{row.years:g}",
            )
            for row in incidence.itertuples()
        )
        findings.append(
            Finding(
                say(
                    "survival.finding.returned" if within else "survival.finding.returned_raw",
                    prefix=prefix,
                    back=numbers.count(int(returns["households_returned"])),
                    left=numbers.count(int(returns["households_left"])),
                    within=within,
                )
            )
        )
    causes = ratios[ratios["term"].str.startswith("main_cause=")]
    key_numbers = []
    if not pairs.empty:
        _tied, decisive = slowest(pairs)
        key_numbers.append(
            KeyNumber(
                "hr_slowest_against_next",
                say("survival.key.slowest_against_next", level=decisive["level"], other=decisive["other"]),
                decisive["hazard_ratio"],
                "hazard ratio",
                _interval(decisive["hazard_ratio"], decisive["low"], decisive["high"]),
                (),
                low=decisive["low"],
                high=decisive["high"],
                derivation=say("survival.key.contrast_derivation"),
            )
        )
    key_numbers += [
        KeyNumber(
            f"hr_{t}",
            say("survival.key.hazard_ratio", cause=t.split("=", 1)[1]),
            hr,
            "hazard ratio",
            _interval(hr, lo, hi),
            (),
            low=lo,
            high=hi,
            derivation=say("survival.key.hazard_derivation"),
        )
        for t, hr, lo, hi in causes[["term", "hazard_ratio", "low", "high"]].itertuples(index=False)
    ]
    if shown_return:
        key_numbers.extend(
            KeyNumber(
                f"returned_within_{row.years:g}y",
                say("survival.key.returned_within", years=f"{row.years:g}"),
                row.returned,
                "fraction",
                _interval(row.returned, row.low, row.high, numbers.share),
                (),
                low=row.low,
                high=row.high,
                derivation=say("survival.key.returned_derivation"),
            )
            for row in incidence.itertuples()
        )
    return findings, key_numbers
