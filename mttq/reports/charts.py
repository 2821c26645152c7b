"""Quota charts as inline SVG, drawn at build time (no JavaScript library).

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
from html import escape

from markupsafe import Markup

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


def _a(value) -> str:
    return escape(str(value), quote=True)


def bar_length(value: int, axis_max: int) -> float:
    """Length in viewBox units of a bar of ``value`` on an axis up to ``axis_max``."""
    return round(value * (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / axis_max, 2)


def quota_chart(rows: list[ChartRow], title: str, chart_id: str) -> Markup:
    """An accessible SVG bar chart of ``rows`` against their requirements."""
    if not rows:
        return Markup("")
    # A kind no rule asks for and nobody wrote (bài under a "1 tin" rule) gets no bar.
    kinds = [k for k in COLOURS if any(row.required[k] or row.counts[k] for row in rows)] or ["tin"]
    axis_max = max([1] + [row.counts[k] for row in rows for k in kinds]
                   + [row.required[k] for row in rows for k in kinds])
    group_height = NAME_HEIGHT + len(kinds) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = LEGEND_HEIGHT + group_height * len(rows)
    met = sum(1 for row in rows if row.met)
    desc = (f"{met}/{len(rows)} đơn vị đạt chỉ tiêu. "
            + "; ".join(f"{row.label}: {row.counts['tin']} tin, {row.counts['bai']} bài "
                        f"(chỉ tiêu {row.required['tin']} tin, {row.required['bai']} bài)"
                        for row in rows) + ".")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="quota-chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'font-family="Noto Sans, Segoe UI, Roboto, Arial, sans-serif" font-size="13" '
        'style="width:100%;max-width:42rem;height:auto">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    x = 0  # legend: the kinds drawn, then the requirement mark
    for kind in kinds:
        out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{COLOURS[kind]}"/>'
                   f'<text x="{x + 19}" y="18">{TYPE_NAMES[kind]}</text>')
        x += 60
    out.append(f'<line x1="{x + 6}" y1="4" x2="{x + 6}" y2="22" stroke="{REQUIRED_COLOUR}" '
               f'stroke-width="2.5" stroke-dasharray="4 2"/><text x="{x + 13}" y="18">Chỉ tiêu</text>')
    y = LEGEND_HEIGHT
    for row in rows:
        verdict = row.note or ("đạt" if row.met else "chưa đạt")
        out.append(f'<g class="quota-unit" data-unit="{_a(row.key)}" data-met="{str(row.met).lower()}">')
        out.append(f"<title>{escape(row.label)}: {row.counts['tin']} tin, {row.counts['bai']} bài; "
                   f"chỉ tiêu {row.required['tin']} tin, {row.required['bai']} bài – {verdict}</title>")
        mark = ("✓ " if row.met else "✗ ") + verdict
        out.append(f'<text x="0" y="{y + 13}" font-weight="700">{escape(row.label)} '
                   f'<tspan font-weight="400" fill="{"#1d6b2f" if row.met else "#a50e23"}">'
                   f"({mark})</tspan></text>")
        bar_y = y + NAME_HEIGHT
        for kind in kinds:
            value, required = row.counts[kind], row.required[kind]
            length = bar_length(value, axis_max)
            out.append(f'<text x="0" y="{bar_y + 11.5}">{TYPE_NAMES[kind]}</text>')
            out.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{bar_y}" width="{length}" '
                f'height="{BAR_HEIGHT}" fill="{COLOURS[kind]}" data-unit="{_a(row.key)}" '
                f'data-type="{kind}" data-value="{value}" data-required="{required}">'
                f"<title>{escape(row.label)}: {value} {TYPE_NAMES[kind].lower()} "
                f"(chỉ tiêu {required})</title></rect>")
            x_required = LABEL_WIDTH + bar_length(required, axis_max)
            out.append(
                f'<line class="required" x1="{x_required}" y1="{bar_y - 4}" x2="{x_required}" '
                f'y2="{bar_y + BAR_HEIGHT + 4}" stroke="{REQUIRED_COLOUR}" stroke-width="2.5" '
                f'stroke-dasharray="4 2" data-unit="{_a(row.key)}" data-type="{kind}" '
                f'data-required="{required}"/>')
            out.append(f'<text x="{LABEL_WIDTH + length + 4}" y="{bar_y + 11.5}">{value}</text>')
            bar_y += BAR_HEIGHT + BAR_GAP
        out.append("</g>")
        y += group_height
    out.append("</svg>")
    return Markup("".join(out))


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
