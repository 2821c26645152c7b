"""The Vietnamese working-day calendar of civil servants, and local time.

A *working day* is Monday–Friday, minus Vietnam's public holidays and official
days off (Tết Nguyên đán, 30/4–1/5, 2/9 and its adjacent day, compensatory
days, days moved by government decision), plus the weekend days the government
declares working days in exchange (*làm bù*).

Two sources are combined:

* the ``holidays`` package (``holidays.VN``), which knows the Labor Code
  holidays, the compensatory days (*nghỉ bù*) and the swaps it has been told
  about (``weekend_workdays``);
* ``data/days_off.yaml``, which holds what the package does not know. An entry
  there always wins over the package for its date.

Everything that depends on "which day is it" uses local time,
``Asia/Ho_Chi_Minh`` (UTC+7, no daylight saving time).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

import holidays
from mttq.core.yamlfile import DataFileError, load_yaml

from mttq.core import runs
from mttq.core.paths import DATA_DIR
from mttq.core.runs import once_per_run
from mttq.core.times import _nfc, format_date, to_local, weekday_vi

DEFAULT_DATA_PATH = DATA_DIR / "days_off.yaml"

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
KINDS = (DAY_OFF, WORKING_DAY)

ORIGIN_PACKAGE = "package"
ORIGIN_DATA = "data"

PathLike = Union[str, "os.PathLike[str]"]

# "Ngày nghỉ (thay cho ngày 04/05/2024)": the package's label of a swapped day off.
_SUBSTITUTED_FROM = re.compile(r"(\d{2})/(\d{2})/(\d{4})")

# A search for the next working day gives up after this many days (a data file
# that turned a whole year into days off is an error, not an infinite loop).
_MAX_SEARCH_DAYS = 366


# --------------------------------------------------------------------------
# The data file
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    """One day off or one declared working day, with where we know it from."""

    date: date
    kind: str  # DAY_OFF or WORKING_DAY
    name: str  # Vietnamese
    source: str  # the official document, or the package and its version
    origin: str  # ORIGIN_PACKAGE or ORIGIN_DATA

    @property
    def weekday(self) -> str:
        return weekday_vi(self.date)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class DaysOffFile:
    path: Path
    checked_years: tuple[int, ...]
    days: dict[date, CalendarDay]


class DaysOffFileError(ValueError):
    """``data/days_off.yaml`` is malformed; the message (Vietnamese) says where."""


def _entry_date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        raise DaysOffFileError(f"{where}: «date» chỉ ghi ngày, không ghi giờ.")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.fullmatch(
            r"(\d{1,2})/(\d{1,2})/(\d{4})", text
        )
        if match:
            a, b, c = (int(g) for g in match.groups())
            y, m, d = (a, b, c) if "-" in text else (c, b, a)
            try:
                return date(y, m, d)
            except ValueError:
                raise DaysOffFileError(f"{where}: ngày «{text}» không tồn tại.") from None
    raise DaysOffFileError(
        f"{where}: «date» phải có dạng YYYY-MM-DD (ví dụ 2026-01-02), không phải «{value}»."
    )


def _parse_days_off(raw: Any, path: Path) -> DaysOffFile:
    name = path.name
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise DaysOffFileError(f"Tệp {name}: phải có hai khóa «checked_years» và «days».")
    unknown = set(raw) - {"checked_years", "days"}
    if unknown:
        raise DaysOffFileError(
            f"Tệp {name}: khóa không hợp lệ {sorted(map(str, unknown))}; "
            "chỉ dùng «checked_years» và «days»."
        )
    years = raw.get("checked_years") or []
    if not isinstance(years, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) for y in years
    ):
        raise DaysOffFileError(
            f"Tệp {name}: «checked_years» phải là danh sách năm, ví dụ [2025, 2026]."
        )
    entries = raw.get("days") or []
    if not isinstance(entries, list):
        raise DaysOffFileError(f"Tệp {name}: «days» phải là một danh sách các mục.")
    days: dict[date, CalendarDay] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"Tệp {name}, mục thứ {index}"
        if not isinstance(entry, dict):
            raise DaysOffFileError(f"{where}: mỗi mục phải có date, kind, name, source.")
        missing = [k for k in ("date", "kind", "name", "source") if k not in entry]
        if missing:
            raise DaysOffFileError(f"{where}: thiếu {', '.join(missing)}.")
        extra = set(entry) - {"date", "kind", "name", "source"}
        if extra:
            raise DaysOffFileError(
                f"{where}: khóa không hợp lệ {sorted(map(str, extra))}; "
                "chỉ dùng date, kind, name, source."
            )
        day = _entry_date(entry["date"], where)
        where = f"Tệp {name}, mục ngày {format_date(day)}"
        kind = entry["kind"]
        if kind not in KINDS:
            raise DaysOffFileError(
                f"{where}: «kind» phải là day_off (ngày nghỉ) hoặc working_day "
                f"(ngày đi làm), không phải «{kind}»."
            )
        texts = {}
        for key in ("name", "source"):
            value = entry[key]
            if not isinstance(value, str) or not value.strip():
                raise DaysOffFileError(f"{where}: «{key}» không được để trống.")
            texts[key] = _nfc(value.strip())
        if day in days:
            raise DaysOffFileError(f"{where}: ngày này đã có ở một mục khác.")
        days[day] = CalendarDay(day, kind, texts["name"], texts["source"], ORIGIN_DATA)
    return DaysOffFile(path, tuple(sorted(set(years))), days)


def _resolve(path: PathLike | None) -> Path:
    return Path(path).resolve() if path is not None else DEFAULT_DATA_PATH


@once_per_run
def _load_cached(path: Path) -> DaysOffFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DaysOffFileError(f"Không tìm thấy tệp lịch nghỉ {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DaysOffFileError(f"Không đọc được tệp lịch nghỉ {path}: {exc}") from None
    try:
        raw = load_yaml(text, dates_as_text=True)
    except DataFileError as exc:
        raise DaysOffFileError(f"Tệp {path.name}: {exc}") from None
    return _parse_days_off(raw, path)


def load_days_off(path: PathLike | None = None) -> DaysOffFile:
    """The data file, parsed and validated once per path (cached).

    ``path`` defaults to ``<repo>/data/days_off.yaml``.
    Raises :class:`DaysOffFileError` (a ``ValueError``) when it is malformed.
    """
    return _load_cached(_resolve(path))


def clear_cache() -> None:
    """Forget the loaded data files (for tests or after editing the file)."""
    runs.begin()


# --------------------------------------------------------------------------
# What the holidays package knows
# --------------------------------------------------------------------------


def _package_source() -> str:
    return f"gói Python holidays {holidays.__version__} (holidays.VN)"


@dataclass(frozen=True)
class _PackageYear:
    days_off: dict[date, str]  # date -> Vietnamese name
    weekend_workdays: dict[date, str]  # date -> Vietnamese name


@lru_cache(maxsize=64)
def _package_year(year: int) -> _PackageYear:
    # Neighbouring years too: a swap may pair a day with one in another year.
    cal = holidays.country_holidays("VN", years=range(year - 1, year + 2), language="vi")
    days_off = {d: _nfc(name) for d, name in cal.items() if d.year == year}
    workdays: dict[date, str] = {}
    for work_day in getattr(cal, "weekend_workdays", set()):
        if work_day.year != year:
            continue
        partner = None
        for d, name in cal.items():
            for m in _SUBSTITUTED_FROM.finditer(name):
                dd, mm, yyyy = (int(g) for g in m.groups())
                if date(yyyy, mm, dd) == work_day:
                    partner = d
        if partner is not None:
            label = f"Đi làm bù cho ngày nghỉ {format_date(partner)}"
        else:
            label = "Đi làm bù (hoán đổi ngày làm việc)"
        workdays[work_day] = label
    return _PackageYear(days_off, workdays)


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


def is_working_day(day: date, *, data_path: PathLike | None = None) -> bool:
    """Whether civil servants work on ``day`` (a local calendar date)."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    entry = load_days_off(data_path).days.get(day)
    if entry is not None:
        return entry.kind == WORKING_DAY
    package = _package_year(day.year)
    if day in package.weekend_workdays:
        return True
    if day.weekday() >= 5:
        return False
    return day not in package.days_off


def next_working_day(day: date, *, data_path: PathLike | None = None) -> date:
    """The first working day strictly after ``day``."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    candidate = day
    for _ in range(_MAX_SEARCH_DAYS):
        candidate += timedelta(days=1)
        if is_working_day(candidate, data_path=data_path):
            return candidate
    raise RuntimeError(
        f"Không có ngày làm việc nào trong {_MAX_SEARCH_DAYS} ngày sau {format_date(day)}; "
        "hãy kiểm tra tệp lịch nghỉ."
    )


def working_days_between(
    start: date, end: date, *, data_path: PathLike | None = None
) -> int:
    """Number of working days ``d`` with ``start < d <= end``.

    ``start`` itself is not counted, ``end`` is; negative when ``end < start``
    (``working_days_between(a, b) == -working_days_between(b, a)``).
    """
    if isinstance(start, datetime):
        start = to_local(start).date()
    if isinstance(end, datetime):
        end = to_local(end).date()
    if end < start:
        return -working_days_between(end, start, data_path=data_path)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, data_path=data_path):
            count += 1
    return count


def days_off(year: int, *, data_path: PathLike | None = None) -> list[CalendarDay]:
    """The year's public holidays and official days off, sorted by date.

    Holidays falling on a weekend are listed too (their compensatory day is a
    separate entry). Each item says whether it comes from the package or from
    the data file; a data-file ``working_day`` entry removes a package day off.
    """
    data = load_days_off(data_path).days
    result: dict[date, CalendarDay] = {}
    for day, name in _package_year(year).days_off.items():
        result[day] = CalendarDay(day, DAY_OFF, name, _package_source(), ORIGIN_PACKAGE)
    for day, entry in data.items():
        if day.year != year:
            continue
        if entry.kind == DAY_OFF:
            result[day] = entry
        else:
            result.pop(day, None)
    return [result[d] for d in sorted(result)]


def swapped_working_days(
    year: int, *, data_path: PathLike | None = None
) -> list[CalendarDay]:
    """Weekend days declared working days (*làm bù*) in ``year``, sorted.

    Also lists any day the data file declares a working day (for instance a
    package holiday that did not apply to civil servants).
    """
    data = load_days_off(data_path).days
    result: dict[date, CalendarDay] = {}
    for day, name in _package_year(year).weekend_workdays.items():
        result[day] = CalendarDay(day, WORKING_DAY, name, _package_source(), ORIGIN_PACKAGE)
    for day, entry in data.items():
        if day.year != year:
            continue
        if entry.kind == WORKING_DAY:
            result[day] = entry
        else:
            result.pop(day, None)
    return [result[d] for d in sorted(result)]


def checked_years(*, data_path: PathLike | None = None) -> tuple[int, ...]:
    """Years whose calendar was checked against the official announcements."""
    return load_days_off(data_path).checked_years


def column_coordination_date(year: int, month: int) -> date:
    """Day the monthly column's unit agrees content with the provincial board.

    Seed 002, II.2: the 5th of each month; "nếu trùng thứ bảy, chủ nhật thì
    dời xuống vào ngày thứ sáu gần kề" — a 5th on Saturday or Sunday moves to
    the Friday just before (the 4th or the 3rd). Holidays are not considered:
    the seed does not mention them.
    """
    fifth = date(year, month, 5)
    if fifth.weekday() == 5:
        return fifth - timedelta(days=1)
    if fifth.weekday() == 6:
        return fifth - timedelta(days=2)
    return fifth


