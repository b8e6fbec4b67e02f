"""The SYNTHETIC caseload registry: a fixed-seed stand-in calibrated to the published stocks.

Its vocabulary (districts, household types, main causes, id formats) is synthetic.yml's, written beside the
registry as a vocabulary file labelled SYNTHETIC, which its validation reads like any export's.

Usage: python -m analysis.records.registry_synthetic [vocabulary]"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.atomic import atomic_path
from analysis.records import vocabulary

DAY = 1 / 365.25  # events are kept at least a day apart, so they survive rounding to dates


class CalibrationError(ValueError):
    """synthetic.yml's assumptions do not reproduce the published figures."""


@dataclass(frozen=True)
class Calibration:
    """What the generator reproduces (published, from data/processed) and what it assumes (synthetic.yml)."""

    region: str
    start: str  # the first published total's date
    end: str  # the last published total's date; open spells are censored here
    first_stock: int
    first_stock_by_cause: dict[str, int]
    joint_last_stock: pd.DataFrame  # household type x main cause
    exit_hazard: dict[str, float]
    new_entries_per_year: float
    reentry_probability: float
    reentry_mean_years: float
    seed: int
    districts: tuple[str, ...]  # the vocabulary (synthetic.yml), written beside the registry
    household_types: tuple[str, ...]
    main_causes: tuple[str, ...]
    id_formats: dict[str, str]  # column -> str.format pattern of its ids

    def years(self, day: str) -> float:
        """Years from the first published date."""
        return (date.fromisoformat(day) - date.fromisoformat(self.start)).days / 365.25

    def day(self, years: float) -> str:
        """The ISO date `years` after the first published date."""
        return str(np.datetime64(self.start) + np.timedelta64(int(np.floor(years * 365.25)), "D"))


def registry_settings() -> dict:
    """The registry section of synthetic.yml."""
    import yaml

    return yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))["registry"]


def vocabulary_document(section: dict | None = None) -> dict:
    """The SYNTHETIC registry's vocabulary file, from synthetic.yml's registry section."""
    section = registry_settings() if section is None else section
    columns: dict[str, dict] = {
        "region": {"values": [section["region"]]},
        "district": {"values": list(section["districts"])},
        "household_type": {"values": list(section["household_types"])},
        "main_cause": {"values": list(section["main_causes"])},
    }
    for column, spec in section["ids"].items():
        columns[column] = {"pattern": spec["pattern"], "example": spec.get("example")}
    return vocabulary.document(columns, label="SYNTHETIC")


def write_vocabulary(path: Path = paths.SYNTHETIC_REGISTRY) -> Path:
    """Write the SYNTHETIC vocabulary beside the registry at `path` (only when it changes); return its path."""
    target = vocabulary.path_for(path)
    vocabulary.write(
        target,
        vocabulary_document(),
        "SYNTHETIC vocabulary of the SYNTHETIC caseload registry beside it: synthetic.yml's registry section\n"
        "(python -m analysis.records.registry_synthetic vocabulary). Not a real export's; format: "
        f"{vocabulary.FORMAT}.",
    )
    return target


def _check_keys(name: str, found: object, expected: tuple[str, ...], listed: str) -> None:
    if set(found) != set(expected):
        raise CalibrationError(f"synthetic.yml: registry {name} must give exactly {', '.join(expected)} (its {listed})")


def calibration(caseload: pd.DataFrame | None = None) -> Calibration:
    """The registry section of synthetic.yml, checked against the published stocks and breakdowns."""
    from analysis.evidence.catalogue import load_processed
    from analysis.records.registry import published_stocks

    settings = registry_settings()
    types, causes = tuple(settings["household_types"]), tuple(settings["main_causes"])
    for name in ("first_stock_by_cause", "exit_hazard"):
        _check_keys(name, settings[name], causes, "main_causes")
    _check_keys("joint_last_stock", settings["joint_last_stock"], types, "household_types")
    for household_type, row in settings["joint_last_stock"].items():
        _check_keys(f"joint_last_stock.{household_type}", row, causes, "main_causes")
    published = published_stocks(
        load_processed("poverty_caseload") if caseload is None else caseload, settings["region"]
    )
    totals = published[(published["breakdown_dimension"] == "") & (published["qualifier"] == "exact")].sort_values(
        "date"
    )
    if len(totals) < 2:
        raise CalibrationError(
            f"synthetic.yml: {settings['region']} needs two exact published totals, found {len(totals)}"
        )
    first, last = totals.iloc[0], totals.iloc[-1]
    joint = pd.DataFrame(settings["joint_last_stock"]).T.reindex(index=list(types), columns=list(causes))
    margins = {"household_type": joint.sum(axis=1), "main_cause": joint.sum(axis=0)}
    on_last = published[published["date"] == last["date"]]
    for dimension, margin in margins.items():
        printed = on_last[on_last["breakdown_dimension"] == dimension].set_index("breakdown_value")["value"]
        if {k: int(v) for k, v in margin.items()} != {k: int(v) for k, v in printed.items()}:
            raise CalibrationError(
                f"synthetic.yml: joint_last_stock's {dimension} margins {dict(margin)} differ from "
                f"the published {dict(printed)}"
            )
    if sum(settings["first_stock_by_cause"].values()) != int(first["value"]):
        raise CalibrationError(
            f"synthetic.yml: first_stock_by_cause adds up to {sum(settings['first_stock_by_cause'].values())}, "
            f"not the published first total {int(first['value'])}"
        )
    return Calibration(
        settings["region"],
        first["date"],
        last["date"],
        int(first["value"]),
        dict(settings["first_stock_by_cause"]),
        joint,
        dict(settings["exit_hazard"]),
        float(settings["new_entries_per_year"]),
        float(settings["reentry_probability"]),
        float(settings["reentry_mean_years"]),
        int(settings["seed"]),
        tuple(settings["districts"]),
        types,
        causes,
        {column: spec["format"] for column, spec in settings["ids"].items()},
    )


@dataclass
class _Spells:
    """Columns of spells under construction."""

    household: list[int]
    cause: list[str]
    entry: list[float]  # years since the first published date (negative: before it)
    exit: list[float]

    def add(self, household: int, cause: str, entry: float, exit_: float) -> None:
        self.household.append(household)
        self.cause.append(cause)
        self.entry.append(entry)
        self.exit.append(exit_)


def generate(c: Calibration | None = None) -> pd.DataFrame:
    """The SYNTHETIC registry: exactly the published totals on both dates and the breakdowns on the last."""
    c = calibration() if c is None else c
    rng = np.random.default_rng(c.seed)
    horizon = c.years(c.end)
    spells = _Spells([], [], [], [])
    household = 0
    for cause, count in c.first_stock_by_cause.items():  # on file at the start: entered up to 3 years before
        for _ in range(count):
            household += 1
            spells.add(household, cause, -rng.uniform(DAY, 3), DAY + rng.exponential(1 / c.exit_hazard[cause]))
    causes = np.array(c.main_causes)
    cause_mix = np.array([c.first_stock_by_cause[m] for m in c.main_causes], float)
    for start in np.sort(rng.uniform(DAY, horizon, rng.poisson(c.new_entries_per_year * horizon))):
        household += 1
        cause = str(rng.choice(causes, p=cause_mix / cause_mix.sum()))
        spells.add(household, cause, start, start + rng.exponential(1 / c.exit_hazard[cause]))
    frame = pd.DataFrame(
        {"household": spells.household, "cause": spells.cause, "entry": spells.entry, "exit": spells.exit}
    )
    frame = _calibrate_last(frame, rng, horizon, c)
    frame = _add_reentries(frame, rng, horizon, c)
    return _to_registry(frame, rng, c)


def _calibrate_last(frame: pd.DataFrame, rng: np.random.Generator, horizon: float, c: Calibration) -> pd.DataFrame:
    """Move exits across the last published date until each cause has exactly its published count on file."""
    frame = frame.copy()
    for cause in c.main_causes:
        target = int(c.joint_last_stock[cause].sum())
        in_cause = frame["cause"] == cause
        on_file = frame.index[in_cause & (frame["exit"] > horizon) & (frame["entry"] <= horizon)]
        if len(on_file) > target:  # too many stayed: the latest leavers leave just before the date
            leave = rng.choice(on_file, len(on_file) - target, replace=False)
            frame.loc[leave, "exit"] = rng.uniform(np.maximum(frame.loc[leave, "entry"], DAY), horizon)
        elif len(on_file) < target:  # too few: the last to have left stay on file instead
            left = frame[in_cause & (frame["exit"] <= horizon)]
            stay = left.sort_values("exit", ascending=False).index[: target - len(on_file)]
            frame.loc[stay, "exit"] = horizon + rng.exponential(1 / c.exit_hazard[cause], len(stay))
    return frame


def _add_reentries(frame: pd.DataFrame, rng: np.random.Generator, horizon: float, c: Calibration) -> pd.DataFrame:
    """Some households that left come back (返贫) within the window; the new spells end before the last date."""
    left = frame[frame["exit"] <= horizon]
    returning = left[rng.random(len(left)) < c.reentry_probability]
    back = returning["exit"].to_numpy() + 2 * DAY + rng.exponential(c.reentry_mean_years, len(returning))
    keep = back < horizon - 2 * DAY
    returning, back = returning[keep], back[keep]
    # Returning spells close before the second date, so the published stock stays exact.
    closes = back + DAY + (horizon - back - DAY) * rng.uniform(0.05, 0.95, len(back))
    reentries = pd.DataFrame(
        {
            "household": returning["household"].to_numpy(),
            "cause": returning["cause"].to_numpy(),
            "entry": back,
            "exit": closes,
        }
    )
    return pd.concat([frame, reentries], ignore_index=True)


def _to_registry(frame: pd.DataFrame, rng: np.random.Generator, c: Calibration) -> pd.DataFrame:
    """Assign types matching the joint table on the last date, districts, ids and ISO dates."""
    horizon = c.years(c.end)
    frame = frame.sort_values(["household", "entry"], kind="stable").reset_index(drop=True)
    types = pd.Series("", index=frame.index)
    on_file_2019 = (frame["exit"] > horizon) & (frame["entry"] <= horizon)
    for cause in c.main_causes:
        cell = frame.index[on_file_2019 & (frame["cause"] == cause)]
        labels = np.repeat(c.household_types, c.joint_last_stock[cause].to_numpy())
        types[cell] = rng.permutation(labels)
        rest = frame.index[~on_file_2019 & (frame["cause"] == cause)]
        weights = c.joint_last_stock[cause].to_numpy() + 1.0
        types[rest] = rng.choice(c.household_types, len(rest), p=weights / weights.sum())
    first_type = types.groupby(frame["household"]).transform("first")  # a household keeps its type
    types = types.where(on_file_2019, first_type)
    district = pd.Series(rng.choice(c.districts, frame["household"].max() + 1), name="district")
    exits = [c.day(x) if x <= horizon else "" for x in frame["exit"]]
    ids = c.id_formats
    return pd.DataFrame(
        {
            "spell_id": [ids["spell_id"].format(i + 1) for i in range(len(frame))],
            "household_id": [ids["household_id"].format(h) for h in frame["household"]],
            "region": c.region,
            "district": district[frame["household"]].to_numpy(),
            "household_type": types.to_numpy(),
            "main_cause": frame["cause"].to_numpy(),
            "entry_date": [c.day(x) for x in frame["entry"]],
            "exit_date": exits,
        }
    )


def write_synthetic(path: Path = paths.SYNTHETIC_REGISTRY) -> Path:
    """Generate the SYNTHETIC registry and write it atomically, its vocabulary beside it."""
    write_vocabulary(path)
    with atomic_path(path) as tmp:
        generate().to_csv(tmp, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":
    match sys.argv[1:]:
        case []:
            print(f"wrote {paths.relative(write_synthetic())}")
        case ["vocabulary"]:
            print(f"wrote {paths.relative(write_vocabulary())}")
        case _:
            raise SystemExit("usage: python -m analysis.records.registry_synthetic [vocabulary]")
