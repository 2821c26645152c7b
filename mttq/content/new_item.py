"""``invoke new``: a new item folder with a filled-in ``index.md`` template."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from mttq.content.item import ITEM_TYPES, Registries
from mttq.core.text import nfc, slugify
from mttq.core.times import LOCAL_TZ, parse_local_datetime

TEMPLATE = """Title: {title}
Type: {type}
Category: {topic}
Unit: {unit}
Author: {author}
{event_line}Summary: {summary}
Tags:

Viết nội dung {type_name} ở đây. Câu đầu nói rõ: ai, làm gì, ở đâu, khi nào.

![Chú thích ảnh: ai, đang làm gì, ở đâu](anh-1.jpg)
"""


class NewItemError(ValueError):
    """A wrong option; the message says which values are allowed."""


def create_item(content_root: Path, registries: Registries, *, item_type: str, unit: str,
                topic: str, title: str, author: str = "", event: str | None = None,
                summary: str = "", today: dt.date | None = None) -> Path:
    """Create ``<content>/<type>/<yyyy>/<mm>/<slug>/index.md`` and return its folder."""
    title = nfc(title.strip())
    if item_type not in ITEM_TYPES:
        raise NewItemError("Loại phải là 'tin' hoặc 'bai'.")
    if topic not in registries.topics:
        raise NewItemError(f"Chủ đề '{topic}' không có. Các chủ đề: {', '.join(registries.topics)}.")
    if unit not in registries.units:
        raise NewItemError(f"Đơn vị '{unit}' không có. Các đơn vị: {', '.join(registries.units)}.")
    slug = slugify(title)
    if not slug:
        raise NewItemError("Tiêu đề cần có chữ (để đặt tên thư mục).")
    event_line = ""
    if event:
        event_line = f"Event_date: {parse_local_datetime(event):%Y-%m-%d %H:%M}\n"
    today = today or dt.datetime.now(LOCAL_TZ).date()
    taken = {p.name for p in Path(content_root).glob("*/*/*/*") if p.is_dir()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    folder = Path(content_root) / item_type / f"{today:%Y}" / f"{today:%m}" / candidate
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(TEMPLATE.format(
        title=title, type=item_type, type_name=ITEM_TYPES[item_type].lower(), topic=topic,
        unit=unit, author=nfc(author), event_line=event_line, summary=nfc(summary),
    ), encoding="utf-8")
    return folder
