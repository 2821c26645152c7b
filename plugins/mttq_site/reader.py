"""Read item bundles (``<type>/<yyyy>/<mm>/<slug>/index.md``).

A thin adapter: :mod:`mttq.content.item` reads and validates the file, :mod:`mttq.outputs.figures`
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

from mttq.core import collector
from mttq.core import problems as P
from mttq.core import runs
from mttq.outputs.figures import FigureMaker
from mttq.content.item import ITEM_FILE, ITEM_TYPES, read_item
from mttq.content.page import PAGE_PHOTO_FOLDER, read_page, reserved_segments
from mttq.content.sanitize import sanitize_html
from mttq.settings import registries_from_settings, with_defaults
from .speed import extend_reader_stamp
from .units import UnitLink

log = logging.getLogger(__name__)

# Part of every bundle's stamp in Pelican's reader cache: raise it when what the
# reader returns changes (the record's fields), so caches kept by CI between
# runs are read again once instead of serving metadata of an older shape.
READER_VERSION = 3


class ItemRejected(ValueError):
    """Raised to make Pelican skip a file; its problems are already in the run's collector."""


def describe(problems) -> str:
    lines = []
    for problem in problems:
        lines.append(f"  [{problem.code}] {problem.message}")
        if problem.hint:
            lines.append(f"      → {problem.hint}")
    return "\n".join(lines)


def display_path(path: Path, content_root: Path) -> str:
    """``content/tin/…/index.md``: how the check names the same file (a linked
    folder by its link, not by what it points to)."""
    path = os.path.abspath(path)
    parent = os.path.dirname(os.path.abspath(content_root))
    if path.startswith(parent + os.sep):  # the usual case, without resolving links
        return Path(os.path.relpath(path, parent)).as_posix()
    try:  # content/ reached through a link: named by what it points to
        return Path(path).relative_to(Path(content_root).resolve().parent).as_posix()
    except ValueError:
        return path


def refuse(path: Path, content_root: Path, problems) -> ItemRejected:
    """Record why a file is left out (as data, for the build's result and the
    editors' page) and make Pelican skip it."""
    runs.current().problems.refuse(display_path(path, content_root), problems,
                                   source=os.path.abspath(path))
    return ItemRejected(describe(problems))


class BundleReader(MarkdownReader):
    file_extensions = ["md", "markdown", "mkd", "mdown"]

    def read(self, source_path):
        settings = with_defaults(self.settings)
        path = Path(source_path)
        content_root = Path(settings["PATH"])
        relative = path.relative_to(content_root).parts
        # The previous read's parser is garbage now (Pelican keeps the last one).
        collector.collect_young()
        if relative and relative[0] in ITEM_TYPES:
            return self._read_item(path, content_root, settings)
        return self._read_page(path, settings)

    def _figures(self, slug: str, settings) -> FigureMaker:
        output_dir = f"{settings['MTTQ_PHOTO_DIR']}/{slug}"
        return FigureMaker(output_dir, settings["SITEURL"], settings["MTTQ_RENDITION_WIDTHS"])

    def _read_item(self, path: Path, content_root: Path, settings):
        """The item's record (:class:`mttq.content.item.Item`) as Pelican metadata.

        What the bundle's own files say only: this result is kept in Pelican's
        reader cache. Publication and submission come from the history and are
        judged afresh on every run (:func:`judge_item`)."""
        registries = registries_from_settings(settings)
        figures = self._figures(path.parent.name, settings)
        item = read_item(path, registries, content_root, renderer=figures)
        item.problems += [P.error("photo.unreadable", f"Không đọc được ảnh `{ref.src}` ({reason}).",
                                  "Chạy `mttq check` với thư mục của tin, bài để biết cách sửa ảnh.")
                          for ref, reason in figures.failures]
        errors = [p for p in item.problems if p.severity == P.ERROR]
        if errors:
            raise refuse(path, content_root, errors)
        meta = item.meta
        topic = registries.topics[meta.category]
        unit = registries.units[meta.unit]
        category = Category(topic.name, settings)
        category.slug = topic.key
        body = sanitize_html(item.html, f"{figures.url_prefix}/{settings['MTTQ_PHOTO_DIR']}/")
        item.html = ""  # the body is Pelican's content; the record keeps the facts
        metadata = {
            "item": item,
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
        for key in ("event_date", "modified", "column", "deadline_waiver", "photo_credit"):
            value = getattr(meta, key)
            if value is not None:
                metadata[key] = value
        return body, metadata

    def _read_page(self, path: Path, settings):
        """A page (:mod:`mttq.content.page`): the same rules as the check; Pelican
        gets only its title, slug, summary and status, never a path or template."""
        content_root = Path(settings["PATH"])
        made: list[FigureMaker] = []

        def renderer_for(slug: str) -> FigureMaker:
            made.append(self._figures(f"{PAGE_PHOTO_FOLDER}/{slug}", settings))
            return made[-1]

        page = read_page(path, reserved_segments(settings), renderer_for)
        figures = made[0] if made else self._figures(PAGE_PHOTO_FOLDER, settings)
        page.problems += [P.error("photo.unreadable", f"Không đọc được ảnh `{ref.src}` ({reason}).",
                                  "Chép lại ảnh gốc (JPEG, PNG hoặc WebP) vào `content/pages/`.")
                          for ref, reason in figures.failures]
        errors = [p for p in page.problems if p.severity == P.ERROR]
        if errors:
            raise refuse(path, content_root, errors)
        runs.current().problems.add(display_path(path, content_root), page.problems)
        metadata = {"title": page.title, "slug": page.slug, "status": page.status,
                    "template": page.template, "photos": figures.photos}
        if page.summary:
            metadata["summary"] = html.escape(page.summary)
        return sanitize_html(page.html, f"{figures.url_prefix}/{settings['MTTQ_PHOTO_DIR']}/"), metadata


def add_reader(readers):
    """Every Markdown extension goes through our reader: Pelican's own
    ``MarkdownReader`` would publish a ``x.markdown`` file unchecked (raw
    HTML and all); ours refuses it for its place and name."""
    for extension in BundleReader.file_extensions:
        readers.reader_classes[extension] = BundleReader
    stamp_bundles(readers)


def stamp_bundles(readers) -> None:
    """Pelican's reader cache trusts an ``index.md`` while its own stamp is
    unchanged; an item's record also depends on every file and folder beside
    it (photo sizes, a stray file the check refuses) and on the registries it
    was validated against (a unit's validity dates), so a bundle's stamp
    includes those too: replacing a photo or editing ``data/units.yaml`` is
    seen even when ``index.md`` was not touched."""
    settings = with_defaults(readers.settings)
    data_files = [settings["MTTQ_TOPICS_FILE"], settings["MTTQ_UNITS_FILE"]]

    def data_stamp():
        stamps = []
        for name in data_files:
            try:
                stat = os.stat(name)
                stamps.append((name, stat.st_size, stat.st_mtime_ns))
            except OSError:
                stamps.append((name, None, None))
        return tuple(stamps)

    registries = data_stamp()

    def stamp(filename, value):
        if os.path.basename(filename) != ITEM_FILE:
            return value
        try:
            with os.scandir(os.path.dirname(filename)) as entries:
                files = sorted((e.name, e.is_dir(), e.is_symlink(), e.stat(follow_symlinks=False).st_size,
                                e.stat(follow_symlinks=False).st_mtime_ns)
                               for e in entries if e.name != ITEM_FILE)
        except OSError:
            return value
        return (value, tuple(files), registries, READER_VERSION)

    extend_reader_stamp(readers, stamp)


def register():
    signals.readers_init.connect(add_reader)
