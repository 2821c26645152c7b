"""``invoke new``: a new item folder with a filled-in ``index.md`` template.

The guidance texts of the template come from :mod:`mttq.content.placeholders`,
which the check also reads: an item is refused until each one is replaced.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from mttq.content import placeholders
from mttq.content.item import ITEM_TYPES, Registries
from mttq.core.text import nfc, slugify
from mttq.core.times import LOCAL_TZ, parse_local_datetime
from mttq.registry.registries import unit_not_active

TEMPLATE = """Title: {title}
Type: {type}
Category: {topic}
Unit: {unit}
Author: {author}
{event_line}Summary: {summary}
Tags:

{body}

![{caption}](anh-1.jpg)
"""


class NewItemError(ValueError):
    """A wrong option; the message says which values are allowed."""


def active_units(registries: Registries, day: dt.date) -> dict:
    """The units a contributor may write for on ``day`` (key -> unit)."""
    return {key: unit for key, unit in registries.units.items() if unit.active_on(day)}


def validate_choices(registries: Registries, *, item_type: str | None = None,
                     topic: str | None = None, unit: str | None = None,
                     today: dt.date | None = None, event: str | None = None) -> None:
    """NewItemError for a type, topic or unit the check would refuse, with the allowed
    values, said at once rather than after the item is written. The unit must be
    active on the event's day (else today): the check's rule
    (:func:`mttq.registry.registries.unit_not_active`)."""
    today = today or dt.datetime.now(LOCAL_TZ).date()
    if item_type is not None and item_type not in ITEM_TYPES:
        raise NewItemError("Loại phải là `tin` hoặc `bai`.")
    if topic is not None and topic not in registries.topics:
        raise NewItemError(f"Chủ đề `{topic}` không có. Các chủ đề: {', '.join(registries.topics)}.")
    if unit is None:
        return
    when, basis = today, "today"
    if event:
        when, basis = parse_local_datetime(event).astimezone(LOCAL_TZ).date(), "event_date"
    listed = ("Các đơn vị đang hoạt động: " if basis == "today" else
              f"Các đơn vị hoạt động ngày {when:%d/%m/%Y}: ") + ", ".join(active_units(registries, when))
    known = registries.units.get(unit)
    if known is None:
        raise NewItemError(f"Đơn vị `{unit}` không có. {listed}.")
    inactive = unit_not_active(registries.units, known, when, basis)
    if inactive:
        raise NewItemError(" ".join(inactive) + f" {listed}.")


def create_item(content_root: Path, registries: Registries, *, item_type: str, unit: str,
                topic: str, title: str, author: str = "", event: str | None = None,
                summary: str = "", today: dt.date | None = None) -> Path:
    """Create ``<content>/<type>/<yyyy>/<mm>/<slug>/index.md`` and return its folder."""
    title = nfc(title.strip())
    today = today or dt.datetime.now(LOCAL_TZ).date()
    validate_choices(registries, item_type=item_type, topic=topic, unit=unit, today=today,
                     event=event)
    slug = slugify(title)
    if not slug:
        raise NewItemError("Tiêu đề cần có chữ (để đặt tên thư mục).")
    event_line = ""
    if event:
        event_line = f"Event_date: {parse_local_datetime(event):%Y-%m-%d %H:%M}\n"
    taken = {p.name for p in Path(content_root).glob("*/*/*/*") if p.is_dir()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    folder = Path(content_root) / item_type / f"{today:%Y}" / f"{today:%m}" / candidate
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(TEMPLATE.format(
        title=title, type=item_type, topic=topic, unit=unit,
        author=nfc(author.strip()) or placeholders.AUTHOR, event_line=event_line,
        summary=nfc(summary.strip()) or placeholders.SUMMARY,
        body=placeholders.BODY.format(type_name=ITEM_TYPES[item_type].lower()),
        caption=placeholders.CAPTION,
    ), encoding="utf-8")
    return folder
