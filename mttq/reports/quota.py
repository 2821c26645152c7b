"""The monthly quota of tin and bài, counted against the rule of each month.

Seed 002, II.1: "Ban Thường trực … giao chỉ tiêu cho Ủy ban MTTQ Việt Nam các
huyện, thị xã, thành phố cộng tác ít nhất 2 tin, 1 bài / tháng (tin, bài phải
có chất lượng và được Ban Biên tập duyệt, đăng tải). Đây là cơ sở để xét thi
đua …". The district level ended on 30/06/2025; since then the commune-level
committees owe what ``data/quota.yaml`` says. Which kinds of unit owe how
many items, and from when to when, is that file's policy
(:mod:`mttq.registry.quota_policy`); every report names the rule it applied.

Our reading (see ``docs/reports.md``):

* An item counts for the month of its publication date (``Date``, local time
  Asia/Ho_Chi_Minh), for the unit named in ``Unit``. Only *published* items
  count: drafts, hidden items, items with errors and items dated in the future
  never do. An item the editors published after its unit had ended (a
  district's item about 28/06/2025, sent on 30/06, published on 01/07/2025)
  counts for the unit's last month: the unit sent it while it existed.
* A unit owes a month's items when it existed on some day of that month and
  a rule of the policy covers its kind in that month; the rule gives the
  requirement. A year that changed rules (2025: districts until June,
  commune-level committees from July) is summed month by month.
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
from mttq.registry.periods import month_bounds
from mttq.registry.quota_policy import (
    ITEM_KINDS, QuotaPolicy, QuotaPolicyError, QuotaRule, requirement_text,
)
from mttq.registry.registries import UNIT_KINDS, Unit
from mttq.core.times import month_key, month_label, LOCAL_TZ, parse_local_datetime, to_local

TYPE_LABELS = {"tin": "Tin", "bai": "Bài"}
QuotaConfigError = QuotaPolicyError  # the policy does not fit the unit registry


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


def as_policy(policy) -> QuotaPolicy:
    """A :class:`QuotaPolicy`; a plain mapping kind -> {"tin": n, "bai": m} is one
    rule per kind at all times (older callers, tests)."""
    if isinstance(policy, QuotaPolicy):
        return policy
    return QuotaPolicy.from_requirements(policy)


def checked_policy(units: Mapping[str, Unit], policy) -> QuotaPolicy:
    """The policy, refused (:class:`QuotaConfigError`) when a rule names a kind
    the unit registry does not have (a typo would silently owe nothing)."""
    policy = as_policy(policy)
    known = getattr(units, "kinds", None) or set(UNIT_KINDS) | {u.kind for u in units.values()}
    policy.check_kinds(known)
    return policy


def owing_units(units: Mapping[str, Unit], policy: QuotaPolicy, year: int,
                month: int) -> list[tuple[Unit, QuotaRule]]:
    """The units that owe items in a month, with the rule that applies, registry order."""
    found = []
    for unit in units.values():
        if unit.active_in_month(year, month):
            rule = policy.rule_for(unit.kind, year, month)
            if rule is not None:
                found.append((unit, rule))
    return found


@dataclass
class UnitMonth:
    """One unit's counts in one month, against the month's rule."""

    unit: Unit
    rule: QuotaRule
    items: list[Item] = field(default_factory=list)

    @property
    def required(self) -> dict[str, int]:
        return self.rule.required

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
            "kind": self.unit.kind,
            "rule": self.rule.key,
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


def _distinct_rules(rules: Iterable[QuotaRule]) -> list[QuotaRule]:
    return list({rule.key: rule for rule in rules}.values())


@dataclass
class MonthReport:
    year: int
    month: int
    rows: list[UnitMonth]
    in_progress: bool = False  # the month has not ended yet (on the report's "today")
    rules: list[QuotaRule] = field(default_factory=list)  # the rules in force that month

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.rows if row.met)

    @property
    def rows_with_items(self) -> list[UnitMonth]:
        return [row for row in self.rows if row.items]

    @property
    def rows_without_items(self) -> list[UnitMonth]:
        return [row for row in self.rows if not row.items]

    def as_json(self) -> dict:
        return {"month": self.key, "rules": [rule.as_json() for rule in self.rules],
                "units": [row.as_json() for row in self.rows]}


@dataclass
class UnitYear:
    unit: Unit
    months: list[UnitMonth]  # the months the unit owed items, in order

    @property
    def months_active(self) -> int:
        return len(self.months)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met)

    @property
    def rules(self) -> list[QuotaRule]:
        return _distinct_rules(m.rule for m in self.months)

    def total(self, attribute: str) -> int:
        return sum(getattr(m, attribute) for m in self.months)

    def required_total(self, kind: str) -> int:
        return sum(m.required[kind] for m in self.months)

    def as_json(self) -> dict:
        return {
            "unit": self.unit.key,
            "name": self.unit.name,
            "rules": [rule.key for rule in self.rules],
            "months_active": self.months_active,
            "months_met": self.months_met,
            "tin": self.total("tin"),
            "bai": self.total("bai"),
            "required": {kind: self.required_total(kind) for kind in ITEM_KINDS},
            "late": self.total("late"),
            "waived": self.total("waived"),
        }


@dataclass
class RuleSpan:
    """A rule and the months of a year it applied in (for the yearly summary)."""

    rule: QuotaRule
    months: list[int]

    @property
    def months_text(self) -> str:
        """``T1–T6``, ``T7–T12``, ``T3, T5``."""
        runs: list[list[int]] = []
        for m in self.months:
            if runs and m == runs[-1][-1] + 1:
                runs[-1].append(m)
            else:
                runs.append([m])
        return ", ".join(f"T{r[0]}" if len(r) == 1 else f"T{r[0]}–T{r[-1]}" for r in runs)


@dataclass
class YearReport:
    year: int
    months: list[MonthReport]
    summary: list[UnitYear]

    @property
    def rule_spans(self) -> list[RuleSpan]:
        spans: dict[str, RuleSpan] = {}
        for report in self.months:
            for rule in report.rules:
                spans.setdefault(rule.key, RuleSpan(rule, [])).months.append(report.month)
        return list(spans.values())

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "rules": [{**span.rule.as_json(), "months": span.months} for span in self.rule_spans],
            "months": [m.as_json() for m in self.months],
            "summary": [u.as_json() for u in self.summary],
        }


def _month_end(year: int, month: int) -> dt.date:
    return month_bounds(year, month)[1]


def counting_month(item: Item, units: Mapping[str, Unit]) -> tuple[int, int]:
    """The month an item counts for: its publication month, or its unit's last
    month when the editors published it after the unit had ended."""
    year, month = item.month_key
    unit = units.get(item.unit)
    if unit is not None and unit.ended_before(item.local_date.date()):
        return unit.valid_until.year, unit.valid_until.month
    return year, month


def group_items(items: Iterable[Item], units: Mapping[str, Unit]
                ) -> dict[tuple[int, int, str], list[Item]]:
    """The items by the month they count for and their unit, for
    :func:`year_report` and :func:`month_report` (one pass for many years)."""
    grouped: dict[tuple[int, int, str], list[Item]] = {}
    for item in items:
        year, month = counting_month(item, units)
        grouped.setdefault((year, month, item.unit), []).append(item)
    for group in grouped.values():
        group.sort(key=lambda i: (i.date, i.slug))
    return grouped


def month_report(items: Sequence[Item], units: Mapping[str, Unit], policy,
                 year: int, month: int, *, today: dt.date | None = None,
                 grouped=None) -> MonthReport:
    """Counts of every unit that owed items in ``year``-``month``, registry order."""
    policy = checked_policy(units, policy)
    grouped = grouped if grouped is not None else group_items(items, units)
    rows = [UnitMonth(unit, rule, list(grouped.get((year, month, unit.key), [])))
            for unit, rule in owing_units(units, policy, year, month)]
    in_progress = today is not None and today <= _month_end(year, month)
    return MonthReport(year, month, rows, in_progress, _distinct_rules(r.rule for r in rows))


def months_until(year: int, today: dt.date | None) -> list[int]:
    """The months of ``year`` that have begun by ``today`` (all twelve if None)."""
    if today is None or today.year > year:
        return list(range(1, 13))
    if today.year < year:
        return []
    return list(range(1, today.month + 1))


def year_report(items: Sequence[Item], units: Mapping[str, Unit], policy,
                year: int, *, today: dt.date | None = None, grouped=None) -> YearReport:
    """Every begun month of ``year`` and, per unit, months met out of months owed.

    The current month is included (it is marked ``in_progress`` for the
    pages); months after ``today`` are not, so a unit is never said to have
    missed a month that has not started. Each month is counted against its
    own rule, so a year whose rules changed sums the right requirements.
    ``grouped``: :func:`group_items` of ``items``, when the caller reports many years.
    """
    policy = checked_policy(units, policy)
    grouped = grouped if grouped is not None else group_items(items, units)
    months = [month_report(items, units, policy, year, m, today=today, grouped=grouped)
              for m in months_until(year, today)]
    per_unit: dict[str, list[UnitMonth]] = {}
    for report in months:
        for row in report.rows:
            per_unit.setdefault(row.unit.key, []).append(row)
    summary = [UnitYear(units[key], rows) for key, rows in per_unit.items()]
    order = {key: n for n, key in enumerate(units)}
    summary.sort(key=lambda u: order[u.unit.key])
    return YearReport(year, months, summary)


# --------------------------------------------------------------------------
# Output formats of ``invoke quota``
# --------------------------------------------------------------------------

MONTH_HEADERS = ("Đơn vị", "Tin", "Bài", "Chỉ tiêu", "Kết quả", "Trễ hạn", "Trễ có lý do")
CSV_HEADERS = ("Tháng", "Mã đơn vị", "Đơn vị", "Tin", "Bài", "Chỉ tiêu tin", "Chỉ tiêu bài",
               "Kết quả", "Trễ hạn", "Trễ có lý do", "Quy định")


def verdict_text(met: bool) -> str:
    return "Đạt" if met else "Chưa đạt"


def rule_line(rule: QuotaRule, months: str = "") -> str:
    """``Quy định áp dụng: <name> (2 tin, 1 bài mỗi tháng; đến hết 30/06/2025). Căn cứ: …``"""
    when = months or rule.period.label()
    text = (f"Quy định áp dụng [{rule.key}]: {rule.name} ({rule.requirement_text} mỗi tháng; "
            f"{when}).")
    if rule.source:
        text += f" Căn cứ: {' '.join(rule.source.split())}"
    return text


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
    return [(row.unit.name, row.tin, row.bai, requirement_text(row.required),
             verdict_text(row.met), row.late, row.waived) for row in report.rows]


def format_month_table(report: MonthReport) -> str:
    title = f"Chỉ tiêu tin, bài {report.label.lower()}"
    if report.in_progress:
        title += " (tháng chưa kết thúc)"
    lines = [title, ""]
    if not report.rows:
        lines.append("Không có đơn vị nào phải thực hiện chỉ tiêu trong tháng này "
                     "(không có quy định chỉ tiêu nào áp dụng, data/quota.yaml).")
        return "\n".join(lines) + "\n"
    lines += [rule_line(rule) for rule in report.rules] + [""]
    lines += _align([MONTH_HEADERS, *_month_rows(report)], numeric={1, 2, 5, 6})
    lines += ["", f"Đạt chỉ tiêu: {report.met_count}/{len(report.rows)} đơn vị. "
              "Tin, bài trễ hạn vẫn được tính (đã được duyệt, đăng), và được ghi riêng."]
    return "\n".join(lines) + "\n"


def format_year_table(report: YearReport) -> str:
    lines = [f"Chỉ tiêu tin, bài năm {report.year}", ""]
    if not report.summary:
        lines.append("Không có đơn vị nào phải thực hiện chỉ tiêu trong năm này.")
        return "\n".join(lines) + "\n"
    lines += [rule_line(span.rule, f"{span.months_text}/{report.year}")
              for span in report.rule_spans] + [""]
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
    lines += ["", "Đ: đạt chỉ tiêu; x: chưa đạt; ·: đơn vị không phải thực hiện chỉ tiêu tháng đó "
              "(chưa thành lập, đã kết thúc hoạt động, hoặc không có quy định áp dụng)."]
    if report.months and report.months[-1].in_progress:
        lines.append(f"{month_label(report.year, report.months[-1].month)} chưa kết thúc: kết quả còn thay đổi.")
    return "\n".join(lines) + "\n"


def _csv_rows(report: MonthReport) -> list[tuple]:
    return [(report.key, row.unit.key, row.unit.name, row.tin, row.bai, row.required["tin"],
             row.required["bai"], verdict_text(row.met), row.late, row.waived, row.rule.key)
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
