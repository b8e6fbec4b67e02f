"""Exit curves and hazards from a caseload registry, with left truncation handled."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
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


def hazard_ratios(spells: pd.DataFrame, factors: dict[str, str], alpha: float = 0.05) -> pd.DataFrame:
    """Proportional-hazards model of exit: hazard ratio and interval per level against a reference.

    `factors` maps a column to its reference level.
    """
    design = pd.concat(
        [
            pd.get_dummies(spells[column], prefix=column, prefix_sep="=", dtype=float).drop(
                columns=f"{column}={reference}"
            )
            for column, reference in factors.items()
        ],
        axis=1,
    )
    fit = PHReg(
        spells["time"].to_numpy(),
        design.to_numpy(),
        status=spells["exited"].to_numpy(),
        entry=spells["entry"].to_numpy(),
        ties="efron",
    ).fit()
    low, high = fit.conf_int(alpha=alpha).T
    counts = {name: int(design[name].sum()) for name in design.columns}
    return pd.DataFrame(
        {
            "term": design.columns,
            "hazard_ratio": np.exp(fit.params),
            "low": np.exp(low),
            "high": np.exp(high),
            "p_value": fit.pvalues,
            "spells": [counts[name] for name in design.columns],
        }
    )


def reentry(registry: pd.DataFrame) -> dict[str, float]:
    """How many households that left came back (返贫), and after how long."""
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
    """Return to hardship as it may be printed: households that came back and that did not, a line with
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


def registry_findings(
    ratios: pd.DataFrame, returns: dict[str, float], prefix: str
) -> tuple[list[Finding], list[KeyNumber]]:
    """What a registry establishes: hazard ratios of the hard core and return to hardship.

    Every number rests on the registry alone (the report cites its data set), none on a published
    figure. `returns` is `reentry_shown`'s: a suppressed return share gives no finding. How well the
    registry reproduces the published stocks is a calibration check, not a finding.
    """
    causes = ratios[ratios["term"].str.startswith("main_cause=")]
    slowest = causes.sort_values("hazard_ratio").iloc[0] if len(causes) else None
    findings = []
    if slowest is not None:
        findings.append(
            Finding(
                say(
                    "survival.finding.slowest",
                    prefix=prefix,
                    cause=slowest["term"].split("=", 1)[1],
                    hr=f"{slowest['hazard_ratio']:.2f}",
                    low=f"{slowest['low']:.2f}",
                    high=f"{slowest['high']:.2f}",
                )
            )
        )
    shown_return = isinstance(returns["households_returned"], (int, np.integer)) and np.isfinite(
        returns["share_returned"]
    )
    if shown_return:
        findings.append(
            Finding(say("survival.finding.returned", prefix=prefix, share=numbers.share(returns["share_returned"])))
        )
    key_numbers = [
        KeyNumber(
            f"hr_{t}",
            say("survival.key.hazard_ratio", cause=t.split("=", 1)[1]),
            hr,
            "hazard ratio",
            say("common.value_with_interval", value=f"{hr:.2f}", low=f"{lo:.2f}", high=f"{hi:.2f}"),
            (),
            low=lo,
            high=hi,
            derivation=say("survival.key.hazard_derivation"),
        )
        for t, hr, lo, hi in causes[["term", "hazard_ratio", "low", "high"]].itertuples(index=False)
    ]
    if shown_return:
        key_numbers.append(
            KeyNumber(
                "returned",
                say("survival.key.returned"),
                returns["share_returned"],
                "fraction",
                numbers.share(returns["share_returned"]),
                (),
            )
        )
    return findings, key_numbers
