"""The SYNTHETIC hotline call log: a fixed-seed generator calibrated to the published volumes.

Its categories and districts, with the mix of calls among them, are synthetic.yml's; they are written beside
the log as its vocabulary file (labelled SYNTHETIC), which its validation reads like any export's.

Usage: python -m analysis.records.calllog_synthetic full|small|x10
       python -m analysis.records.calllog_synthetic vocabulary full|small|x10"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from analysis import paths
from analysis.atomic import atomic_directory, write_text
from analysis.evidence.catalogue import load_processed
from analysis.records import vocabulary
from analysis.records.calllog import SCHEMA

SEED = 12345
SCALES = {"full": 1.0, "small": 0.001, "x10": 10.0}  # x10: for the benchmark only
ROW_GROUP_CALLS = 1 << 20
SATISFACTION_RESPONSE = 0.6  # share of calls whose caller rated the handling


@dataclass(frozen=True)
class CallMix:
    """Who calls about what (synthetic.yml's calllog section): the log's vocabulary and the assumed mix."""

    categories: tuple[str, ...]
    weights: np.ndarray  # relative weight of each category outside the surge
    satisfied: np.ndarray  # satisfied share of rated calls, by category
    surge: int  # the category whose share is set by year
    reference: str  # the category odds ratios compare against
    districts: tuple[str, ...]
    district_weights: np.ndarray  # calls are drawn in proportion

    @classmethod
    def from_settings(cls, settings: dict) -> CallMix:
        categories = tuple(settings["categories"])
        return cls(
            categories,
            np.array([settings["categories"][c]["weight"] for c in categories]),
            np.array([settings["categories"][c]["satisfied"] for c in categories]),
            categories.index(settings["surge_category"]),
            settings["reference_category"],
            tuple(settings["districts"]),
            np.array(list(settings["districts"].values()), float),
        )


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


def vocabulary_document(settings: dict | None = None) -> dict:
    """The SYNTHETIC log's vocabulary file, from synthetic.yml's calllog section."""
    mix = CallMix.from_settings(calibration() if settings is None else settings)
    columns = {
        "category": {"values": list(mix.categories), "reference": mix.reference},
        "district": {"values": list(mix.districts)},
    }
    return vocabulary.document(columns, label="SYNTHETIC")


def write_vocabulary(log: Path) -> Path:
    """Write the SYNTHETIC vocabulary beside `log` (only when it changes); return its path."""
    target = vocabulary.path_for(log)
    vocabulary.write(
        target,
        vocabulary_document(),
        f"SYNTHETIC vocabulary of the SYNTHETIC call log {log.name} beside it: synthetic.yml's calllog section\n"
        "(python -m analysis.records.calllog_synthetic vocabulary SIZE). Not a real export's; format: "
        f"{vocabulary.FORMAT}.",
    )
    return target


def _category_mix(day: date, mix: CallMix) -> np.ndarray:
    """Category probabilities: the surge category's calls appear in 2020 and surge in 2022."""
    surge = {2019: 0.0, 2020: 0.18, 2021: 0.08, 2022: 0.40 if day.month <= 6 else 0.25}[day.year]
    shares = mix.weights / mix.weights.sum() * (1 - surge)
    shares[mix.surge] = surge
    return shares


def _day_table(day: date, calls: int, first_id: int, rng: np.random.Generator, mix: CallMix) -> pa.Table:
    """One day's calls: times around early afternoon, the day's category mix, districts by population."""
    seconds = np.datetime64(day, "s").astype(np.int64) + np.clip(
        rng.normal(13.5 * 3600, 4 * 3600, calls), 0, 86399
    ).astype(np.int64)
    category = rng.choice(len(mix.categories), calls, p=_category_mix(day, mix)).astype(np.int8)
    district_p = mix.district_weights / mix.district_weights.sum()
    district = rng.choice(len(mix.districts), calls, p=district_p).astype(np.int8)
    satisfied_p = mix.satisfied[category]
    rated = rng.random(calls) < SATISFACTION_RESPONSE
    satisfaction = pa.array((rng.random(calls) < satisfied_p).astype(np.int8), mask=~rated)
    return pa.table(
        {
            "call_id": pa.array(np.arange(first_id, first_id + calls, dtype=np.int64)),
            "received_at": pa.array(seconds, pa.timestamp("s")),
            "category": pa.DictionaryArray.from_arrays(pa.array(category), pa.array(list(mix.categories))),
            "district": pa.DictionaryArray.from_arrays(pa.array(district), pa.array(list(mix.districts))),
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


# Call ids are per month: a month's calls are numbered from 1 after its year and month (2021-03's first call is
# 202103_000000001), so they increase across the log in partition order as an export's must (calllog.ID_RULE) and a
# month's ids depend on that month alone: an edited volume never shifts the ids of the months after it.
MONTH_ID_SPAN = 10**9


def first_call_id(year: int, month: int) -> int:
    """The id of a month's first call: its year and month, then 1 (call ids run on within the month only)."""
    return (year * 100 + month) * MONTH_ID_SPAN + 1


# How a partition is written. Call ids increase by one call by call and call times stay within their day, so their
# deltas are small: delta encoding them (before zstd) writes a month in less than half the time the default encodings
# took, and its validation and aggregate read it about a third faster, from a file a quarter smaller (measured on a
# 2021 month of the full log). The category and district columns keep their dictionaries.
WRITER_OPTIONS = {
    "compression": "zstd",
    "use_dictionary": ["category", "district"],
    "column_encoding": {"call_id": "DELTA_BINARY_PACKED", "received_at": "DELTA_BINARY_PACKED"},
}


def _write_month(path: Path, days: list[date], volumes: dict[date, int], first_id: int, seed: int, mix: CallMix) -> int:
    """Write one month's partition file, day by day in row groups; return its rows."""
    if sum(volumes[d] for d in days) >= MONTH_ID_SPAN:
        raise ValueError(f"{path.parent.name}: more calls than a month's call ids can number ({MONTH_ID_SPAN - 1:,})")
    path.parent.mkdir(parents=True)
    written = 0
    with pq.ParquetWriter(path, SCHEMA, **WRITER_OPTIONS) as writer:
        for group in _row_groups(days, volumes):
            tables = []
            for day in group:  # each day reproducible on its own
                rng = np.random.default_rng([seed, day.year, day.month, day.day])
                tables.append(_day_table(day, volumes[day], first_id + written, rng, mix))
                written += volumes[day]
            table = pa.concat_tables(tables)
            writer.write_table(table, row_group_size=len(table) or 1)
    return written


# Beside the log (<log>.generation.json), the key each of its partitions was written from (month_key).
GENERATION_SUFFIX = ".generation.json"
# The code a partition's bytes follow from: this generator and the schema it writes.
GENERATOR_CODE = (Path(__file__), Path(__file__).with_name("calllog.py"))


@functools.cache
def _code_digest() -> str:
    h = hashlib.sha256(f"numpy {np.__version__} pyarrow {pa.__version__} rows {ROW_GROUP_CALLS}".encode())
    for path in GENERATOR_CODE:
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def month_key(days: list[date], volumes: dict[date, int], first_id: int, seed: int, mix: CallMix) -> str:
    """Everything one month's partition is a function of: its days' volumes, its first call id, the seed, the call
    mix and the generator's code (with numpy's and pyarrow's versions). Each day's calls are drawn from a generator
    seeded by the day alone, so a month whose key is unchanged is byte for byte the partition written before."""
    document = {
        "days": [[d.isoformat(), volumes[d]] for d in days],
        "first_id": first_id,
        "seed": seed,
        "mix": {
            "categories": list(mix.categories),
            "weights": mix.weights.tolist(),
            "satisfied": mix.satisfied.tolist(),
            "surge": mix.surge,
            "districts": list(mix.districts),
            "district_weights": mix.district_weights.tolist(),
        },
        "code": _code_digest(),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def generation_path(log: Path) -> Path:
    return log.with_name(log.name + GENERATION_SUFFIX)


def _previous_keys(log: Path) -> dict[str, str]:
    """The keys of the partitions the log holds now (none if it has no record of them)."""
    try:
        keys = json.loads(generation_path(log).read_text(encoding="utf-8"))["partitions"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {part: key for part, key in keys.items() if isinstance(key, str) and (log / part).is_file()}


def generate(log: Path, scale: float, seed: int = SEED) -> int:
    """Write the SYNTHETIC log as a Hive-partitioned dataset, one directory per month (bounded memory), and its
    vocabulary beside it; return its rows.

    Only the months whose key changed (month_key: an edited volume) are drawn again; the others are the previous
    log's files, hard-linked into the new directory (never written to: the whole directory is swapped in). Call ids
    are per month (first_call_id), so an edit to one year's printed volume costs that year's months alone.
    """
    settings = calibration()
    mix = CallMix.from_settings(settings)
    volumes = daily_volumes(scale, period_volumes(load_processed("hotline_volume"), settings))
    months: dict[tuple[int, int], list[date]] = {}
    for day in volumes:
        months.setdefault((day.year, day.month), []).append(day)
    previous = _previous_keys(log)
    keys, drawn = {}, []
    with atomic_directory(log) as tmp:
        for (year, month), days in sorted(months.items()):
            part = f"month={year:04d}-{month:02d}/part-0.parquet"
            first_id = first_call_id(year, month)
            keys[part] = month_key(days, volumes, first_id, seed, mix)
            if previous.get(part) == keys[part]:
                (tmp / part).parent.mkdir(parents=True)
                os.link(log / part, tmp / part)
            else:
                drawn.append((tmp / part, days, first_id))
        # Each month is drawn from its own days' generators and its first id: months are independent, and Parquet's
        # writer (most of the time) and numpy's draws release the GIL, so they are written on every core.
        with ThreadPoolExecutor(max_workers=max(1, min(len(drawn), os.cpu_count() or 1))) as pool:
            list(pool.map(lambda job: _write_month(job[0], job[1], volumes, job[2], seed, mix), drawn))
        written = sum(volumes.values())
        # The record goes before the directory is swapped and comes back after: interrupted in between, the next
        # run finds none and draws every month (never reuses a file by a key it was not written from).
        generation_path(log).unlink(missing_ok=True)
    write_text(generation_path(log), json.dumps({"partitions": keys}, indent=1) + "\n")
    write_vocabulary(log)
    print(f"{log.name}: {len(drawn)} of {len(keys)} monthly partitions drawn, {len(keys) - len(drawn)} unchanged")
    return written


def main(argv: list[str]) -> None:
    """Command line: full|small|x10, or vocabulary full|small|x10."""
    match argv:
        case [size] if size in SCALES:
            rows = generate(paths.synthetic_calllog(size), SCALES[size])
            print(f"wrote {paths.relative(paths.synthetic_calllog(size))}: {rows:,} calls")
        case ["vocabulary", size] if size in SCALES:
            print(f"wrote {paths.relative(write_vocabulary(paths.synthetic_calllog(size)))}")
        case _:
            raise SystemExit(f"usage: python -m analysis.records.calllog_synthetic [vocabulary] {'|'.join(SCALES)}")


if __name__ == "__main__":
    main(sys.argv[1:])
