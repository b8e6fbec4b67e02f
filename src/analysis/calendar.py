"""Dates, days and years: ISO 8601 strings in, plain numbers out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

DAYS_PER_YEAR = 365.25


def days_between(start: str, end: str) -> int:
    """Calendar days from one ISO date to another."""
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def period_days(start: str, end: str) -> int:
    """Days in an inclusive ISO period; a stock on a date has 1."""
    return days_between(start, end) + 1


def years_between(start: str, end: str) -> float:
    """Years from one ISO date to another, counting 365.25 days a year."""
    return days_between(start, end) / DAYS_PER_YEAR


def date_range(start: str, end: str, step_days: int) -> list[str]:
    """ISO dates from start to end inclusive, every `step_days`, always ending at `end`."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    days = list(range(0, (last - first).days + 1, step_days))
    dates = [(first + timedelta(days=d)).isoformat() for d in days]
    return dates if dates[-1] == end else [*dates, end]


def dates_after(start: str, years: Iterable[float]) -> list[date]:
    """The dates that lie the given numbers of years after `start`."""
    origin = date.fromisoformat(start)
    return [origin + timedelta(days=float(y) * DAYS_PER_YEAR) for y in years]
