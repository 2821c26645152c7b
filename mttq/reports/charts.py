"""Quota charts as inline SVG, drawn at build time (no JavaScript library).

This module computes each chart's geometry (:class:`Chart`); the markup is the
theme's (``theme/templates/_quota_chart.svg``).

Horizontal bars, because unit names are long and readers hold phones: each
unit gets its name on a line of its own, then one bar for *tin* and one for
*bài*, each with a dashed mark at the requirement. The SVG scales with its
``viewBox``; every bar has a ``<title>`` (a tooltip, and what screen readers
read), the chart has ``<title>``/``<desc>``, and the page shows the same
numbers as a table — the text alternative.

Bars carry ``data-unit``, ``data-type``, ``data-value`` and ``data-required``
so that tests (and curious editors) can read the chart back.
"""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 400
LABEL_WIDTH = 36  # "Tin" / "Bài" before each bar
VALUE_WIDTH = 34  # room for the number after the longest bar
BAR_HEIGHT = 14
BAR_GAP = 5
NAME_HEIGHT = 18
GROUP_GAP = 12
LEGEND_HEIGHT = 30
COLOURS = {"tin": "#a50e23", "bai": "#1d1d1f"}
REQUIRED_COLOUR = "#1a5fb4"
TYPE_NAMES = {"tin": "Tin", "bai": "Bài"}
UNIT_PREFIXES = ("Ủy ban MTTQ Việt Nam ", "Ủy ban MTTQVN ", "Ủy ban MTTQ ")


@dataclass(frozen=True)
class ChartRow:
    key: str
    label: str
    counts: dict  # {"tin": n, "bai": m}
    required: dict  # {"tin": n, "bai": m}
    met: bool
    note: str = ""  # replaces "đạt"/"chưa đạt" after the name (e.g. "đạt 5/6 tháng")


def short_unit_name(name: str) -> str:
    """``Ủy ban MTTQ Việt Nam huyện Mỹ Xuyên`` -> ``huyện Mỹ Xuyên`` (fits a phone)."""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def bar_length(value: int, axis_max: int) -> float:
    """Length in viewBox units of a bar of ``value`` on an axis up to ``axis_max``."""
    return round(value * (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / axis_max, 2)


@dataclass(frozen=True)
class Bar:
    kind: str  # "tin" / "bai"
    name: str  # "Tin" / "Bài"
    colour: str
    y: float
    length: float
    value: int
    required: int
    x_required: float


@dataclass(frozen=True)
class Group:
    """One unit: its name and verdict on a line, then one bar per kind."""
    key: str
    label: str
    met: bool
    verdict: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    """The geometry of one chart; ``theme/templates/_quota_chart.svg`` draws it."""
    id: str
    title: str
    desc: str
    width: int
    height: int
    legend: tuple[tuple[float, str, str], ...]  # (x, colour, name) per kind drawn
    legend_required_x: float
    groups: tuple[Group, ...]
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    name_height: int = NAME_HEIGHT
    required_colour: str = REQUIRED_COLOUR


def quota_chart(rows: list[ChartRow], title: str, chart_id: str) -> Chart | None:
    """An accessible SVG bar chart of ``rows`` against their requirements (None
    without rows): the numbers are computed here, the markup is the template's."""
    if not rows:
        return None
    # A kind no rule asks for and nobody wrote (bài under a "1 tin" rule) gets no bar.
    kinds = [k for k in COLOURS if any(row.required[k] or row.counts[k] for row in rows)] or ["tin"]
    axis_max = max([1] + [row.counts[k] for row in rows for k in kinds]
                   + [row.required[k] for row in rows for k in kinds])
    group_height = NAME_HEIGHT + len(kinds) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    met = sum(1 for row in rows if row.met)
    desc = (f"{met}/{len(rows)} đơn vị đạt chỉ tiêu. "
            + "; ".join(f"{row.label}: {row.counts['tin']} tin, {row.counts['bai']} bài "
                        f"(chỉ tiêu {row.required['tin']} tin, {row.required['bai']} bài)"
                        for row in rows) + ".")
    groups = []
    for n, row in enumerate(rows):
        y = LEGEND_HEIGHT + n * group_height
        bars = tuple(
            Bar(kind, TYPE_NAMES[kind], COLOURS[kind], y + NAME_HEIGHT + i * (BAR_HEIGHT + BAR_GAP),
                bar_length(row.counts[kind], axis_max), row.counts[kind], row.required[kind],
                LABEL_WIDTH + bar_length(row.required[kind], axis_max))
            for i, kind in enumerate(kinds))
        groups.append(Group(row.key, row.label, row.met,
                            row.note or ("đạt" if row.met else "chưa đạt"), y, bars))
    return Chart(chart_id, title, desc, WIDTH, LEGEND_HEIGHT + group_height * len(rows),
                 tuple((60 * i, COLOURS[k], TYPE_NAMES[k]) for i, k in enumerate(kinds)),
                 60 * len(kinds), tuple(groups))


def month_rows(report) -> list[ChartRow]:
    """Chart rows of a :class:`mttq.reports.quota.MonthReport`."""
    return [ChartRow(r.unit.key, short_unit_name(r.unit.name), {"tin": r.tin, "bai": r.bai},
                     dict(r.required), r.met) for r in report.rows]


def year_rows(report) -> list[ChartRow]:
    """Chart rows of a :class:`mttq.reports.quota.YearReport`: totals against the
    requirements of the months each unit owed items (a year whose rule changed
    sums each month's own requirement).

    A unit "meets" the year here when it met every month it existed.
    """
    return [ChartRow(u.unit.key, short_unit_name(u.unit.name),
                     {"tin": u.total("tin"), "bai": u.total("bai")},
                     {"tin": u.required_total("tin"), "bai": u.required_total("bai")},
                     u.months_met == u.months_active,
                     f"đạt {u.months_met}/{u.months_active} tháng") for u in report.summary]
