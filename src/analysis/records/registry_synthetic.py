"""The SYNTHETIC caseload registry: a fixed-seed stand-in calibrated to the published stocks.

Usage: python -m analysis.records.registry_synthetic"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.atomic import atomic_path
from analysis.records.registry import OBSERVATION_END, OBSERVATION_START
from analysis.records.vocabulary import DISTRICTS, HOUSEHOLD_TYPES, MAIN_CAUSES

SEED = 20200115
# The published 2019-11-21 caseload: margins by type and by cause. The joint table is
# the generator's assumption (the source prints only the margins); its margins are the published ones.
JOINT_2019 = pd.DataFrame(
    [[180, 100, 70, 45, 13], [28, 12, 8, 6, 2], [0, 27, 16, 4, 1]],
    index=list(HOUSEHOLD_TYPES), columns=list(MAIN_CAUSES),
)
STOCK_2016 = 6656
# Yearly exit hazard by main cause. The source names serious illness and disability as the hard
# core that is hardest to lift out of hardship, so they leave slowest; low income, schooling costs
# and unemployment are the circumstances that policy and time resolve fastest.
EXIT_HAZARD = {"家庭收入低": 0.95, "大病": 0.45, "残疾": 0.35, "子女上学": 1.10, "下岗失业": 1.40}
# The 2016 stock by cause, chosen so that the hazards above leave about the published 2019 counts.
STOCK_2016_BY_CAUSE = {"家庭收入低": 3526, "大病": 480, "残疾": 250, "子女上学": 1300, "下岗失业": 1100}
NEW_ENTRIES_PER_YEAR = 150
REENTRY_PROBABILITY = 0.08  # share of exits followed by a new spell (返贫)
REENTRY_MEAN_YEARS = 1.0
DAY = 1 / 365.25  # events are kept at least a day apart, so they survive rounding to dates


@dataclass
class _Spells:
    """Columns of spells under construction."""

    household: list[int]
    cause: list[str]
    entry: list[float]  # years since OBSERVATION_START (negative: before it)
    exit: list[float]

    def add(self, household: int, cause: str, entry: float, exit_: float) -> None:
        self.household.append(household)
        self.cause.append(cause)
        self.entry.append(entry)
        self.exit.append(exit_)


def _years(day: str) -> float:
    return (date.fromisoformat(day) - date.fromisoformat(OBSERVATION_START)).days / 365.25


def _day(years: float) -> str:
    origin = np.datetime64(OBSERVATION_START)
    return str(origin + np.timedelta64(int(np.floor(years * 365.25)), "D"))


def generate(seed: int = SEED) -> pd.DataFrame:
    """The SYNTHETIC registry: exactly the published stocks on both dates and the 2019 breakdowns."""
    rng = np.random.default_rng(seed)
    horizon = _years(OBSERVATION_END)
    spells = _Spells([], [], [], [])
    household = 0
    for cause, count in STOCK_2016_BY_CAUSE.items():  # on file at the start: entered up to 3 years before
        for _ in range(count):
            household += 1
            spells.add(household, cause, -rng.uniform(DAY, 3), DAY + rng.exponential(1 / EXIT_HAZARD[cause]))
    causes = np.array(MAIN_CAUSES)
    cause_mix = np.array([STOCK_2016_BY_CAUSE[c] for c in MAIN_CAUSES], float)
    for start in np.sort(rng.uniform(DAY, horizon, rng.poisson(NEW_ENTRIES_PER_YEAR * horizon))):
        household += 1
        cause = str(rng.choice(causes, p=cause_mix / cause_mix.sum()))
        spells.add(household, cause, start, start + rng.exponential(1 / EXIT_HAZARD[cause]))
    frame = pd.DataFrame({"household": spells.household, "cause": spells.cause, "entry": spells.entry,
                          "exit": spells.exit})
    frame = _calibrate_2019(frame, rng, horizon)
    frame = _add_reentries(frame, rng, horizon)
    return _to_registry(frame, rng)


def _calibrate_2019(frame: pd.DataFrame, rng: np.random.Generator, horizon: float) -> pd.DataFrame:
    """Move exits across the 2019 date until each cause has exactly its published count on file."""
    frame = frame.copy()
    for cause in MAIN_CAUSES:
        target = int(JOINT_2019[cause].sum())
        in_cause = frame["cause"] == cause
        on_file = frame.index[in_cause & (frame["exit"] > horizon) & (frame["entry"] <= horizon)]
        if len(on_file) > target:  # too many stayed: the latest leavers leave just before the date
            leave = rng.choice(on_file, len(on_file) - target, replace=False)
            frame.loc[leave, "exit"] = rng.uniform(np.maximum(frame.loc[leave, "entry"], DAY), horizon)
        elif len(on_file) < target:  # too few: the last to have left stay on file instead
            left = frame[in_cause & (frame["exit"] <= horizon)]
            stay = left.sort_values("exit", ascending=False).index[: target - len(on_file)]
            frame.loc[stay, "exit"] = horizon + rng.exponential(1 / EXIT_HAZARD[cause], len(stay))
    return frame


def _add_reentries(frame: pd.DataFrame, rng: np.random.Generator, horizon: float) -> pd.DataFrame:
    """Some households that left come back (返贫) within the window; the new spells end before 2019-11-21."""
    left = frame[frame["exit"] <= horizon]
    returning = left[rng.random(len(left)) < REENTRY_PROBABILITY]
    back = returning["exit"].to_numpy() + 2 * DAY + rng.exponential(REENTRY_MEAN_YEARS, len(returning))
    keep = back < horizon - 2 * DAY
    returning, back = returning[keep], back[keep]
    # Returning spells close before the second date, so the published stock stays exact.
    closes = back + DAY + (horizon - back - DAY) * rng.uniform(0.05, 0.95, len(back))
    reentries = pd.DataFrame({"household": returning["household"].to_numpy(),
                              "cause": returning["cause"].to_numpy(), "entry": back, "exit": closes})
    return pd.concat([frame, reentries], ignore_index=True)


def _to_registry(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Assign types matching the joint 2019 table, districts, ids and ISO dates."""
    horizon = _years(OBSERVATION_END)
    frame = frame.sort_values(["household", "entry"], kind="stable").reset_index(drop=True)
    types = pd.Series("", index=frame.index)
    on_file_2019 = (frame["exit"] > horizon) & (frame["entry"] <= horizon)
    for cause in MAIN_CAUSES:
        cell = frame.index[on_file_2019 & (frame["cause"] == cause)]
        labels = np.repeat(HOUSEHOLD_TYPES, JOINT_2019[cause].to_numpy())
        types[cell] = rng.permutation(labels)
        rest = frame.index[~on_file_2019 & (frame["cause"] == cause)]
        weights = JOINT_2019[cause].to_numpy() + 1.0
        types[rest] = rng.choice(HOUSEHOLD_TYPES, len(rest), p=weights / weights.sum())
    first_type = types.groupby(frame["household"]).transform("first")  # a household keeps its type
    types = types.where(on_file_2019, first_type)
    district = pd.Series(rng.choice(DISTRICTS, frame["household"].max() + 1), name="district")
    exits = [_day(x) if x <= horizon else "" for x in frame["exit"]]
    return pd.DataFrame({
        "spell_id": [f"S-{i + 1:07d}" for i in range(len(frame))],
        "household_id": [f"HH-{h:06d}" for h in frame["household"]],
        "region": "Beijing",
        "district": district[frame["household"]].to_numpy(),
        "household_type": types.to_numpy(),
        "main_cause": frame["cause"].to_numpy(),
        "entry_date": [_day(x) for x in frame["entry"]],
        "exit_date": exits,
    })


def write_synthetic(path: Path = paths.SYNTHETIC_REGISTRY) -> Path:
    """Generate the SYNTHETIC registry and write it atomically."""
    with atomic_path(path) as tmp:
        generate().to_csv(tmp, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m analysis.records.registry_synthetic")
    print(f"wrote {paths.relative(write_synthetic())}")
