"""The monthly quota of district-level committees: 2 tin + 1 bài a month.

Seed 002, II.1: "Ban Thường trực … giao chỉ tiêu cho Ủy ban MTTQ Việt Nam các
huyện, thị xã, thành phố cộng tác ít nhất 2 tin, 1 bài / tháng (tin, bài phải
có chất lượng và được Ban Biên tập duyệt, đăng tải). Đây là cơ sở để xét thi
đua …"

Our reading (see ``docs/reports.md``):

* An item counts for the month of its publication date (``Date``, local time
  Asia/Ho_Chi_Minh), for the unit named in ``Unit``. Only *published* items
  count: drafts, hidden items, items with errors and items dated in the future
  never do.
* The quota applies to the units with ``quota: true`` in ``data/units.yaml``,
  in the months they existed (``valid_from``/``valid_until``); the requirement
  is a setting per unit kind (``MTTQ_QUOTA``).
* **Late items count.** The seed counts what the editors approved and
  published; an item sent after the one-working-day deadline was still
  published. Late items and items accepted late with a reason
  (``Deadline_waiver``) are counted *and* shown separately, so the editors can
  weigh them in the emulation review.

Everything here works on items' records (:class:`mttq.content.item.Item`):
the command line reads them from the content tree, the site takes them from
its articles, and both judged them with the same history, so they count the
same way.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from mttq.content.item import Item
from mttq.registry.registries import Unit
from mttq.core.times import month_key, month_label, LOCAL_TZ, parse_local_datetime, to_local

ITEM_KINDS = ("tin", "bai")
TYPE_LABELS = {"tin": "Tin", "bai": "Bài"}
DEFAULT_REQUIREMENT = {"tin": 2, "bai": 1}


class QuotaConfigError(ValueError):
    """The quota settings do not fit the unit registry (Vietnamese message)."""


# --------------------------------------------------------------------------
# Reading the content tree (``invoke quota``; the site uses its articles' records)
# --------------------------------------------------------------------------


def read_records(content_root: Path, registries, history=None) -> list:
    """Every item of a content tree as its record (:class:`mttq.content.item.Item`),
    judged by the same history as the check and the build. Not filtered:
    :func:`published` says which ones count."""
    from mttq.content.history import History
    from mttq.content.item import find_items, read_item

    root = Path(content_root)
    history = history or History(root)
    return [history.judge(read_item(path, registries, root)) for path in find_items(root)]


def published(records: Iterable, now: dt.datetime) -> list:
    """The records that count: :meth:`Item.is_published` (the one rule)."""
    return [r for r in records if r.is_published(now)]


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


def requirements_for(units: Mapping[str, Unit], quota_setting: Mapping) -> dict[str, dict]:
    """Unit key -> {"tin": n, "bai": m} for every unit the quota applies to."""
    result = {}
    for key, unit in units.items():
        if not unit.quota:
            continue
        required = quota_setting.get(unit.kind)
        if required is None:
            raise QuotaConfigError(
                f"Đơn vị '{key}' có quota: true nhưng cài đặt MTTQ_QUOTA không có chỉ tiêu "
                f"cho loại đơn vị '{unit.kind}'. Thêm ví dụ "
                f'MTTQ_QUOTA = {{"{unit.kind}": {{"tin": 2, "bai": 1}}}} hoặc bỏ quota của đơn vị.'
            )
        result[key] = {kind: int(required.get(kind, 0)) for kind in ITEM_KINDS}
    return result


@dataclass
class UnitMonth:
    """One unit's counts in one month."""

    unit: Unit
    required: dict[str, int]
    items: list[Item] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for item in self.items if item.type == kind)

    @property
    def tin(self) -> int:
        return self.count("tin")

    @property
    def bai(self) -> int:
        return self.count("bai")

    @property
    def late(self) -> int:
        return sum(1 for item in self.items if item.late)

    @property
    def waived(self) -> int:
        return sum(1 for item in self.items if item.waived)

    @property
    def met(self) -> bool:
        return all(self.count(kind) >= self.required[kind] for kind in ITEM_KINDS)

    def as_json(self) -> dict:
        return {
            "unit": self.unit.key,
            "name": self.unit.name,
            "tin": self.tin,
            "bai": self.bai,
            "required": dict(self.required),
            "met": self.met,
            "late": self.late,
            "waived": self.waived,
            "guessed": self.guessed,
            "late_items": [late_item_json(i) for i in self.items if i.missed_deadline],
        }

    @property
    def guessed(self) -> int:
        """Items whose deadline was judged on a guessed submission time (git)."""
        return sum(1 for item in self.items if item.submission is not None and item.submission.guessed)


def late_item_json(item) -> dict:
    return {"slug": item.slug, "type": item.type, "submitted": item.submission.time.isoformat(),
            "submitted_source": item.submission.source, "waived": item.waived,
            "working_days_late": item.verdict.working_days_late}


@dataclass
class MonthReport:
    year: int
    month: int
    rows: list[UnitMonth]
    in_progress: bool = False  # the month has not ended yet (on the report's "today")

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.rows if row.met)

    def as_json(self) -> dict:
        return {"month": self.key, "units": [row.as_json() for row in self.rows]}


@dataclass
class UnitYear:
    unit: Unit
    months: list[UnitMonth]  # the months the unit existed, in order

    @property
    def months_active(self) -> int:
        return len(self.months)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met)

    def total(self, attribute: str) -> int:
        return sum(getattr(m, attribute) for m in self.months)

    def required_total(self, kind: str) -> int:
        return sum(m.required[kind] for m in self.months)

    def as_json(self) -> dict:
        return {
            "unit": self.unit.key,
            "name": self.unit.name,
            "months_active": self.months_active,
            "months_met": self.months_met,
            "tin": self.total("tin"),
            "bai": self.total("bai"),
            "required": {kind: self.required_total(kind) for kind in ITEM_KINDS},
            "late": self.total("late"),
            "waived": self.total("waived"),
        }


@dataclass
class YearReport:
    year: int
    months: list[MonthReport]
    summary: list[UnitYear]

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "months": [m.as_json() for m in self.months],
            "summary": [u.as_json() for u in self.summary],
        }


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year, month, 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _by_month_and_unit(items: Iterable[Item]) -> dict[tuple[int, int, str], list[Item]]:
    grouped: dict[tuple[int, int, str], list[Item]] = {}
    for item in items:
        year, month = item.month_key
        grouped.setdefault((year, month, item.unit), []).append(item)
    for group in grouped.values():
        group.sort(key=lambda i: (i.date, i.slug))
    return grouped


def month_report(items: Sequence[Item], units: Mapping[str, Unit], quota_setting: Mapping,
                 year: int, month: int, *, today: dt.date | None = None,
                 _grouped=None) -> MonthReport:
    """Counts of every quota unit that existed in ``year``-``month``, registry order."""
    requirements = requirements_for(units, quota_setting)
    grouped = _grouped if _grouped is not None else _by_month_and_unit(items)
    rows = [
        UnitMonth(unit, requirements[key], list(grouped.get((year, month, key), [])))
        for key, unit in units.items()
        if key in requirements and unit.active_in_month(year, month)
    ]
    in_progress = today is not None and today <= _month_end(year, month)
    return MonthReport(year, month, rows, in_progress)


def months_until(year: int, today: dt.date | None) -> list[int]:
    """The months of ``year`` that have begun by ``today`` (all twelve if None)."""
    if today is None or today.year > year:
        return list(range(1, 13))
    if today.year < year:
        return []
    return list(range(1, today.month + 1))


def year_report(items: Sequence[Item], units: Mapping[str, Unit], quota_setting: Mapping,
                year: int, *, today: dt.date | None = None) -> YearReport:
    """Every begun month of ``year`` and, per unit, months met out of months active.

    The current month is included (it is marked ``in_progress`` for the
    pages); months after ``today`` are not, so a unit is never said to have
    missed a month that has not started.
    """
    grouped = _by_month_and_unit(items)
    months = [month_report(items, units, quota_setting, year, m, today=today, _grouped=grouped)
              for m in months_until(year, today)]
    per_unit: dict[str, list[UnitMonth]] = {}
    for report in months:
        for row in report.rows:
            per_unit.setdefault(row.unit.key, []).append(row)
    summary = [UnitYear(units[key], rows) for key, rows in per_unit.items()]
    order = list(units)
    summary.sort(key=lambda u: order.index(u.unit.key))
    return YearReport(year, months, summary)


# --------------------------------------------------------------------------
# Output formats of ``invoke quota``
# --------------------------------------------------------------------------

MONTH_HEADERS = ("Đơn vị", "Tin", "Bài", "Chỉ tiêu", "Kết quả", "Trễ hạn", "Trễ có lý do")
CSV_HEADERS = ("Tháng", "Mã đơn vị", "Đơn vị", "Tin", "Bài", "Chỉ tiêu tin", "Chỉ tiêu bài",
               "Kết quả", "Trễ hạn", "Trễ có lý do")


def verdict_text(met: bool) -> str:
    return "Đạt" if met else "Chưa đạt"


def _align(rows: list[Sequence[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [str(c).rjust(widths[i]) if i in numeric and n else str(c).ljust(widths[i])
                 for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _month_rows(report: MonthReport) -> list[tuple]:
    return [(row.unit.name, row.tin, row.bai, f"{row.required['tin']} tin, {row.required['bai']} bài",
             verdict_text(row.met), row.late, row.waived) for row in report.rows]


def format_month_table(report: MonthReport) -> str:
    title = f"Chỉ tiêu tin, bài {report.label.lower()}"
    if report.in_progress:
        title += " (tháng chưa kết thúc)"
    lines = [title, ""]
    if not report.rows:
        lines.append("Không có đơn vị nào phải thực hiện chỉ tiêu trong tháng này.")
        return "\n".join(lines) + "\n"
    lines += _align([MONTH_HEADERS, *_month_rows(report)], numeric={1, 2, 5, 6})
    lines += ["", f"Đạt chỉ tiêu: {report.met_count}/{len(report.rows)} đơn vị. "
              "Tin, bài trễ hạn vẫn được tính (đã được duyệt, đăng), và được ghi riêng."]
    return "\n".join(lines) + "\n"


def format_year_table(report: YearReport) -> str:
    lines = [f"Chỉ tiêu tin, bài năm {report.year}", ""]
    if not report.summary:
        lines.append("Không có đơn vị nào phải thực hiện chỉ tiêu trong năm này.")
        return "\n".join(lines) + "\n"
    month_numbers = [m.month for m in report.months]
    header = ("Đơn vị", *[f"T{m}" for m in month_numbers], "Số tháng đạt", "Tin", "Bài",
              "Trễ hạn", "Trễ có lý do")
    rows = [header]
    by_month = {(m_row.unit.key, r.month): m_row for r in report.months for m_row in r.rows}
    for unit_year in report.summary:
        marks = []
        for m in month_numbers:
            row = by_month.get((unit_year.unit.key, m))
            marks.append("·" if row is None else ("Đ" if row.met else "x"))
        rows.append((unit_year.unit.name, *marks,
                     f"{unit_year.months_met}/{unit_year.months_active}",
                     unit_year.total("tin"), unit_year.total("bai"),
                     unit_year.total("late"), unit_year.total("waived")))
    numeric = set(range(1, len(header)))
    lines += _align(rows, numeric)
    lines += ["", "Đ: đạt chỉ tiêu; x: chưa đạt; ·: đơn vị chưa thành lập hoặc đã kết thúc "
              "hoạt động trong tháng."]
    if report.months and report.months[-1].in_progress:
        lines.append(f"{month_label(report.year, report.months[-1].month)} chưa kết thúc: kết quả còn thay đổi.")
    return "\n".join(lines) + "\n"


def _csv_rows(report: MonthReport) -> list[tuple]:
    return [(report.key, row.unit.key, row.unit.name, row.tin, row.bai, row.required["tin"],
             row.required["bai"], verdict_text(row.met), row.late, row.waived)
            for row in report.rows]


def format_csv(report: MonthReport | YearReport) -> str:
    """UTF-8 CSV with a header row; a year is one row per unit and month."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    months = report.months if isinstance(report, YearReport) else [report]
    for month in months:
        writer.writerows(_csv_rows(month))
    return buffer.getvalue()


def format_table(report: MonthReport | YearReport) -> str:
    if isinstance(report, YearReport):
        return format_year_table(report)
    return format_month_table(report)


# --------------------------------------------------------------------------
# "Today", for reports and the anniversary banner
# --------------------------------------------------------------------------


def today_from_setting(value) -> dt.date:
    """``MTTQ_TODAY`` (a date or ``YYYY-MM-DD``) if set, else today's local date."""
    if value in (None, ""):
        return dt.datetime.now(LOCAL_TZ).date()
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    if isinstance(value, dt.date):
        return value
    return parse_local_datetime(str(value)).date()
