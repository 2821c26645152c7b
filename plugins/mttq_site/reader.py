"""Read item bundles (``<type>/<yyyy>/<mm>/<slug>/index.md``).

A thin adapter: :mod:`mttq.item` reads and validates the file, :mod:`mttq.figures`
turns its photos into responsive figures; this plugin hands the result to
Pelican as content and metadata. An item with errors is refused with a
Vietnamese message naming the file; Pelican logs it and goes on with the
other files, so one bad item never hides the problems of the others.
"""
from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Author, Category, Tag

from mttq import problems as P
from mttq.figures import FigureMaker
from mttq.gitdates import DATE_RULE, added_time
from mttq.header import TextDecodeError, decode_text, parse_header
from mttq.item import ITEM_FILE, ITEM_TYPES, intrasite_problems, read_item
from mttq.markdown_photos import render_body
from mttq.sanitize import sanitize_html
from mttq.settings import registries_from_settings, with_defaults
from mttq.text import slugify
from .units import UnitLink

log = logging.getLogger(__name__)


# Marks log records of refused files, so a forced publish can go on without them.
REJECTED = {"rejected_file": True}


class ItemRejected(ValueError):
    """Raised to make Pelican skip a file; the message is for the contributor."""


def describe(problems) -> str:
    lines = []
    for problem in problems:
        lines.append(f"  [{problem.code}] {problem.message}")
        if problem.hint:
            lines.append(f"      → {problem.hint}")
    return "\n".join(lines)


class BundleReader(MarkdownReader):
    file_extensions = ["md"]

    def read(self, source_path):
        settings = with_defaults(self.settings)
        path = Path(source_path)
        content_root = Path(settings["PATH"])
        relative = path.relative_to(content_root).parts
        if relative and relative[0] in ITEM_TYPES:
            return self._read_item(path, content_root, settings)
        return self._read_page(path, settings)

    def _figures(self, slug: str, settings) -> FigureMaker:
        output_dir = f"{settings['MTTQ_PHOTO_DIR']}/{slug}"
        return FigureMaker(output_dir, settings["SITEURL"], settings["MTTQ_RENDITION_WIDTHS"])

    def _read_item(self, path: Path, content_root: Path, settings):
        registries = registries_from_settings(settings)
        figures = self._figures(path.parent.name, settings)
        item = read_item(path, registries, content_root, renderer=figures)
        errors = [p for p in item.problems if p.severity == P.ERROR]
        errors += [P.error("photo.unreadable", f"Không đọc được ảnh '{ref.src}' ({reason}).",
                           "Chạy 'invoke check' để biết cách sửa ảnh.")
                   for ref, reason in figures.failures]
        if errors:
            # Pelican drops an exception's text unless DEBUG; say it ourselves.
            log.error("%s: tin, bài có lỗi, chưa được đăng:\n%s", path, describe(errors),
                      extra=REJECTED)
            raise ItemRejected(describe(errors))
        for problem in item.problems:
            log.warning("%s: [%s] %s %s", path, problem.code, problem.message, problem.hint)
        meta = item.meta
        topic = registries.topics[meta.category]
        unit = registries.units[meta.unit]
        category = Category(topic.name, settings)
        category.slug = topic.key
        metadata = {
            "title": meta.title,
            "slug": item.slug,
            "type": meta.type,
            "type_name": ITEM_TYPES[meta.type],
            "category": category,
            "topic": topic,
            "unit": UnitLink(unit, settings),
            "author": Author(meta.author, settings),
            "summary": html.escape(meta.summary),
            "summary_text": meta.summary,
            "tags": [Tag(tag, settings) for tag in meta.tags],
            "status": meta.status,
            "photos": figures.photos,
            "cover": next((p for p in figures.photos if p.name == meta.cover), figures.photos[0]),
        }
        for key in ("date", "event_date", "modified", "column", "deadline_waiver", "photo_credit"):
            value = getattr(meta, key)
            if value is not None:
                metadata[key] = value
        metadata["submitted"] = meta.submitted  # None too: the reports need not read the file
        if meta.date is None:
            added = added_time(path)
            if added is None:
                reason = ("Tin, bài chưa có ngày đăng (Date) và chưa có trong lịch sử git.\n"
                          "      → Ghi 'Date: YYYY-MM-DD HH:MM', hoặc hợp nhất (merge) vào "
                          "nhánh chính để ngày đăng là lúc hợp nhất.")
                log.error("%s: %s", path, reason, extra=REJECTED)
                raise ItemRejected(reason)
            metadata["date"] = added
        return sanitize_html(item.html, f"{figures.url_prefix}/{settings['MTTQ_PHOTO_DIR']}/"), metadata

    def _read_page(self, path: Path, settings):
        try:
            text = decode_text(path.read_bytes())
        except TextDecodeError as exc:
            log.error("%s: %s\n      → %s", path, exc, exc.hint, extra=REJECTED)
            raise ItemRejected(str(exc)) from exc
        parsed = parse_header(text)
        title = parsed.fields.get("title")
        if title is None or not title.value:
            log.error("%s: trang thiếu tiêu đề.\n      → Thêm dòng 'Title: …' ở đầu tệp.", path,
                      extra=REJECTED)
            raise ItemRejected("Trang thiếu tiêu đề.")
        slug_field = parsed.fields.get("slug")
        slug = slug_field.value if slug_field else slugify(title.value)
        figures = self._figures(f"trang-{slug}", settings)
        body_html, refs = render_body(parsed.body, path.parent, renderer=figures)
        markers = intrasite_problems(body_html)
        if markers:
            log.error("%s: trang có lỗi, chưa được đăng:\n%s", path, describe(markers),
                      extra=REJECTED)
            raise ItemRejected(describe(markers))
        broken = [r for r in refs if r.problem] + [r for r, _ in figures.failures]
        if broken:
            reason = "ảnh không dùng được: " + ", ".join(
                f"{r.src} ({r.problem or 'photo.unreadable'})" for r in broken)
            log.error("%s: %s", path, reason, extra=REJECTED)
            raise ItemRejected(reason)
        metadata = {"title": title.value, "slug": slug, "photos": figures.photos}
        for key in ("template", "status", "save_as", "url"):
            if key in parsed.fields:
                metadata[key] = parsed.fields[key].value
        if "summary" in parsed.fields:
            metadata["summary"] = html.escape(parsed.fields["summary"].value)
        return sanitize_html(body_html, f"{figures.url_prefix}/{settings['MTTQ_PHOTO_DIR']}/"), metadata


def add_reader(readers):
    readers.reader_classes["md"] = BundleReader
    stamp_bundles(readers)


def stamp_bundles(readers) -> None:
    """Pelican's reader cache trusts an ``index.md`` while its own stamp is
    unchanged; an item's page also depends on its photos (sizes, renditions),
    so a bundle's stamp includes the size and time of every file beside it:
    replacing a photo is seen even when ``index.md`` was not touched."""
    own = type(readers)._get_file_stamp  # set up after this signal: called later

    def stamp(filename):
        value = own(readers, filename)
        if os.path.basename(filename) != ITEM_FILE:
            return value
        try:
            with os.scandir(os.path.dirname(filename)) as entries:
                files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                               for e in entries if e.is_file() and e.name != ITEM_FILE)
        except OSError:
            return value
        return (value, tuple(files), DATE_RULE)

    readers._get_file_stamp = stamp


def register():
    signals.readers_init.connect(add_reader)
