"""The SYNTHETIC hotline call log: a fixed-seed generator calibrated to the published volumes.

Usage: python -m analysis.records.calllog_synthetic full|small|x10"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from analysis import paths
from analysis.atomic import atomic_directory
from analysis.evidence.catalogue import load_processed
from analysis.records.calllog import CATEGORIES, SCHEMA
from analysis.records.vocabulary import DISTRICTS

SEED = 12345
# Resident population by district (10,000s, 2020 census rounded): calls are drawn in proportion.
DISTRICT_WEIGHTS = np.array([71, 111, 345, 202, 57, 313, 39, 131, 184, 132, 227, 199, 44, 46, 53, 35], float)
SCALES = {"full": 1.0, "small": 0.001, "x10": 10.0}  # x10: for the benchmark only
ROW_GROUP_CALLS = 1 << 20
SATISFACTION_RESPONSE = 0.6  # share of calls whose caller rated the handling
SATISFIED_BY_CATEGORY = dict(zip(CATEGORIES, (0.86, 0.78, 0.84, 0.88, 0.9, 0.83, 0.87, 0.89, 0.91)))


def _days(start: str, end: str) -> list[date]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day_weight(day: date) -> float:
    """Relative volume of a day: fewer calls at weekends, a summer and a January peak, the 2022 surge."""
    weekly = 0.78 if day.weekday() >= 5 else 1.0
    day_of_year = day.timetuple().tm_yday
    yearly = (
        1 + 0.12 * np.cos(2 * np.pi * (day_of_year - 200) / 365.25) + 0.06 * np.cos(4 * np.pi * day_of_year / 365.25)
    )
    surge = 1 + (1.6 * np.exp(-(((day - date(2022, 5, 10)).days / 28) ** 2)) if day.year == 2022 else 0)
    return float(weekly * yearly * surge)


def calibration() -> dict:
    """The call-log section of synthetic.yml: region, indicator, window and assumed volumes."""
    return yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))["calllog"]


def published_volumes(volumes: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """The printed volumes of the region and indicator the SYNTHETIC log is calibrated to (totals only)."""
    return volumes[
        (volumes["region"] == settings["region"])
        & (volumes["indicator"] == settings["indicator"])
        & (volumes["breakdown_dimension"] == "")
    ]


def period_volumes(published: pd.DataFrame, settings: dict) -> dict[tuple[str, str], int]:
    """Exact volumes per period: every exact printed volume inside the window, and the assumed ones elsewhere."""
    start, end = settings["window"]
    totals = published_volumes(published, settings)
    printed = totals[
        (totals["qualifier"] == "exact") & (totals["period_start"] >= start) & (totals["period_end"] <= end)
    ]
    volumes = {(row.period_start, row.period_end): int(row.value) for row in printed.itertuples()}
    for assumed in settings["assumed_volumes"]:
        overlaps = any(assumed["start"] <= e and s <= assumed["end"] for s, e in volumes)
        if not overlaps:
            volumes[(assumed["start"], assumed["end"])] = int(assumed["calls"])
    return dict(sorted(volumes.items()))


def daily_volumes(scale: float, periods: dict[tuple[str, str], int]) -> dict[date, int]:
    """Calls per day, summing exactly to each period's (scaled) volume by largest remainders."""
    volumes = {}
    for (start, end), total in periods.items():
        days = _days(start, end)
        weights = np.array([_day_weight(d) for d in days])
        target = int(round(total * scale))
        raw = weights / weights.sum() * target
        counts = np.floor(raw).astype(int)
        counts[np.argsort(-(raw - counts), kind="stable")[: target - counts.sum()]] += 1
        volumes.update(zip(days, counts.tolist()))
    return volumes


def _category_mix(day: date) -> np.ndarray:
    """Category probabilities: epidemic-control calls appear in 2020 and surge in 2022."""
    epidemic = {2019: 0.0, 2020: 0.18, 2021: 0.08, 2022: 0.40 if day.month <= 6 else 0.25}[day.year]
    base = np.array([0, 0.22, 0.17, 0.12, 0.12, 0.1, 0.09, 0.07, 0.11])
    mix = base / base.sum() * (1 - epidemic)
    mix[0] = epidemic
    return mix


def _day_table(day: date, calls: int, first_id: int, rng: np.random.Generator) -> pa.Table:
    """One day's calls: times around early afternoon, the day's category mix, districts by population."""
    seconds = np.datetime64(day, "s").astype(np.int64) + np.clip(
        rng.normal(13.5 * 3600, 4 * 3600, calls), 0, 86399
    ).astype(np.int64)
    category = rng.choice(len(CATEGORIES), calls, p=_category_mix(day)).astype(np.int8)
    district = rng.choice(len(DISTRICTS), calls, p=DISTRICT_WEIGHTS / DISTRICT_WEIGHTS.sum()).astype(np.int8)
    satisfied_p = np.array([SATISFIED_BY_CATEGORY[c] for c in CATEGORIES])[category]
    rated = rng.random(calls) < SATISFACTION_RESPONSE
    satisfaction = pa.array((rng.random(calls) < satisfied_p).astype(np.int8), mask=~rated)
    return pa.table(
        {
            "call_id": pa.array(np.arange(first_id, first_id + calls, dtype=np.int64)),
            "received_at": pa.array(seconds, pa.timestamp("s")),
            "category": pa.DictionaryArray.from_arrays(pa.array(category), pa.array(CATEGORIES)),
            "district": pa.DictionaryArray.from_arrays(pa.array(district), pa.array(DISTRICTS)),
            "resolved": pa.array(rng.random(calls) < 0.93),
            "satisfaction": satisfaction,
        },
        schema=SCHEMA,
    )


def _row_groups(days: list[date], volumes: dict[date, int]) -> list[list[date]]:
    """Consecutive days in groups of at most ROW_GROUP_CALLS calls (a busier day alone)."""
    groups: list[list[date]] = [[]]
    for day in days:
        if groups[-1] and sum(volumes[d] for d in groups[-1]) + volumes[day] > ROW_GROUP_CALLS:
            groups.append([])
        groups[-1].append(day)
    return groups


def _write_month(path: Path, days: list[date], volumes: dict[date, int], first_id: int, seed: int) -> int:
    """Write one month's partition file, day by day in row groups; return its rows."""
    path.parent.mkdir(parents=True)
    written = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for group in _row_groups(days, volumes):
            tables = []
            for day in group:  # each day reproducible on its own
                rng = np.random.default_rng([seed, day.year, day.month, day.day])
                tables.append(_day_table(day, volumes[day], first_id + written, rng))
                written += volumes[day]
            table = pa.concat_tables(tables)
            writer.write_table(table, row_group_size=len(table) or 1)
    return written


def generate(log: Path, scale: float, seed: int = SEED) -> int:
    """Write the SYNTHETIC log as a Hive-partitioned dataset, one directory per month (bounded memory); return its rows."""
    volumes = daily_volumes(scale, period_volumes(load_processed("hotline_volume"), calibration()))
    months: dict[tuple[int, int], list[date]] = {}
    for day in volumes:
        months.setdefault((day.year, day.month), []).append(day)
    written = 0
    with atomic_directory(log) as tmp:
        for (year, month), days in sorted(months.items()):
            part = tmp / f"month={year:04d}-{month:02d}" / "part-0.parquet"
            written += _write_month(part, days, volumes, written + 1, seed)
    return written


def main(argv: list[str]) -> None:
    """Command line: full|small|x10."""
    match argv:
        case [size] if size in SCALES:
            rows = generate(paths.synthetic_calllog(size), SCALES[size])
            print(f"wrote {paths.relative(paths.synthetic_calllog(size))}: {rows:,} calls")
        case _:
            raise SystemExit(f"usage: python -m analysis.records.calllog_synthetic {'|'.join(SCALES)}")


if __name__ == "__main__":
    main(sys.argv[1:])
