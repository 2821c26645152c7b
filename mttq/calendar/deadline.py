"""The one-working-day submission deadline for items about an event.

Seed 002, II.1: "Tin, bài về các sự kiện phải được gửi đến Ban Biên tập chậm
nhất sau 01 ngày làm việc." Our reading (see ``docs/deadline.md``): the item
must reach the editors by the end (23:59:59 local time) of the first working
day after the day of the event. The event day itself need not be a working
day: an event on Friday is due on Monday, one on a Saturday or a holiday on
the next working day, one on the eve of Tết on the first working day after Tết.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from mttq.core.problems import Problem, error, warning
from mttq.core.times import decimal_comma, LOCAL_TZ, format_clock, format_date, parse_local_datetime, to_local, weekday_vi
from mttq.calendar.workdays import PathLike, checked_years, column_coordination_date, days_off, next_working_day, swapped_working_days, working_days_between

DEADLINE_TIME = time(23, 59, 59)

RULE_TEXT = (
    "Tin, bài về các sự kiện phải được gửi đến Ban Biên tập chậm nhất sau 01 ngày "
    "làm việc (hết 23:59:59 của ngày làm việc đầu tiên sau ngày diễn ra sự kiện)."
)

Moment = datetime | date | str


def _as_local(value: Moment) -> datetime:
    """A datetime, a date (00:00 local) or a string (parsed) as local time."""
    if isinstance(value, str):
        return parse_local_datetime(value)
    if isinstance(value, datetime):
        return to_local(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=LOCAL_TZ)
    raise TypeError(f"expected datetime, date or str, not {type(value).__name__}")


def _day_label(day: date) -> str:
    return f"{weekday_vi(day)}, {format_date(day)}"


def _moment_label(moment: datetime) -> str:
    return f"{format_clock(moment)} {_day_label(to_local(moment).date())}"


def deadline_for(event: Moment, *, data_path: PathLike | None = None) -> datetime:
    """End (23:59:59, +07:00) of the first working day after the event's local day."""
    event_day = _as_local(event).date()
    due_day = next_working_day(event_day, data_path=data_path)
    return datetime.combine(due_day, DEADLINE_TIME, tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Verdict:
    event: datetime  # local
    deadline: datetime  # local, 23:59:59 of the deadline day
    submitted: datetime  # local
    on_time: bool
    working_days_late: int  # 0 when on time, >= 1 when late
    hours_late: float  # 0.0 when on time, hours after ``deadline`` otherwise


def judge(event: Moment, submitted: Moment, *, data_path: PathLike | None = None) -> Verdict:
    """Whether ``submitted`` meets the deadline of ``event``, and by how much not.

    On time means submitted on or before the deadline day, local time (so the
    whole last second 23:59:59.x counts). When late, ``working_days_late`` is
    the number of working days after the deadline day up to and including the
    submission day, at least 1 (a Saturday submission after a Friday deadline
    is 1 day late); ``hours_late`` is measured from 23:59:59 of the deadline.
    """
    event_local = _as_local(event)
    submitted_local = _as_local(submitted)
    deadline = deadline_for(event_local, data_path=data_path)
    due_day = deadline.date()
    submitted_day = submitted_local.date()
    on_time = submitted_day <= due_day
    if on_time:
        return Verdict(event_local, deadline, submitted_local, True, 0, 0.0)
    late_days = max(1, working_days_between(due_day, submitted_day, data_path=data_path))
    hours = (submitted_local - deadline) / timedelta(hours=1)
    return Verdict(event_local, deadline, submitted_local, False, late_days, hours)


def _event_after_submission(event: datetime, submitted: datetime, event_has_time: bool) -> bool:
    if event_has_time:
        return event > submitted
    return event.date() > submitted.date()


def _has_time(value: Moment) -> bool:
    if isinstance(value, datetime):
        return True
    if isinstance(value, date):
        return False
    text = value.strip()
    return ":" in text


def deadline_problems(
    event_date: Moment | None,
    submitted: Moment | None,
    *,
    waiver: str | None = None,
    submitted_guessed: bool = False,
    data_path: PathLike | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    """Problems about the submission deadline of one item.

    ``event_date``: when the event happened (date, datetime or text); ``None``
    means the item is not about a dated event and has no deadline.
    ``submitted``: when the item reached the editors; ``None`` means unknown,
    and "now" is used (``now`` or the current time) with a warning, as when
    ``submitted_guessed`` is true.
    ``waiver``: the item's ``Deadline_waiver`` reason; a late item with a
    non-empty reason gets the warning ``deadline.waived`` instead of the error
    ``deadline.late``.

    Raises ``ValueError`` (Vietnamese message) for text that is not a date.
    """
    if event_date is None or (isinstance(event_date, str) and not event_date.strip()):
        return []
    problems: list[Problem] = []
    if submitted is None or (isinstance(submitted, str) and not submitted.strip()):
        submitted = now if now is not None else datetime.now(LOCAL_TZ)
        submitted_guessed = True
    event_local = _as_local(event_date)
    submitted_local = _as_local(submitted)

    if submitted_guessed:
        problems.append(
            warning(
                "deadline.guessed_submission_time",
                "Không rõ thời điểm tin, bài được gửi đến Ban Biên tập; đã tạm dùng "
                f"thời điểm hiện tại ({_moment_label(submitted_local)}) để kiểm tra "
                "hạn gửi.",
                "Kết quả kiểm tra hạn gửi có thể chưa đúng: Ban Biên tập hãy đối chiếu "
                "với thời điểm thực tế nhận được tin, bài.",
            )
        )

    if _event_after_submission(event_local, submitted_local, _has_time(event_date)):
        problems.append(
            error(
                "deadline.event_after_submission",
                f"Ngày sự kiện ({_moment_label(event_local) if _has_time(event_date) else _day_label(event_local.date())}) "
                f"muộn hơn thời điểm gửi tin, bài ({_moment_label(submitted_local)}).",
                "Kiểm tra lại ngày diễn ra sự kiện (`Event_date`, ghi theo dạng `YYYY-MM-DD` "
                "hoặc `dd/mm/yyyy`, ví dụ `2024-05-03` hoặc `03/05/2024`).",
            )
        )
        return problems

    verdict = judge(event_local, submitted_local, data_path=data_path)
    if verdict.on_time:
        return problems

    lateness = (
        f"trễ {verdict.working_days_late} ngày làm việc "
        f"({decimal_comma(verdict.hours_late)} giờ sau hạn)"
    )
    facts = (
        f"sự kiện ngày {_day_label(verdict.event.date())}, hạn gửi là "
        f"{_moment_label(verdict.deadline)}, tin, bài gửi lúc "
        f"{_moment_label(verdict.submitted)}: {lateness}"
    )
    reason = (waiver or "").strip()
    if reason:
        problems.append(
            warning(
                "deadline.waived",
                f"Tin, bài gửi trễ hạn nhưng có lý do được ghi nhận: {facts}. "
                f"Lý do: {reason}",
                "Ban Biên tập xem xét lý do trước khi duyệt.",
                field="deadline_waiver",
            )
        )
    else:
        problems.append(
            error(
                "deadline.late",
                f"Tin, bài gửi trễ hạn: {facts}.",
                f"Quy định: {RULE_TEXT} Nếu có lý do chính đáng, ghi lý do vào trường "
                "`Deadline_waiver` để Ban Biên tập xem xét.",
            )
        )
    return problems


# --------------------------------------------------------------------------
# Reports for ``invoke deadline`` and ``invoke calendar``
# --------------------------------------------------------------------------


def deadline_report(
    event: Moment, submitted: Moment | None = None, *, data_path: PathLike | None = None
) -> dict[str, Any]:
    """The JSON contract of ``invoke deadline --format json``.

    ``{"event": iso, "deadline": iso, "submitted": iso|null,
    "on_time": bool|null, "working_days_late": int}``, ISO 8601 with +07:00.
    """
    event_local = _as_local(event)
    if submitted is None:
        deadline = deadline_for(event_local, data_path=data_path)
        return {
            "event": event_local.isoformat(),
            "deadline": deadline.isoformat(),
            "submitted": None,
            "on_time": None,
            "working_days_late": 0,
        }
    verdict = judge(event_local, submitted, data_path=data_path)
    return {
        "event": verdict.event.isoformat(),
        "deadline": verdict.deadline.isoformat(),
        "submitted": verdict.submitted.isoformat(),
        "on_time": verdict.on_time,
        "working_days_late": verdict.working_days_late,
    }


def format_deadline_json(
    event: Moment, submitted: Moment | None = None, *, data_path: PathLike | None = None
) -> str:
    return json.dumps(
        deadline_report(event, submitted, data_path=data_path), ensure_ascii=False, indent=2
    )


def format_deadline_text(
    event: Moment, submitted: Moment | None = None, *, data_path: PathLike | None = None
) -> str:
    """Vietnamese text report of ``invoke deadline``."""
    event_local = _as_local(event)
    deadline = deadline_for(event_local, data_path=data_path)
    event_text = (
        _moment_label(event_local) if _has_time(event) else _day_label(event_local.date())
    )
    lines = [
        f"Sự kiện:  {event_text}",
        f"Hạn gửi:  {_moment_label(deadline)}",
        f"          Quy định: {RULE_TEXT}",
    ]
    if submitted is None:
        return "\n".join(lines) + "\n"
    verdict = judge(event_local, submitted, data_path=data_path)
    lines.append(f"Gửi lúc:  {_moment_label(verdict.submitted)}")
    if _event_after_submission(event_local, verdict.submitted, _has_time(event)):
        lines.append("Kết quả:  LỖI – ngày sự kiện muộn hơn thời điểm gửi; kiểm tra lại ngày.")
    elif verdict.on_time:
        lines.append("Kết quả:  ĐÚNG HẠN")
    else:
        lines.append(
            f"Kết quả:  TRỄ HẠN {verdict.working_days_late} ngày làm việc "
            f"({decimal_comma(verdict.hours_late)} giờ sau hạn)"
        )
    return "\n".join(lines) + "\n"


def format_calendar_text(year: int, *, data_path: PathLike | None = None) -> str:
    """Vietnamese text report of ``invoke calendar --year YYYY``."""
    lines = [f"Lịch ngày làm việc năm {year} (cán bộ, công chức, viên chức)", ""]
    if year not in checked_years(data_path=data_path):
        lines += [
            f"Lưu ý: lịch năm {year} chưa được đối chiếu với thông báo chính thức; "
            "các ngày hoán đổi, nghỉ thêm có thể chưa có trong data/days_off.yaml.",
            "",
        ]
    lines.append("Ngày nghỉ lễ, Tết và ngày nghỉ theo thông báo:")
    for day in days_off(year, data_path=data_path):
        lines.append(
            f"  {format_date(day.date)}  {day.weekday:<9} {day.name}  [{day.source}]"
        )
    lines += ["", "Ngày thứ Bảy, Chủ nhật đi làm (làm bù) và ngày làm việc theo thông báo:"]
    swapped = swapped_working_days(year, data_path=data_path)
    if not swapped:
        lines.append("  (không có)")
    for day in swapped:
        lines.append(
            f"  {format_date(day.date)}  {day.weekday:<9} {day.name}  [{day.source}]"
        )
    lines += [
        "",
        "Ngày trao đổi chuyên mục hằng tháng (ngày 5; trùng thứ Bảy, Chủ nhật thì "
        "dời về thứ Sáu liền trước):",
    ]
    for month in range(1, 13):
        day = column_coordination_date(year, month)
        lines.append(f"  Tháng {month:02d}: {weekday_vi(day)}, {format_date(day)}")
    return "\n".join(lines) + "\n"
