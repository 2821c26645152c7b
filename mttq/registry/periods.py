"""Date ranges of the organisation: when a unit, a quota rule or a site identity applies.

Vietnam's 2025 reform changed everything on one day (the district level ended
on 30/06/2025, the merged city began on 01/07/2025), and the data files say
so with dates. Every "is this in force on that day / in that month" question
is answered here, in one place, so the unit check, the quota report and the
site's identity never disagree about a boundary.

Both ends are inclusive days (local dates, ``YYYY-MM-DD``); an open end is
``None`` ("always" on that side).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


class RegistryError(ValueError):
    """A data file editors maintain is malformed; the message (Vietnamese) names
    the file and the entry, and says how to fix it."""


PeriodError = RegistryError  # a malformed date range is one such error


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Some day of ``first``..``last`` is in the period."""
        return not ((self.start and self.start > last) or (self.end and self.end < first))

    def overlaps_month(self, year: int, month: int) -> bool:
        return self.overlaps(*month_bounds(year, month))

    def overlaps_period(self, other: "Period") -> bool:
        return self.overlaps(other.start or dt.date.min, other.end or dt.date.max)

    @property
    def month_aligned(self) -> bool:
        """Starts on a 1st and ends on a month's last day (or is open there)."""
        return ((self.start is None or self.start.day == 1)
                and (self.end is None or (self.end + dt.timedelta(days=1)).day == 1))

    def label(self) -> str:
        """``từ 01/07/2025``, ``đến hết 30/06/2025``, ``01/07/2025 – 31/12/2026``, ``mọi thời điểm``."""
        if self.start and self.end:
            return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"
        if self.start:
            return f"từ {self.start:%d/%m/%Y}"
        if self.end:
            return f"đến hết {self.end:%d/%m/%Y}"
        return "mọi thời điểm"

    def as_json(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "until": self.end.isoformat() if self.end else None}


def as_date(value, path: Path, where: str, field: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` value of a data file (YAML may already give a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise PeriodError(f"{path}: {where}: '{field}' phải là một ngày dạng YYYY-MM-DD "
                          f"(ví dụ 2025-07-01), không phải '{value}'.") from exc


def read_period(entry: dict, path: Path, where: str, *, start_keys=("from",),
                end_keys=("until",), named: dict[str, Period] | None = None) -> Period:
    """The period an entry states: its own dates, else the named period it refers to
    (``period: <key>``), the entry's own dates overriding the named ones."""
    base = Period()
    if named is not None and entry.get("period") is not None:
        name = str(entry["period"])
        if name not in named:
            raise PeriodError(f"{path}: {where}: không có giai đoạn '{name}' (các giai đoạn: "
                              f"{', '.join(named) or 'chưa khai báo'}).")
        base = named[name]
    start = end = None
    for key in start_keys:
        if key in entry:
            start = as_date(entry[key], path, where, key)
    for key in end_keys:
        if key in entry:
            end = as_date(entry[key], path, where, key)
    period = Period(start if start is not None else base.start, end if end is not None else base.end)
    if period.start and period.end and period.end < period.start:
        raise PeriodError(f"{path}: {where}: ngày kết thúc {period.end:%d/%m/%Y} trước ngày bắt "
                          f"đầu {period.start:%d/%m/%Y}.")
    return period
