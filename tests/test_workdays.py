"""The working-day calendar against the official schedules, and local time.

The expected schedules below are written by hand from the official
announcements (Government Office dispatches and Ministry notices), not read
from data/days_off.yaml, so that package + data file are checked together.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from mttq.calendar import workdays as wd
from mttq.core.times import LOCAL_TZ, DateTimeFormatError, parse_local_datetime, to_local
from mttq.calendar.workdays import DaysOffFileError, column_coordination_date, days_off, is_working_day, load_days_off, next_working_day, swapped_working_days, working_days_between


def D(text: str) -> date:
    return date.fromisoformat(text)


# For each year: the Monday–Friday dates that are NOT working days, and the
# weekend dates that ARE working days (làm bù), for civil servants.
OFFICIAL = {
    2022: {
        "weekdays_off": [
            "2022-01-03",  # 1/1 on Saturday -> Monday off
            # Tết Nhâm Dần: off Sat 29/01 – Sun 06/02 (9 days, no swap)
            "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
            "2022-04-11",  # Giỗ Tổ 10/04 on Sunday -> Monday off
            "2022-05-02", "2022-05-03",  # 30/4 Sat, 1/5 Sun -> Mon, Tue off
            "2022-09-01", "2022-09-02",  # Quốc khánh: Thu 01/09 – Sun 04/09
        ],
        "weekend_workdays": [],
    },
    2023: {
        "weekdays_off": [
            "2023-01-02",  # 1/1 on Sunday
            # Tết Quý Mão: Fri 20/01 – Thu 26/01 (7 days)
            "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
            # Giỗ Tổ Sat 29/04, 30/4 Sun, 1/5 Mon: off 29/04 – 03/05
            "2023-05-01", "2023-05-02", "2023-05-03",
            "2023-09-01", "2023-09-04",  # Quốc khánh: Fri 01/09 – Mon 04/09
        ],
        "weekend_workdays": [],
    },
    2024: {
        "weekdays_off": [
            "2024-01-01",
            # Tết Giáp Thìn: Thu 08/02 – Wed 14/02 (7 days)
            "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
            "2024-04-18",  # Giỗ Tổ
            # 2450/VPCP-KGVX: off Sat 27/04 – Wed 01/05, Mon 29/04 swapped
            "2024-04-29", "2024-04-30", "2024-05-01",
            "2024-09-02", "2024-09-03",  # Quốc khánh: Sat 31/08 – Tue 03/09
        ],
        "weekend_workdays": ["2024-05-04"],
    },
    2025: {
        "weekdays_off": [
            "2025-01-01",
            # Tết Ất Tỵ (8726/VPCP-KGVX, 6150/TB-BLĐTBXH): Sat 25/01 – Sun 02/02
            "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
            "2025-04-07",  # Giỗ Tổ
            # 30/4–1/5: Wed 30/04 – Sun 04/05, Fri 02/05 swapped with Sat 26/04
            "2025-04-30", "2025-05-01", "2025-05-02",
            "2025-09-01", "2025-09-02",  # Quốc khánh: Sat 30/08 – Tue 02/09
        ],
        "weekend_workdays": ["2025-04-26"],
    },
    2026: {
        "weekdays_off": [
            # 12729/VPCP-KGVX: Thu 01/01 – Sun 04/01, Fri 02/01 swapped with Sat 10/01
            "2026-01-01", "2026-01-02",
            # Tết Bính Ngọ: Sat 14/02 – Sun 22/02 (9 days)
            "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
            "2026-04-27",  # Giỗ Tổ 26/04 on Sunday -> Monday off
            "2026-04-30", "2026-05-01",  # Thu 30/04 – Sun 03/05
            # Quốc khánh: Sat 29/08 – Wed 02/09, Mon 31/08 swapped with Sat 22/08
            "2026-08-31", "2026-09-01", "2026-09-02",
            # Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW), as the holidays package
            # has it; the Labor Code amendment making it a day off was not verified.
            "2026-11-24",
        ],
        "weekend_workdays": ["2026-01-10", "2026-08-22"],
    },
}

# Whole holiday blocks as announced (first and last day off), with the working
# days right before and after.
TET_BLOCKS = {
    2022: ("2022-01-29", "2022-02-06"),
    2023: ("2023-01-20", "2023-01-26"),
    2024: ("2024-02-08", "2024-02-14"),
    2025: ("2025-01-25", "2025-02-02"),
    2026: ("2026-02-14", "2026-02-22"),
}
APRIL_MAY_BLOCKS = {
    2022: ("2022-04-30", "2022-05-03"),
    2023: ("2023-04-29", "2023-05-03"),
    2024: ("2024-04-27", "2024-05-01"),
    2025: ("2025-04-30", "2025-05-04"),
    2026: ("2026-04-30", "2026-05-03"),
}
NATIONAL_DAY_BLOCKS = {
    2022: ("2022-09-01", "2022-09-04"),
    2023: ("2023-09-01", "2023-09-04"),
    2024: ("2024-08-31", "2024-09-03"),
    2025: ("2025-08-30", "2025-09-02"),
    2026: ("2026-08-29", "2026-09-02"),
}


def test_every_checked_year_has_an_expected_schedule():
    years = set(load_days_off().checked_years)
    assert years == set(OFFICIAL), (
        "every year in data/days_off.yaml checked_years needs a hand-written "
        "official schedule in OFFICIAL (and vice versa)"
    )
    assert {2022, 2023, 2024, 2025, 2026} <= years


def test_data_file_entries_fall_in_checked_years():
    data = load_days_off()
    assert data.days, "the data file should not be empty"
    for day in data.days:
        assert day.year in data.checked_years


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_whole_year_matches_official_schedule(year):
    off = {D(d) for d in OFFICIAL[year]["weekdays_off"]}
    work = {D(d) for d in OFFICIAL[year]["weekend_workdays"]}
    assert all(d.weekday() < 5 for d in off)
    assert all(d.weekday() >= 5 for d in work)
    day = date(year, 1, 1)
    mismatches = []
    while day.year == year:
        expected = (day.weekday() < 5 and day not in off) or day in work
        if is_working_day(day) != expected:
            mismatches.append((day.isoformat(), expected))
        day += timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize(
    "blocks", [TET_BLOCKS, APRIL_MAY_BLOCKS, NATIONAL_DAY_BLOCKS], ids=["tet", "30-4", "2-9"]
)
@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_holiday_blocks(blocks, year):
    first, last = D(blocks[year][0]), D(blocks[year][1])
    day = first
    while day <= last:
        assert not is_working_day(day), day
        day += timedelta(days=1)
    assert is_working_day(first - timedelta(days=1))
    assert is_working_day(last + timedelta(days=1))
    assert next_working_day(first - timedelta(days=1)) == last + timedelta(days=1)


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_swapped_working_days_listed(year):
    listed = [d.date for d in swapped_working_days(year)]
    assert listed == sorted(D(d) for d in OFFICIAL[year]["weekend_workdays"])
    for item in swapped_working_days(year):
        assert item.kind == "working_day"
        assert item.name and unicodedata.is_normalized("NFC", item.name)
        assert item.source


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_days_off_lists_every_weekday_off(year):
    items = days_off(year)
    listed = {d.date for d in items}
    assert {D(d) for d in OFFICIAL[year]["weekdays_off"]} <= listed
    assert [d.date for d in items] == sorted(listed)
    for item in items:
        assert item.kind == "day_off"
        assert item.origin in ("package", "data")
        assert item.name.strip() and unicodedata.is_normalized("NFC", item.name)
        assert item.source.strip()
        assert not is_working_day(item.date)


def test_day_off_sources():
    by_date = {d.date: d for d in days_off(2026)}
    swapped = by_date[D("2026-01-02")]
    assert swapped.origin == "data"
    assert "12729/VPCP-KGVX" in swapped.source
    assert by_date[D("2026-02-17")].origin == "package"
    assert "holidays" in by_date[D("2026-02-17")].source
    assert by_date[D("2026-02-17")].name == "Tết Nguyên Đán"
    work = {d.date: d for d in swapped_working_days(2026)}
    assert work[D("2026-01-10")].origin == "data"
    assert work[D("2026-08-22")].origin == "package"
    assert "31/08/2026" in work[D("2026-08-22")].name


def test_weekends_and_ordinary_days():
    assert is_working_day(D("2024-03-08"))  # Friday
    assert not is_working_day(D("2024-03-09"))  # Saturday
    assert not is_working_day(D("2024-03-10"))  # Sunday
    assert is_working_day(D("2024-03-11"))  # Monday


def test_next_working_day_is_strictly_after():
    assert next_working_day(D("2024-03-11")) == D("2024-03-12")  # Mon -> Tue
    assert next_working_day(D("2024-03-08")) == D("2024-03-11")  # Fri -> Mon
    assert next_working_day(D("2024-03-09")) == D("2024-03-11")  # Sat -> Mon
    assert next_working_day(D("2024-05-03")) == D("2024-05-04")  # Fri -> làm bù Sat
    assert next_working_day(D("2025-12-31")) == D("2026-01-05")  # across 1/1 + swap
    assert next_working_day(D("2026-01-09")) == D("2026-01-10")  # Fri -> làm bù Sat


def test_working_days_between():
    # (start, end]: start excluded, end included
    assert working_days_between(D("2024-03-11"), D("2024-03-11")) == 0
    assert working_days_between(D("2024-03-08"), D("2024-03-11")) == 1
    assert working_days_between(D("2024-03-08"), D("2024-03-15")) == 5
    assert working_days_between(D("2024-03-15"), D("2024-03-08")) == -5
    # Across Tết Giáp Thìn: Wed 07/02 -> Thu 15/02 is 1 working day.
    assert working_days_between(D("2024-02-07"), D("2024-02-15")) == 1
    # Week of 30/4/2024: Fri 26/04 -> Sat 04/05: Thu 02, Fri 03 and Sat 04/05.
    assert working_days_between(D("2024-04-26"), D("2024-05-04")) == 3


@pytest.mark.parametrize(
    "year, month, expected",
    [
        (2024, 1, "2024-01-05"),  # Friday: unchanged
        (2024, 5, "2024-05-03"),  # 5th is Sunday -> Friday 3rd
        (2024, 10, "2024-10-04"),  # 5th is Saturday -> Friday 4th
        (2025, 1, "2025-01-03"),  # Sunday
        (2025, 4, "2025-04-04"),  # Saturday
        (2025, 6, "2025-06-05"),  # Thursday
        (2026, 9, "2026-09-04"),  # Saturday
    ],
)
def test_column_coordination_date(year, month, expected):
    assert column_coordination_date(year, month) == D(expected)


def test_column_coordination_date_is_never_a_weekend():
    for year in range(2022, 2031):
        for month in range(1, 13):
            day = column_coordination_date(year, month)
            assert day.weekday() < 5
            assert 3 <= day.day <= 5


# --------------------------------------------------------------------------
# Data file: format, override, cache
# --------------------------------------------------------------------------


def _write(tmp_path, text):
    path = tmp_path / "days_off.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_data_file_overrides_package(tmp_path):
    path = _write(
        tmp_path,
        "checked_years: [2024]\n"
        "days:\n"
        "  - date: 2024-03-12\n"
        "    kind: day_off\n"
        "    name: Nghỉ thử\n"
        "    source: Thông báo thử\n"
        "  - date: '18/04/2024'\n"
        "    kind: working_day\n"
        "    name: Đi làm thử\n"
        "    source: Thông báo thử\n",
    )
    assert not is_working_day(D("2024-03-12"), data_path=path)
    assert is_working_day(D("2024-03-12"))  # default file unaffected
    assert is_working_day(D("2024-04-18"), data_path=path)  # package holiday overridden
    assert D("2024-04-18") not in {d.date for d in days_off(2024, data_path=path)}
    assert D("2024-04-18") in {d.date for d in swapped_working_days(2024, data_path=path)}
    assert next_working_day(D("2024-03-11"), data_path=path) == D("2024-03-13")


def test_data_file_is_loaded_once(tmp_path):
    path = _write(tmp_path, "checked_years: []\ndays: []\n")
    first = load_days_off(path)
    path.write_text("not: [valid", encoding="utf-8")
    assert load_days_off(path) is first
    wd.clear_cache()
    with pytest.raises(DaysOffFileError):
        load_days_off(path)
    wd.clear_cache()


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("days:\n  - date: 2024-03-12\n    kind: holiday\n    name: X\n    source: Y\n",
         "day_off"),
        ("days:\n  - date: 2024-03-12\n    kind: day_off\n    name: X\n", "thiếu source"),
        ("days:\n  - date: 2024-02-30\n    kind: day_off\n    name: X\n    source: Y\n",
         "2024-02-30"),
        ("days:\n  - date: 2024-03-12\n    kind: day_off\n    name: ''\n    source: Y\n",
         "name"),
        ("days:\n  - {date: 2024-03-12, kind: day_off, name: X, source: Y}\n"
         "  - {date: 2024-03-12, kind: working_day, name: X, source: Y}\n", "đã có"),
        ("checked_years: 2024\ndays: []\n", "checked_years"),
        ("holidays: []\n", "khóa không hợp lệ"),
    ],
)
def test_malformed_data_file(tmp_path, body, fragment):
    path = _write(tmp_path, body)
    with pytest.raises(DaysOffFileError) as info:
        load_days_off(path)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)
    wd.clear_cache()


# --------------------------------------------------------------------------
# Local time and parsing
# --------------------------------------------------------------------------


def test_to_local():
    naive = datetime(2024, 3, 5, 23, 30)
    assert to_local(naive) == datetime(2024, 3, 5, 23, 30, tzinfo=LOCAL_TZ)
    assert to_local(naive).utcoffset() == timedelta(hours=7)
    utc = datetime(2024, 3, 5, 17, 30, tzinfo=timezone.utc)
    assert to_local(utc).replace(tzinfo=None) == datetime(2024, 3, 6, 0, 30)
    tokyo = datetime(2024, 3, 6, 1, 0, tzinfo=timezone(timedelta(hours=9)))
    assert to_local(tokyo).replace(tzinfo=None) == datetime(2024, 3, 5, 23, 0)
    with pytest.raises(TypeError):
        to_local(date(2024, 3, 5))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-03", datetime(2024, 5, 3, 0, 0)),
        ("2024-05-03T14:30", datetime(2024, 5, 3, 14, 30)),
        ("2024-05-03 14:30", datetime(2024, 5, 3, 14, 30)),
        ("2024-05-03T14:30:15", datetime(2024, 5, 3, 14, 30, 15)),
        ("2024-05-03T14:30:15.250", datetime(2024, 5, 3, 14, 30, 15, 250000)),
        ("2024-05-03T14:30:00+07:00", datetime(2024, 5, 3, 14, 30)),
        ("2024-05-03T07:30:00Z", datetime(2024, 5, 3, 14, 30)),
        ("2024-05-03T17:30:00+00:00", datetime(2024, 5, 4, 0, 30)),
        ("2024-05-03T09:30:00+0200", datetime(2024, 5, 3, 14, 30)),
        ("2024-05-03 02:30-05:00", datetime(2024, 5, 3, 14, 30)),
        ("03/05/2024", datetime(2024, 5, 3, 0, 0)),
        ("03/05/2024 14:30", datetime(2024, 5, 3, 14, 30)),
        ("3/5/2024 7:05", datetime(2024, 5, 3, 7, 5)),
        ("  03/05/2024   14:30 ", datetime(2024, 5, 3, 14, 30)),
    ],
)
def test_parse_local_datetime_accepts(text, expected):
    parsed = parse_local_datetime(text)
    assert parsed.utcoffset() == timedelta(hours=7)
    assert parsed.replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hôm qua",
        "03/05/24",  # two-digit year
        "2024/05/03",
        "05-03-2024",
        "2024-5-3",
        "2024-05-03T14",  # hour without minutes
        "20240503",
        "2024-W18-5",
        "03.05.2024",
        "2024-05-03 14:30 PM",
    ],
)
def test_parse_local_datetime_rejects_ambiguous(text):
    with pytest.raises(ValueError) as info:
        parse_local_datetime(text)
    message = str(info.value)
    assert "YYYY-MM-DD HH:MM" in message and "dd/mm/yyyy" in message
    assert unicodedata.is_normalized("NFC", message)
    assert "Không hiểu" in message


@pytest.mark.parametrize(
    "text",
    ["2023-02-29", "31/04/2024", "2024-05-03 25:00", "2024-05-03 14:60", "32/01/2024",
     "2024-13-01", "2024-05-03T14:30+15:00"],
)
def test_parse_local_datetime_rejects_impossible(text):
    with pytest.raises(DateTimeFormatError) as info:
        parse_local_datetime(text)
    message = str(info.value)
    assert "không tồn tại" in message
    assert "YYYY-MM-DD HH:MM" in message


def test_parse_accepts_decomposed_input():
    # NFD text (e.g. pasted from macOS) is normalised before parsing.
    assert parse_local_datetime(unicodedata.normalize("NFD", "03/05/2024")).day == 3


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

days_2022_2027 = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 1))


@given(days_2022_2027)
def test_next_working_day_properties(day):
    nxt = next_working_day(day)
    assert nxt > day
    assert is_working_day(nxt)
    probe = day + timedelta(days=1)
    while probe < nxt:
        assert not is_working_day(probe)
        probe += timedelta(days=1)
    assert working_days_between(day, nxt) == 1


@given(days_2022_2027, st.integers(min_value=0, max_value=40))
def test_working_days_between_adds_up(day, gap):
    middle = day + timedelta(days=gap)
    end = middle + timedelta(days=gap)
    assert working_days_between(day, end) == (
        working_days_between(day, middle) + working_days_between(middle, end)
    )
    assert 0 <= working_days_between(day, end) <= 2 * gap
