"""``invoke import-feed``: an old site's items become bundles of this site.

Merged provinces bring two or three old news sites into one. Their items are
the archive of units that no longer exist, so they keep what they were: their
unit (``--unit``, active before ``--before``), their original publication time
(``Date``), a ``Submitted`` equal to it, and their photos, downloaded from the
old site or copied from local files, next to ``index.md``. They are marked
``Imported: <original address>``: the history then gives them the submission
source ``imported`` (:mod:`mttq.content.history`) and never a deadline verdict
(they have no ``Event_date`` either), so nobody is judged late for an item of
2019.

Sources: RSS 2.0, Atom and a WordPress export (WXR, an RSS file with ``wp:``
elements: only published posts are taken, their attachments are their
photos), read with ``feedparser`` (which also strips scripts, styles and event
handlers from the HTML). The body becomes Markdown: paragraphs, headings,
lists, emphasis, links (``http``/``https`` only) and one ``![caption](anh-N.jpg)``
per photo. An entry without any photo is not imported (every item needs one):
the command says which, so an editor can add one by hand.

Nothing here decides what the check decides: the bundles are written, then
read back with :func:`mttq.content.item.read_item`, and any problem is reported
with the check's own Vietnamese message.
"""
from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import re
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mttq.content.item import ITEM_TYPES, Registries, find_items, read_item
from mttq.core import problems as P
from mttq.core.text import nfc, slugify
from mttq.core.times import parse_local_datetime, to_local

MAX_PHOTO_BYTES = 25_000_000
MAX_PHOTOS = 12  # per item; the check allows 30, an old item rarely has more
MAX_SUMMARY = 400
TIMEOUT = 30
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


class FeedImportError(ValueError):
    """A wrong command or an unreadable source (Vietnamese message)."""


@dataclass
class Photo:
    source: str  # URL or local path, as the feed gave it (resolved)
    caption: str


@dataclass
class Entry:
    """One item of the old site, as read from the feed."""

    title: str
    link: str
    published: dt.datetime | None
    author: str
    html: str
    summary: str
    tags: list[str]
    photos: list[Photo] = field(default_factory=list)  # enclosures, attachments
    slug_hint: str = ""


@dataclass
class Outcome:
    created: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (title or link, why)
    problems: list[tuple[Path, P.Problem]] = field(default_factory=list)


# --- reading the source ------------------------------------------------------------------


def _read_source(source: str) -> tuple[bytes, str]:
    """The source's bytes and the base its relative addresses are resolved against."""
    parsed = urllib.parse.urlsplit(source)
    if parsed.scheme in ("http", "https"):
        try:
            with urllib.request.urlopen(source, timeout=TIMEOUT) as response:
                return response.read(50_000_000), response.geturl()
        except OSError as exc:
            raise FeedImportError(f"Không tải được nguồn tin '{source}': {exc}.") from exc
    path = Path(urllib.request.url2pathname(parsed.path) if parsed.scheme == "file" else source)
    try:
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise FeedImportError(f"Không đọc được tệp '{source}': {exc.strerror or exc}.") from exc


def _when(entry) -> dt.datetime | None:
    """The original publication time: WordPress' own dates first, else the feed's."""
    gmt = (entry.get("wp_post_date_gmt") or "").strip()
    if gmt and not gmt.startswith("0000"):
        return dt.datetime.fromisoformat(gmt).replace(tzinfo=dt.timezone.utc)
    local = (entry.get("wp_post_date") or "").strip()
    if local and not local.startswith("0000"):
        return parse_local_datetime(local[:16])
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc)
    return None


def _text(value: str) -> str:
    return nfc(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", value or "")).split()))


def read_entries(data: bytes, base: str) -> list[Entry]:
    import feedparser

    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries and feed.get("bozo"):
        raise FeedImportError(f"Nguồn tin không đọc được (không phải RSS, Atom hay tệp xuất "
                           f"WordPress): {feed.get('bozo_exception')}.")
    attachments: dict[str, list[Photo]] = {}
    for e in feed.entries:
        if e.get("wp_post_type") == "attachment" and e.get("wp_attachment_url"):
            attachments.setdefault(str(e.get("wp_post_parent", "")), []).append(
                Photo(urllib.parse.urljoin(base, e["wp_attachment_url"]),
                      _text(e.get("title", ""))))
    entries = []
    for e in feed.entries:
        kind = e.get("wp_post_type")
        if kind is not None and (kind != "post" or e.get("wp_status", "publish") != "publish"):
            continue
        content = e.get("content") or []
        body = content[0].value if content else e.get("summary", "")
        photos = [Photo(urllib.parse.urljoin(base, link.href), "")
                  for link in e.get("links", [])
                  if link.get("rel") == "enclosure" and link.get("type", "image/").startswith("image/")]
        photos += [Photo(urllib.parse.urljoin(base, m["url"]), "")
                   for m in e.get("media_content", []) if m.get("url")
                   and m.get("medium", "image") == "image"]
        photos += attachments.get(str(e.get("wp_post_id", "")), [])
        entries.append(Entry(
            title=_text(e.get("title", "")),
            link=e.get("link", "") or e.get("id", ""),
            published=_when(e),
            author=_text(e.get("author", "")),
            html=body,
            summary=_text(e.get("summary", "")) if content else "",
            tags=[_text(t.get("term", "")) for t in e.get("tags", []) if t.get("term")],
            photos=photos,
            slug_hint=urllib.parse.unquote(e.get("wp_post_name", "") or ""),
        ))
    return entries


# --- the body as Markdown --------------------------------------------------------------------


def _inline(element) -> str:
    """The Markdown of an element's text and inline children."""
    parts = [_escape(element.text or "")]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _inline(child).strip()
        if tag in ("strong", "b") and inner:
            parts.append(f"**{inner}**")
        elif tag in ("em", "i") and inner:
            parts.append(f"*{inner}*")
        elif tag == "a":
            href = (child.get("href") or "").strip()
            if inner and urllib.parse.urlsplit(href).scheme in ("http", "https"):
                parts.append(f"[{inner}]({href.replace(')', '%29').replace(' ', '%20')})")
            else:
                parts.append(inner)
        elif tag == "br":
            parts.append("  \n")
        elif tag not in ("img", "script", "style", "figcaption"):
            parts.append(inner)
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _escape(text: str) -> str:
    """Plain text that Markdown reads back as the same text."""
    text = " ".join(text.replace("\xa0", " ").split(" "))
    return re.sub(r"([\\`*_\[\]<>#!|])", r"\\\1", text.replace("\n", " "))


def html_to_markdown(body: str, base: str) -> tuple[str, list[Photo]]:
    """Markdown blocks of an item's HTML, and its photos in order (``PHOTO:n``
    placeholders stand where each one was)."""
    from lxml import html as lxml_html

    if not body.strip():
        return "", []
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    blocks: list[str] = []
    photos: list[Photo] = []

    def add_photo(img, caption=""):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            return
        photos.append(Photo(urllib.parse.urljoin(base, src),
                            _text(caption) or _text(img.get("alt") or img.get("title") or "")))
        blocks.append(f"PHOTO:{len(photos)}")

    def walk(element):
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("script", "style", "iframe", "object", "form"):
                continue
            if tag == "img":
                add_photo(child)
            elif tag == "figure":
                caption = child.find(".//figcaption")
                for img in child.iter("img"):
                    add_photo(img, caption.text_content() if caption is not None else "")
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = _inline(child).strip()
                if text:
                    blocks.append(f"{'#' * max(2, min(int(tag[1]), 4))} {text}")
            elif tag in ("ul", "ol"):
                items = [_inline(li).strip() for li in child if getattr(li, "tag", "") == "li"]
                marker = (lambda n: f"{n}.") if tag == "ol" else (lambda n: "-")
                blocks.append("\n".join(f"{marker(n)} {t}" for n, t in enumerate(items, 1) if t))
            elif tag == "blockquote":
                text = _inline(child).strip()
                if text:
                    blocks.append(f"> {text}")
            elif tag in ("div", "section", "article", "table", "tbody", "tr", "td"):
                walk(child)
            else:  # p and anything inline at the top
                for img in child.iter("img"):
                    add_photo(img)
                text = _inline(child).strip()
                if text:
                    blocks.append(text)
            if child.tail and child.tail.strip():
                blocks.append(_escape(child.tail.strip()))

    if root.text and root.text.strip():
        blocks.append(_escape(root.text.strip()))
    walk(root)
    return "\n\n".join(b for b in blocks if b.strip()), photos


# --- photos ---------------------------------------------------------------------------------


def fetch_photo(source: str) -> bytes:
    """The bytes of a photo at an http(s) address, a ``file:`` URL or a path."""
    parsed = urllib.parse.urlsplit(source)
    if parsed.scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": "mttq-import-feed"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_PHOTO_BYTES + 1)
    elif parsed.scheme in ("file", ""):
        path = Path(urllib.request.url2pathname(parsed.path)) if parsed.scheme else Path(source)
        with open(path, "rb") as handle:
            data = handle.read(MAX_PHOTO_BYTES + 1)
    else:
        raise OSError(f"địa chỉ '{parsed.scheme}:' không được hỗ trợ")
    if len(data) > MAX_PHOTO_BYTES:
        raise OSError(f"ảnh nặng hơn {MAX_PHOTO_BYTES // 1_000_000} MB")
    return data


def photo_suffix(data: bytes) -> str:
    """The file suffix of a photo the site can publish; OSError otherwise."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a non-image
        raise OSError(f"không phải ảnh đọc được ({type(exc).__name__})") from exc
    if fmt not in PHOTO_FORMATS:
        raise OSError(f"định dạng {fmt} không dùng được (chỉ JPEG, PNG, WebP)")
    return PHOTO_FORMATS[fmt]


# --- writing bundles ------------------------------------------------------------------------


def _header_value(text: str) -> str:
    return " ".join(nfc(text).split())


def _summary(entry: Entry, markdown: str) -> str:
    text = entry.summary or _text(re.sub(r"PHOTO:\d+", "", markdown).replace("\\", ""))
    text = re.sub(r"[*#>\[\]]", "", text).strip()
    if len(text) <= MAX_SUMMARY:
        return text
    cut = text[:MAX_SUMMARY].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _topic_for(entry: Entry, registries: Registries, default: str | None) -> str | None:
    """The topic an old category names (its key or its name, with or without
    diacritics), else ``default``."""
    names = {slugify(t.name): key for key, t in registries.topics.items()}
    for tag in entry.tags:
        slug = slugify(tag)
        if slug in registries.topics:
            return slug
        if slug in names:
            return names[slug]
    return default


def already_imported(content_root: Path) -> set[str]:
    """The original addresses of the items imported before (``Imported:`` lines)."""
    found = set()
    for path in find_items(content_root):
        try:
            head = path.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
        except OSError:
            continue
        for line in head.splitlines():
            if line.lower().startswith("imported:"):
                found.add(line.split(":", 1)[1].strip())
    return found


def import_entries(entries: list[Entry], *, content_root: Path, registries: Registries,
                   unit: str, before: dt.date | None, item_type: str = "tin",
                   topic: str | None = None, author: str | None = None,
                   base: str = "", log=print) -> Outcome:
    if unit not in registries.units:
        raise FeedImportError(f"Đơn vị '{unit}' không có trong danh sách đơn vị (data/units.yaml).")
    if item_type not in ITEM_TYPES:
        raise FeedImportError("--type phải là 'tin' hoặc 'bai'.")
    if topic is not None and topic not in registries.topics:
        raise FeedImportError(f"Chủ đề '{topic}' không có. Các chủ đề: {', '.join(registries.topics)}.")
    the_unit = registries.units[unit]
    outcome = Outcome()
    seen = already_imported(content_root)
    taken = {p.parent.name for p in find_items(content_root)}
    for entry in entries:
        label = entry.title or entry.link or "(không tiêu đề)"
        if entry.link and entry.link in seen:
            outcome.skipped.append((label, "đã nhập trước đây (cùng địa chỉ gốc)"))
            continue
        if entry.published is None:
            outcome.skipped.append((label, "không có ngày đăng"))
            continue
        published = to_local(entry.published)
        if before is not None and published.date() >= before:
            outcome.skipped.append((label, f"đăng ngày {published:%d/%m/%Y}, không trước "
                                           f"{before:%d/%m/%Y} (--before)"))
            continue
        if not the_unit.active_on(published.date()):
            outcome.skipped.append((label, f"đơn vị '{the_unit.name}' không hoạt động ngày "
                                           f"{published:%d/%m/%Y}"))
            continue
        chosen_topic = _topic_for(entry, registries, topic)
        if chosen_topic is None:
            raise FeedImportError(f"Tin, bài '{label}' không có chủ đề trùng tên chủ đề nào của "
                               f"trang: ghi --topic (một trong {', '.join(registries.topics)}).")
        markdown, inline_photos = html_to_markdown(entry.html, base or entry.link)
        listed = {p.source for p in inline_photos}
        extra = [p for p in entry.photos if p.source not in listed]
        photos = (inline_photos + extra)[:MAX_PHOTOS]
        files: list[tuple[int, str, bytes, str]] = []  # photo's index, name, bytes, caption
        for n, photo in enumerate(photos):
            try:
                data = fetch_photo(photo.source)
                name = f"anh-{len(files) + 1}{photo_suffix(data)}"
            except OSError as exc:
                log(f"  CẢNH BÁO: '{label}': bỏ ảnh {photo.source}: {exc}")
                continue
            files.append((n, name, data, photo.caption or f"Ảnh minh họa – {entry.title}"))
        if not files:
            outcome.skipped.append((label, "không có ảnh tải được (mỗi tin, bài phải có ảnh): "
                                           "thêm ảnh rồi nhập lại, hoặc tạo tin, bài bằng tay"))
            continue
        slug = slugify(entry.slug_hint or entry.title) or slugify(Path(
            urllib.parse.urlsplit(entry.link).path).name) or "tin-bai-nhap"
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate)
        folder = content_root / item_type / f"{published:%Y}" / f"{published:%m}" / candidate
        folder.mkdir(parents=True)
        by_index = {n: (name, caption) for n, name, _, caption in files}

        def place(match):  # an inline photo where it stood; a failed one is left out
            found = by_index.pop(int(match.group(1)) - 1, None)
            return f"![{_escape(found[1])}]({found[0]})" if found else ""

        body = re.sub(r"^PHOTO:(\d+)$", place, markdown, flags=re.M)
        rest = [f"![{_escape(caption)}]({name})" for name, caption in by_index.values()]
        body = "\n\n".join(b for b in re.split(r"\n{2,}", body.strip()) + rest if b.strip())
        for _, name, data, _ in files:
            (folder / name).write_bytes(data)
        fields = [
            ("Title", entry.title or candidate.replace("-", " ")),
            ("Type", item_type),
            ("Category", chosen_topic),
            ("Unit", unit),
            ("Author", entry.author or author or f"Ban Biên tập ({the_unit.name})"),
            ("Date", f"{published:%Y-%m-%d %H:%M}"),
            ("Submitted", f"{published:%Y-%m-%d %H:%M}"),
            ("Imported", entry.link or "nguồn tin cũ"),
            ("Summary", _summary(entry, markdown) or entry.title),
        ]
        if entry.tags:
            fields.append(("Tags", ", ".join(t.replace(",", " ") for t in entry.tags)))
        header = "\n".join(f"{k}: {_header_value(v)}" for k, v in fields)
        index = folder / "index.md"
        index.write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        outcome.created.append(index)
        item = read_item(index, registries, content_root)
        for problem in item.problems:
            outcome.problems.append((index, problem))
    return outcome


def run(source: str, *, unit: str, content: str, registries: Registries,
        before: str | None = None, item_type: str = "tin", topic: str | None = None,
        author: str | None = None) -> int:
    """``invoke import-feed``: prints what it did in Vietnamese; 0 done, 1 the bundles
    have problems to fix, 2 a wrong command or an unreadable source."""
    try:
        cutoff = parse_local_datetime(before).date() if before else None
        data, base = _read_source(source)
        entries = read_entries(data, base)
        outcome = import_entries(entries, content_root=Path(content), registries=registries,
                                 unit=unit, before=cutoff, item_type=item_type, topic=topic,
                                 author=author, base=base)
    except (FeedImportError, ValueError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    for path in outcome.created:
        print(f"Đã nhập {path.parent}")
    for label, why in outcome.skipped:
        print(f"BỎ QUA: {label}: {why}")
    for path, problem in outcome.problems:
        severity = "LỖI" if problem.severity == P.ERROR else "CẢNH BÁO"
        print(f"{severity}: {path}: {problem.message} {problem.hint}".rstrip())
    print(f"Đã nhập {len(outcome.created)} tin, bài; bỏ qua {len(outcome.skipped)}. "
          "Kiểm tra (invoke check) rồi mở pull request; tin, bài nhập không bị tính hạn gửi.")
    errors = [p for _, p in outcome.problems if p.severity == P.ERROR]
    return 1 if errors else 0
