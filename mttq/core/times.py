"""Local time and how dates, times and numbers are written for Vietnamese readers.

One place for what every part of the site shows or parses: the time zone
(Asia/Ho_Chi_Minh, UTC+7, no daylight saving time), dates as dd/mm/yyyy,
weekday names, "Tháng mm/yyyy" labels, ``YYYY-MM`` months, the decimal comma,
and the date-time formats contributors may type.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

# --------------------------------------------------------------------------
# Formatting helpers (dates are shown to users as dd/mm/yyyy)
# --------------------------------------------------------------------------


def weekday_vi(day: date) -> str:
    """Vietnamese name of the weekday: ``thứ Hai`` … ``Chủ nhật``."""
    return _WEEKDAYS_VI[day.weekday()]


def format_date(day: date) -> str:
    """``dd/mm/yyyy``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_clock(moment: datetime) -> str:
    """``HH:MM`` in local time (``HH:MM:SS`` when the seconds are not zero)."""
    local = to_local(moment)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return f"{clock}:{local.second:02d}" if local.second else clock


def format_datetime(moment: datetime) -> str:
    """``HH:MM dd/mm/yyyy`` in local time (seconds shown when not zero)."""
    return f"{format_clock(moment)} {format_date(to_local(moment).date())}"



# --------------------------------------------------------------------------
# Local time
# --------------------------------------------------------------------------


def to_local(moment: datetime) -> datetime:
    """``moment`` in Asia/Ho_Chi_Minh; a naive datetime is taken as local time."""
    if not isinstance(moment, datetime):
        raise TypeError(f"to_local() expects a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


EXPECTED_FORMATS = (
    "YYYY-MM-DD HH:MM (ví dụ 2024-05-03 14:30; có thể thêm giây, múi giờ như "
    "+07:00 hoặc Z, hoặc chỉ ghi ngày 2024-05-03) hoặc dd/mm/yyyy HH:MM "
    "(ví dụ 03/05/2024 14:30, hoặc chỉ ghi ngày 03/05/2024)"
)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6}))?)?"
    r"\s*(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_VN = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


class DateTimeFormatError(ValueError):
    """A date/time the user typed could not be understood (Vietnamese message)."""


def parse_local_datetime(text: str) -> datetime:
    """Parse a date or date-time typed by a user or found in metadata.

    Accepted: ISO 8601 ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS[.ffffff]]`` or
    with a space instead of ``T``, optionally followed by ``Z`` or an offset
    (``+07:00``, ``+0700``, ``+07``); and the Vietnamese ``dd/mm/yyyy`` with an
    optional ``HH:MM[:SS]``. Without an offset the time is local; without a
    time it is 00:00 local. The result is aware, in :data:`LOCAL_TZ`.

    Anything else (two-digit years, ``yyyy/mm/dd``, ``mm-dd-yyyy``, hours
    without minutes, …) and impossible values (30/02, 25:00) raise
    :class:`DateTimeFormatError`, a ``ValueError`` whose Vietnamese message
    shows the expected format.
    """
    if not isinstance(text, str):
        raise DateTimeFormatError(
            f"Thời điểm phải là chuỗi ký tự theo dạng {EXPECTED_FORMATS}."
        )
    raw = _nfc(text).strip()
    match = _ISO.fullmatch(raw) or _VN.fullmatch(raw)
    if not match:
        raise DateTimeFormatError(
            f"Không hiểu thời điểm «{raw}». Hãy ghi theo dạng {EXPECTED_FORMATS}."
        )
    g = match.groupdict()
    tz_text = g.get("tz")
    if tz_text is None:
        tzinfo: Any = LOCAL_TZ
    elif tz_text in ("Z", "z"):
        tzinfo = timezone.utc
    else:
        sign = -1 if tz_text[0] == "-" else 1
        digits = tz_text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 14 or minutes > 59 or (hours == 14 and minutes):
            raise DateTimeFormatError(
                f"Múi giờ «{tz_text}» trong «{raw}» không tồn tại. "
                f"Hãy ghi theo dạng {EXPECTED_FORMATS}."
            )
        tzinfo = timezone(sign * timedelta(hours=hours, minutes=minutes))
    fraction = (g.get("f") or "").ljust(6, "0")
    try:
        moment = datetime(
            int(g["y"]),
            int(g["m"]),
            int(g["d"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            int(fraction or 0),
            tzinfo=tzinfo,
        )
    except ValueError:
        raise DateTimeFormatError(
            f"Ngày giờ «{raw}» không tồn tại (kiểm tra ngày, tháng, giờ, phút). "
            f"Hãy ghi theo dạng {EXPECTED_FORMATS}."
        ) from None
    return moment.astimezone(LOCAL_TZ)


# --------------------------------------------------------------------------
# Labels for readers and editors
# --------------------------------------------------------------------------


def _local_any(moment: datetime | date) -> datetime | date:
    return to_local(moment) if isinstance(moment, datetime) else moment


def weekday_title(day: date) -> str:
    """``Thứ Sáu``: the weekday as it starts a line."""
    weekday = weekday_vi(day)
    return weekday[0].upper() + weekday[1:]


def vn_date(moment: datetime | date | None) -> str:
    """dd/mm/yyyy (local date of a datetime); empty for None."""
    return format_date(_local_any(moment)) if moment else ""


def vn_datetime(moment: datetime | None) -> str:
    """``Thứ Tư, 14/05/2025 08:30`` in local time; empty for None."""
    if not moment:
        return ""
    local = to_local(moment)
    return f"{weekday_title(local.date())}, {format_date(local.date())} {local:%H:%M}"


def weekday_date(day: date) -> str:
    """``Thứ Sáu, 03/11/2023``."""
    return f"{weekday_title(day)}, {format_date(day)}"


def iso_datetime(moment: datetime | date | None) -> str:
    return _local_any(moment).isoformat() if moment else ""


def month_label(year: int, month: int) -> str:
    """``Tháng 05/2025``: every page writes a month this one way."""
    return f"Tháng {month:02d}/{year}"


def month_key(year: int, month: int) -> str:
    """``2025-05``."""
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` -> (year, month); ValueError (Vietnamese) otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(text).strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"Tháng '{text}' không hợp lệ: ghi theo dạng YYYY-MM, ví dụ 2025-05.")
    return int(match[1]), int(match[2])


def decimal_comma(value: float, digits: int = 1, strip_zeros: bool = False) -> str:
    """``50,3``: Vietnamese writes a decimal comma."""
    text = f"{value:.{digits}f}"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
