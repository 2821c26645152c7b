"""The one-working-day deadline: hand-computed cases from the real calendar."""
from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from mttq.calendar.deadline import (
    Verdict,
    deadline_for,
    deadline_problems,
    deadline_report,
    format_calendar_text,
    format_deadline_json,
    format_deadline_text,
    judge,
)
from mttq.core.problems import ERROR, WARNING
from mttq.core.times import LOCAL_TZ
from mttq.calendar.workdays import checked_years, is_working_day, working_days_between

PLUS7 = timedelta(hours=7)


def end_of(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(23, 59, 59), tzinfo=LOCAL_TZ)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


# (event, expected deadline day), each computed by hand from the official calendar.
@pytest.mark.parametrize(
    "event, due",
    [
        # Friday events
        ("2024-03-08 10:00", "2024-03-11"),  # ordinary Friday -> Monday
        ("2024-05-03 14:30", "2024-05-04"),  # Saturday 04/05/2024 is a làm bù day
        ("2025-04-25 08:00", "2025-04-26"),  # Saturday 26/04/2025 is a làm bù day
        ("2026-01-09 16:00", "2026-01-10"),  # Saturday 10/01/2026 is a làm bù day
        ("2026-08-21 09:00", "2026-08-22"),  # Saturday 22/08/2026 is a làm bù day
        ("2025-08-29 09:00", "2025-09-03"),  # Mon 1/9 and Tue 2/9 off
        ("2022-12-30 09:00", "2023-01-03"),  # Mon 2/1/2023 compensates 1/1 (Sunday)
        ("2026-08-28 09:00", "2026-09-03"),  # 29/08 – 02/09/2026 off
        # just before and during Tết
        ("2024-02-07 15:00", "2024-02-15"),  # Tết Giáp Thìn 08/02 – 14/02
        ("2024-02-10 00:00", "2024-02-15"),  # mùng 1 Tết (a Saturday)
        ("2025-01-23 09:00", "2025-01-24"),  # Thursday before Tết Ất Tỵ
        ("2025-01-24 09:00", "2025-02-03"),  # Friday before 25/01 – 02/02
        ("2025-01-28 20:00", "2025-02-03"),  # Giao thừa
        ("2023-01-19 09:00", "2023-01-27"),  # Tết Quý Mão 20/01 – 26/01
        ("2026-02-13 09:00", "2026-02-23"),  # Tết Bính Ngọ 14/02 – 22/02
        # events on holidays and weekends
        ("2025-04-30 07:00", "2025-05-05"),  # 30/4 – 04/05/2025 off
        ("2024-09-02 07:00", "2024-09-04"),  # Quốc khánh (Mon) + Tue 03/09 off
        ("2026-01-01 07:00", "2026-01-05"),  # 01/01 + swapped 02/01/2026
        ("2024-04-18 07:00", "2024-04-19"),  # Giỗ Tổ 2024 (Thursday)
        ("2024-03-09 10:00", "2024-03-11"),  # Saturday
        ("2024-03-10 10:00", "2024-03-11"),  # Sunday
        ("2024-05-04 10:00", "2024-05-06"),  # event on a làm bù Saturday
        # ordinary weekday
        ("2024-03-12 23:59", "2024-03-13"),
    ],
)
def test_deadline_for(event, due):
    deadline = deadline_for(local(event))
    assert deadline == end_of(due)
    assert deadline.utcoffset() == PLUS7
    assert deadline.isoformat().endswith("T23:59:59+07:00")


def test_deadline_accepts_date_text_and_naive():
    assert deadline_for(date(2024, 3, 8)) == end_of("2024-03-11")
    assert deadline_for("08/03/2024") == end_of("2024-03-11")
    assert deadline_for(datetime(2024, 3, 8, 10, 0)) == end_of("2024-03-11")


def test_deadline_uses_vietnamese_day_of_utc_times():
    # 17:30 UTC Thursday is 00:30 Friday in Vietnam: the event is on Friday.
    assert deadline_for("2024-03-07T17:30:00Z") == end_of("2024-03-11")
    assert deadline_for(datetime(2024, 3, 7, 17, 30, tzinfo=timezone.utc)) == end_of(
        "2024-03-11"
    )
    # 16:59 UTC Thursday is still Thursday 23:59 in Vietnam.
    assert deadline_for("2024-03-07T16:59:00Z") == end_of("2024-03-08")


# Per checked year: last working day before the Tết, 30/4 and 2/9 blocks ->
# first working day after the block (hand-computed from the announcements).
BY_YEAR = {
    2022: [("2022-01-28", "2022-02-07"), ("2022-04-29", "2022-05-04"),
           ("2022-08-31", "2022-09-05")],
    2023: [("2023-01-19", "2023-01-27"), ("2023-04-28", "2023-05-04"),
           ("2023-08-31", "2023-09-05")],
    2024: [("2024-02-07", "2024-02-15"), ("2024-04-26", "2024-05-02"),
           ("2024-08-30", "2024-09-04")],
    2025: [("2025-01-24", "2025-02-03"), ("2025-04-29", "2025-05-05"),
           ("2025-08-29", "2025-09-03")],
    2026: [("2025-12-31", "2026-01-05"), ("2026-02-13", "2026-02-23"),
           ("2026-04-29", "2026-05-04"), ("2026-08-28", "2026-09-03")],
}


def test_every_checked_year_is_covered():
    assert set(BY_YEAR) == set(checked_years())


@pytest.mark.parametrize("year", sorted(BY_YEAR))
def test_deadline_around_holiday_blocks(year):
    for event, due in BY_YEAR[year]:
        assert deadline_for(date.fromisoformat(event)) == end_of(due), event


# --------------------------------------------------------------------------
# judge()
# --------------------------------------------------------------------------


def test_submission_at_2359_is_on_time_and_0001_is_late():
    event = local("2024-03-04 09:00")  # Monday -> deadline Tuesday 05/03
    on_time = judge(event, local("2024-03-05 23:59"))
    assert on_time == Verdict(
        event, end_of("2024-03-05"), local("2024-03-05 23:59"), True, 0, 0.0
    )
    assert judge(event, local("2024-03-05 23:59:59")).on_time
    late = judge(event, local("2024-03-06 00:01"))
    assert not late.on_time
    assert late.working_days_late == 1
    assert late.hours_late == pytest.approx(61 / 3600)  # 23:59:59 -> 00:01:00


def test_utc_commit_time_on_next_vietnamese_day_is_late():
    event = local("2024-03-04 09:00")
    assert judge(event, "2024-03-05T16:59:00Z").on_time  # 23:59 in Vietnam
    late = judge(event, "2024-03-05T17:01:00Z")  # 00:01 on 06/03 in Vietnam
    assert not late.on_time
    assert late.submitted == local("2024-03-06 00:01")
    assert late.working_days_late == 1
    # A commit stamped +09:00 at 01:30 on Tuesday is 23:30 Monday in Vietnam.
    assert judge("2024-03-08", "2024-03-12T01:30:00+09:00").on_time


def test_working_days_and_hours_late():
    v = judge("2024-03-08 10:00", "2024-03-14 10:00")  # deadline Mon 11/03
    assert (v.on_time, v.working_days_late) == (False, 3)  # Tue, Wed, Thu
    assert v.hours_late == pytest.approx(58 + 1 / 3600)


def test_late_on_a_weekend_counts_one_working_day():
    v = judge("2024-03-07", "2024-03-09 09:00")  # deadline Fri 08/03, sent Saturday
    assert (v.on_time, v.working_days_late) == (False, 1)
    assert v.hours_late == pytest.approx(9 + 1 / 3600)
    assert judge("2024-03-07", "2024-03-11 08:00").working_days_late == 1
    assert judge("2024-03-07", "2024-03-12 08:00").working_days_late == 2
    # Deadline on làm bù Saturday 04/05/2024, sent Sunday: 1 working day late.
    assert judge("2024-05-03", "2024-05-05 10:00").working_days_late == 1


def test_late_across_tet_counts_only_working_days():
    v = judge("2024-02-06 10:00", "2024-02-15 09:00")  # deadline Wed 07/02
    assert (v.on_time, v.working_days_late) == (False, 1)
    assert v.hours_late == pytest.approx(7 * 24 + 9 + 1 / 3600)


def test_submission_before_event_is_on_time_for_judge():
    v = judge("2024-03-08 10:00", "2024-03-08 09:00")
    assert v.on_time and v.working_days_late == 0 and v.hours_late == 0.0


# --------------------------------------------------------------------------
# deadline_problems()
# --------------------------------------------------------------------------


def codes(problems):
    return [(p.code, p.severity) for p in problems]


def test_no_event_no_problems():
    assert deadline_problems(None, "2024-03-14 10:00") == []
    assert deadline_problems("", None) == []


def test_on_time_no_problems():
    assert deadline_problems("2024-03-08", "2024-03-11 23:00") == []


def test_late_problem_message():
    problems = deadline_problems("2024-03-08", "2024-03-14 10:00")
    assert codes(problems) == [("deadline.late", ERROR)]
    message = problems[0].message
    for fragment in ("08/03/2024", "11/03/2024", "23:59:59", "14/03/2024",
                     "3 ngày làm việc", "58,0 giờ"):
        assert fragment in message
    assert "Deadline_waiver" in problems[0].hint
    assert unicodedata.is_normalized("NFC", message + problems[0].hint)


def test_waiver_turns_late_into_warning():
    problems = deadline_problems(
        "2024-03-08", "2024-03-14 10:00", waiver="Mất điện, không gửi được"
    )
    assert codes(problems) == [("deadline.waived", WARNING)]
    assert "Mất điện" in problems[0].message
    assert "3 ngày làm việc" in problems[0].message
    # An empty reason is no waiver.
    assert codes(deadline_problems("2024-03-08", "2024-03-14 10:00", waiver="  ")) == [
        ("deadline.late", ERROR)
    ]
    # A waiver on an item that is on time changes nothing.
    assert deadline_problems("2024-03-08", "2024-03-11 10:00", waiver="x") == []


def test_event_after_submission():
    problems = deadline_problems("2024-03-15", "2024-03-14 10:00")
    assert codes(problems) == [("deadline.event_after_submission", ERROR)]
    assert "15/03/2024" in problems[0].message and "14/03/2024" in problems[0].message
    # With times: event at 14:00, sent at 10:00 the same day.
    assert codes(deadline_problems("2024-03-14 14:00", "2024-03-14 10:00")) == [
        ("deadline.event_after_submission", ERROR)
    ]
    # Date only: the same day is fine, whatever the hour of submission.
    assert deadline_problems("2024-03-14", "2024-03-14 00:30") == []


def test_guessed_submission_time():
    now = local("2024-03-11 08:00")
    problems = deadline_problems("2024-03-08", None, now=now)
    assert codes(problems) == [("deadline.guessed_submission_time", WARNING)]
    assert "11/03/2024" in problems[0].message
    late = deadline_problems("2024-03-08", None, now=local("2024-03-13 08:00"))
    assert codes(late) == [
        ("deadline.guessed_submission_time", WARNING),
        ("deadline.late", ERROR),
    ]
    flagged = deadline_problems(
        "2024-03-08", local("2024-03-11 08:00"), submitted_guessed=True
    )
    assert codes(flagged) == [("deadline.guessed_submission_time", WARNING)]


def test_problem_texts_are_vietnamese_nfc():
    cases = [
        deadline_problems("2024-03-08", "2024-03-14 10:00"),
        deadline_problems("2024-03-08", "2024-03-14 10:00", waiver="Lý do"),
        deadline_problems("2024-03-15", "2024-03-14 10:00"),
        deadline_problems("2024-03-08", None, now=local("2024-03-13 08:00")),
    ]
    for problems in cases:
        for p in problems:
            text = p.message + p.hint
            assert unicodedata.is_normalized("NFC", text)
            assert any(ch in text for ch in "ạảãáàâăđêôơư")


def test_bad_text_raises_vietnamese_error():
    with pytest.raises(ValueError) as info:
        deadline_problems("08/03/24", "2024-03-14 10:00")
    assert "dd/mm/yyyy" in str(info.value)


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


def test_json_report():
    report = deadline_report("2024-05-03 14:30", "2024-05-07T03:00:00Z")
    assert report == {
        "event": "2024-05-03T14:30:00+07:00",
        "deadline": "2024-05-04T23:59:59+07:00",
        "submitted": "2024-05-07T10:00:00+07:00",
        "on_time": False,
        "working_days_late": 2,  # Mon 06/05 and Tue 07/05
    }
    assert json.loads(format_deadline_json("2024-05-03 14:30", "2024-05-07T03:00:00Z")) == (
        report
    )
    assert deadline_report("2024-03-08 10:00") == {
        "event": "2024-03-08T10:00:00+07:00",
        "deadline": "2024-03-11T23:59:59+07:00",
        "submitted": None,
        "on_time": None,
        "working_days_late": 0,
    }
    on_time = deadline_report("2024-03-08 10:00", "2024-03-11 23:00")
    assert on_time["on_time"] is True and on_time["working_days_late"] == 0


def test_text_report():
    text = format_deadline_text("2024-05-03 14:30", "2024-05-07 10:00")
    assert "14:30 thứ Sáu, 03/05/2024" in text
    assert "23:59:59 thứ Bảy, 04/05/2024" in text
    assert "TRỄ HẠN 2 ngày làm việc" in text
    assert "58,0 giờ" in text
    assert "ĐÚNG HẠN" in format_deadline_text("2024-05-03", "04/05/2024 22:00")
    only_event = format_deadline_text("2024-05-03")
    assert "04/05/2024" in only_event and "Gửi lúc" not in only_event
    assert unicodedata.is_normalized("NFC", text)


def test_calendar_text():
    text = format_calendar_text(2024)
    assert "năm 2024" in text
    assert "29/04/2024" in text  # swapped day off
    assert "04/05/2024" in text  # làm bù Saturday
    assert "10/02/2024" in text and "Tết Nguyên Đán" in text
    assert "Tháng 05: thứ Sáu, 03/05/2024" in text  # 05/05/2024 is a Sunday
    assert "chưa được đối chiếu" not in text
    assert "12729/VPCP-KGVX" in format_calendar_text(2026)
    assert "chưa được đối chiếu" in format_calendar_text(2030)
    assert "-2024" not in text  # no ISO dates shown to users


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

events = st.datetimes(
    min_value=datetime(2022, 1, 1), max_value=datetime(2027, 11, 30),
    timezones=st.sampled_from([LOCAL_TZ, timezone.utc, timezone(timedelta(hours=-5))]),
)


@given(events)
def test_deadline_properties(event):
    deadline = deadline_for(event)
    local_event = event.astimezone(LOCAL_TZ)
    assert deadline > event
    assert deadline.timetz().replace(tzinfo=None) == time(23, 59, 59)
    assert deadline.utcoffset() == PLUS7
    assert is_working_day(deadline.date())
    assert working_days_between(local_event.date(), deadline.date()) == 1
    assert judge(event, deadline).on_time
    late = judge(event, deadline + timedelta(seconds=1))
    assert not late.on_time and late.working_days_late >= 1
    assert late.hours_late == pytest.approx(1 / 3600)
