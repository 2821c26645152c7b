"""Anniversaries and slogans (seed 004, section II) and the home-page banner.

The site is static, so whether the banner shows is decided when the site is
built: :func:`current_banners` takes ``today`` explicitly, and the build uses
the ``MTTQ_TODAY`` setting if set, else the local date. The site must
therefore be rebuilt every day (a scheduled CI job) for a banner to appear
and disappear on time; see ``docs/reports.md``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mttq.core.yamlfile import DataFileError, load_yaml

from mttq.core.text import is_slug, nfc


class AnniversaryFileError(ValueError):
    """``data/anniversaries.yaml`` is malformed (Vietnamese message)."""


@dataclass(frozen=True)
class Anniversary:
    key: str
    day: int
    month: int
    founding_year: int
    title: str
    slogan: str = ""  # with {years} and {year}; "" when the seed gives none

    def occurrence(self, year: int) -> dt.date:
        """The anniversary's date in ``year`` (29/2 falls on 28/2 in other years)."""
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return dt.date(year, self.month, self.day - 1)

    def years_on(self, day: dt.date) -> int:
        """Years since the founding year, as celebrated in the year of ``day``."""
        return years_since(self.founding_year, day)

    def slogan_for(self, year: int) -> str:
        if not self.slogan:
            return ""
        return self.slogan.format(years=year - self.founding_year, year=year)


@dataclass(frozen=True)
class AnniversaryData:
    anniversaries: tuple[Anniversary, ...]
    slogans: tuple[str, ...]


@dataclass(frozen=True)
class Banner:
    anniversary: Anniversary
    date: dt.date  # the day of the anniversary this banner announces
    years: int
    slogan: str
    days_left: int  # 0 on the day itself

    @property
    def headline(self) -> str:
        return f"Kỷ niệm {self.years} năm {self.anniversary.title}"


def years_since(founding_year: int, day: dt.date) -> int:
    """How many years since ``founding_year`` in the year of ``day``.

    ``years_since(1930, date(2025, 2, 3)) == 95``: the 95th anniversary of
    3/2/1930 is celebrated in 2025, on that day and in the days before it.
    """
    return day.year - founding_year


def current_banners(anniversaries, today: dt.date, lead_days: int = 7) -> list[Banner]:
    """Anniversaries falling within ``lead_days`` after ``today`` (``today`` included).

    A banner shows from ``lead_days`` days before the anniversary until the day
    itself; the nearest first. Windows that cross the new year are handled
    (the next occurrence may be in the next calendar year).
    """
    banners = []
    for anniversary in anniversaries:
        for year in (today.year, today.year + 1):
            day = anniversary.occurrence(year)
            days_left = (day - today).days
            if 0 <= days_left <= lead_days:
                banners.append(Banner(anniversary, day, years_since(anniversary.founding_year, day),
                                      anniversary.slogan_for(year), days_left))
                break
    return sorted(banners, key=lambda b: (b.date, b.anniversary.key))


def load_anniversaries(path: Path) -> AnniversaryData:
    path = Path(path)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DataFileError) as exc:
        raise AnniversaryFileError(f"{path}: không đọc được tệp ngày kỷ niệm ({exc}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("anniversaries"), list):
        raise AnniversaryFileError(f"{path}: tệp phải có danh sách «anniversaries».")
    found, seen = [], set()
    for index, entry in enumerate(raw["anniversaries"], start=1):
        where = f"{path}, mục thứ {index}"
        if not isinstance(entry, dict):
            raise AnniversaryFileError(f"{where}: mỗi mục có key, day, month, founding_year, title.")
        key = str(entry.get("key", ""))
        if not is_slug(key) or key in seen:
            raise AnniversaryFileError(f"{where}: «key» '{key}' phải là chữ thường không dấu, "
                                       "nối bằng '-', và không trùng.")
        seen.add(key)
        numbers = {}
        for name in ("day", "month", "founding_year"):
            value = entry.get(name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise AnniversaryFileError(f"{where} ('{key}'): «{name}» phải là số.")
            numbers[name] = value
        try:
            dt.date(2000, numbers["month"], numbers["day"])  # a leap year: 29/2 allowed
        except ValueError:
            raise AnniversaryFileError(
                f"{where} ('{key}'): ngày {numbers['day']}/{numbers['month']} không tồn tại."
            ) from None
        title = nfc(str(entry.get("title") or "").strip())
        if not title:
            raise AnniversaryFileError(f"{where} ('{key}'): thiếu «title».")
        slogan = nfc(str(entry.get("slogan") or "").strip())
        try:
            slogan.format(years=1, year=2000)
        except (KeyError, IndexError, ValueError) as exc:
            raise AnniversaryFileError(
                f"{where} ('{key}'): khẩu hiệu chỉ được dùng {{years}} và {{year}} ({exc})."
            ) from None
        found.append(Anniversary(key, numbers["day"], numbers["month"], numbers["founding_year"],
                                 title, slogan))
    slogans = tuple(nfc(str(s).strip()) for s in raw.get("slogans") or [] if str(s).strip())
    return AnniversaryData(tuple(found), slogans)
