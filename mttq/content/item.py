"""The content model: one item (tin or bài) = one folder with ``index.md``.

``content/<type>/<yyyy>/<mm>/<slug>/index.md`` beside its photos. This module
reads such a file and validates it against the registries, returning the
normalised metadata and every problem found (never stopping at the first), so
the check, the Pelican reader and the tests all apply the same rules.
"""
from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mttq.core import git
from mttq.core import problems as P
from mttq.core.paths import walk_tree
from mttq.content.header import duplicate_field_problems, parse_header, read_source
from mttq.content.markdown_photos import FigureRenderer, PhotoRef, render_body
from mttq.content import limits
from mttq.content.placeholders import placeholder_problems
from mttq.registry.registries import Topic, Unit, unit_not_active
from mttq.content.sanitize import intrasite_links
from mttq.core.text import is_slug, nfc, slugify
from mttq.core.times import LOCAL_TZ, parse_local_datetime, to_local

ITEM_TYPES = {"tin": "Tin", "bai": "Bài"}
ITEM_FILE = "index.md"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff"}

REQUIRED_FIELDS = ("title", "type", "category", "unit", "author", "summary")
OPTIONAL_FIELDS = (
    "date", "event_date", "submitted", "modified", "tags", "cover", "status", "column", "deadline_waiver",
    "photo_credit", "imported",
)
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
STATUSES = ("published", "draft", "hidden")

FIELD_LABELS = {
    "title": "Title (tiêu đề)",
    "type": "Type (loại: tin hoặc bai)",
    "category": "Category (chủ đề)",
    "unit": "Unit (đơn vị)",
    "author": "Author (tác giả)",
    "summary": "Summary (tóm tắt)",
    "date": "Date (ngày đăng)",
    "event_date": "Event_date (ngày diễn ra sự kiện)",
    "submitted": "Submitted (lúc tin, bài đến Ban Biên tập)",
    "modified": "Modified (ngày sửa)",
    "tags": "Tags (từ khóa)",
    "cover": "Cover (ảnh đại diện)",
    "status": "Status (trạng thái)",
    "column": "Column (chuyên mục tháng)",
    "deadline_waiver": "Deadline_waiver (lý do chấp nhận gửi trễ)",
    "photo_credit": "Photo_credit (người chụp, nguồn ảnh; mặc định: tác giả)",
    "imported": "Imported (địa chỉ gốc của tin, bài nhập từ trang cũ)",
}

_LOCATION = re.compile(
    r"^(?P<type>[^/]+)/(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/]+)/index\.md$"
)
_COLUMN = re.compile(r"^(\d{4})-(\d{2})$")
MAX_ITEM_BYTES = 200_000  # a long article is ~30 KB of text; more is a pasted file
MAX_PHOTOS_PER_ITEM = 30
_PHOTO_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:jpe?g|png|webp)$")
MAX_PHOTO_NAME = 80  # renditions add "-1600.webp"; file systems allow 255 bytes


@dataclass
class Registries:
    topics: dict[str, Topic]
    units: dict[str, Unit]


@dataclass
class ItemMeta:
    title: str = ""
    type: str = ""
    category: str = ""
    unit: str = ""
    author: str = ""
    summary: str = ""
    date: dt.datetime | None = None
    event_date: dt.datetime | None = None
    submitted: dt.datetime | None = None  # set by editors for items not sent via git
    modified: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    cover: str | None = None
    status: str = "published"
    column: str | None = None
    deadline_waiver: str | None = None
    photo_credit: str | None = None  # who took the photos (feeds' media:credit); None = the author
    imported: str | None = None  # where an item of an old site came from (invoke import-feed)


@dataclass(frozen=True)
class Stamp:
    """A moment and where it comes from (see :mod:`mttq.content.history`)."""

    time: dt.datetime
    source: str

    @property
    def guessed(self) -> bool:
        return self.source in GUESSED_SOURCES


GUESSED_SOURCES = ("guessed", "now")


@dataclass
class Item:
    """One item, read once: what the check, the build, the feeds and the reports share.

    :func:`read_item` fills what the bundle's own files say (metadata, body,
    photos, problems); :meth:`mttq.content.history.History.judge` adds what
    the history says (publication, submission and the deadline verdict),
    freshly for every run, since a ledger line or a merge changes them
    without touching the file.
    """

    path: Path  # the index.md file
    slug: str
    meta: ItemMeta
    html: str = ""
    photos: list[PhotoRef] = field(default_factory=list)
    problems: list[P.Problem] = field(default_factory=list)
    published: Stamp | None = None  # when it is (or will be) public
    submission: Stamp | None = None  # when it reached the editors (items about an event)
    verdict: object | None = None  # mttq.calendar.deadline.Verdict, when judged
    url: str = ""  # on the site, when built

    @property
    def bundle_dir(self) -> Path:
        return self.path.parent

    @property
    def ok(self) -> bool:
        return not any(p.severity == P.ERROR for p in self.problems)

    # What the reports read, named as they speak.
    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def type(self) -> str:
        return self.meta.type

    @property
    def unit(self) -> str:
        return self.meta.unit

    @property
    def date(self) -> dt.datetime | None:
        return self.published.time if self.published else None

    @property
    def local_date(self) -> dt.datetime:
        return to_local(self.published.time)

    @property
    def month_key(self) -> tuple[int, int]:
        local = self.local_date
        return local.year, local.month

    @property
    def event_date(self) -> dt.datetime | None:
        return self.meta.event_date

    @property
    def submitted(self) -> dt.datetime | None:
        return self.submission.time if self.submission else None

    @property
    def waiver(self) -> str | None:
        return self.meta.deadline_waiver

    @property
    def missed_deadline(self) -> bool:
        return self.verdict is not None and not self.verdict.on_time

    @property
    def waived(self) -> bool:
        """Sent after the deadline, and the editors recorded a reason."""
        return self.missed_deadline and bool((self.waiver or "").strip())

    @property
    def late(self) -> bool:
        """Sent after the deadline without a recorded reason."""
        return self.missed_deadline and not self.waived

    def is_published(self, now: dt.datetime) -> bool:
        """The one rule of what readers see: published status, no error, due by ``now``."""
        return (self.ok and self.meta.status == "published" and self.published is not None
                and self.published.time <= now)


def split_tags(value: str) -> list[str]:
    seen, tags = set(), []
    for raw in value.split(","):
        tag = nfc(raw.strip())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def _missing(key: str) -> P.Problem:
    return P.error(
        "meta.missing",
        f"Thiếu trường {FIELD_LABELS[key]}.",
        f"Thêm một dòng '{key.capitalize()}: …' vào phần đầu tệp, trước dòng trống đầu tiên.",
        field=key,
    )


def _invalid(key: str, message: str, hint: str, line: int | None) -> P.Problem:
    return P.error("meta.invalid", message, hint, field=key, line=line)


def _relative_to(path: Path, root: Path) -> str | None:
    """``path`` under ``root`` (posix), by the real paths; None when outside.
    ``os.path.realpath`` never raises (a symlink loop gives a path, not an error)."""
    try:
        return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return None


def check_location(index_path: Path, content_root: Path | None) -> tuple[str, list[P.Problem]]:
    """The slug (folder name) and the problems of where the item lives."""
    slug = index_path.parent.name
    found: list[P.Problem] = []
    if not is_slug(slug):
        found.append(P.error(
            "article.bad_slug",
            f"Tên thư mục `{slug}` không hợp lệ: tên thư mục là địa chỉ (URL) của tin, bài.",
            f"Đổi tên thư mục thành '{slugify(slug) or 'ten-bai-viet'}' (chữ thường, không "
            "dấu, các từ nối bằng dấu '-').",
        ))
    for part in (index_path, index_path.parent):
        if part.is_symlink():
            found.append(P.error(
                "article.symlink",
                f"`{part.name}` là một liên kết tượng trưng (symlink), không phải tệp hay thư mục thật.",
                "Chép thư mục và tệp thật vào đúng chỗ; tin, bài không được trỏ sang nơi khác.",
            ))
    if content_root is not None:
        relative = _relative_to(index_path, content_root)
        match = _LOCATION.match(relative or "")
        if not match or match["type"] not in ITEM_TYPES or not 1 <= int(match["month"]) <= 12:
            found.append(P.error(
                "article.bad_location",
                f"Tin, bài phải nằm ở `content/<tin|bai>/<năm>/<tháng>/<tên>/index.md`, "
                f"không phải `{relative or index_path}`.",
                "Chuyển thư mục của tin, bài vào đúng chỗ, ví dụ "
                "`content/tin/2025/05/ten-tin/index.md`.",
            ))
    return slug, found


def _validate_meta(fields, registries: Registries, location_type: str | None,
                   undated=None) -> tuple[ItemMeta, list]:
    meta = ItemMeta()
    found: list[P.Problem] = []

    def value_of(key):
        f = fields.get(key)
        return (f.value.strip(), f.line) if f else ("", None)

    for key in REQUIRED_FIELDS:
        if not value_of(key)[0]:
            found.append(_missing(key))
    for key, f in fields.items():
        if key in KNOWN_FIELDS:
            found.extend(limits.field_problems(key, f.value.strip(), f.line, FIELD_LABELS[key]))

    meta.title, _ = value_of("title")

    item_type, line = value_of("type")
    if item_type:
        if item_type.lower() not in ITEM_TYPES:
            found.append(_invalid("type", f"Loại `{item_type}` không hợp lệ.",
                                  "Ghi 'Type: tin' cho tin hoặc 'Type: bai' cho bài.", line))
        else:
            meta.type = item_type.lower()
            if location_type and location_type in ITEM_TYPES and location_type != meta.type:
                found.append(_invalid(
                    "type",
                    f"Type là `{meta.type}` nhưng thư mục nằm trong `content/{location_type}/`.",
                    f"Sửa Type thành `{location_type}` hoặc chuyển thư mục sang `content/{meta.type}/`.",
                    line,
                ))

    category, line = value_of("category")
    if category:
        if category in registries.topics:
            meta.category = category
        else:
            close = difflib.get_close_matches(category, registries.topics, n=1)
            choices = ", ".join(registries.topics)
            found.append(_invalid(
                "category", f"Chủ đề `{category}` không có trong danh mục chủ đề.",
                (f"Có phải ý bạn là `{close[0]}`? " if close else "") + f"Các chủ đề: {choices}.",
                line,
            ))

    meta.author, _ = value_of("author")
    meta.summary, _ = value_of("summary")

    for key in ("date", "event_date", "submitted", "modified"):
        text, line = value_of(key)
        if not text:
            continue
        try:
            moment = parse_local_datetime(text)
            implausible = limits.date_problem(key, moment, line, FIELD_LABELS[key])
            if implausible:
                found.append(implausible)
            else:
                setattr(meta, key, moment)
        except ValueError as exc:
            found.append(_invalid(key, f"{FIELD_LABELS[key]}: {exc}",
                                  "Ghi ngày theo dạng YYYY-MM-DD HH:MM hoặc dd/mm/yyyy HH:MM, "
                                  "ví dụ 2025-05-14 08:30.", line))
    if meta.event_date and meta.date and meta.event_date > meta.date:
        found.append(_invalid("event_date", "Ngày diễn ra sự kiện sau ngày đăng.",
                              "Kiểm tra lại Event_date và Date.", fields["event_date"].line))

    unit_key, line = value_of("unit")
    if unit_key:
        unit = registries.units.get(unit_key)
        if unit is None:
            close = difflib.get_close_matches(unit_key, registries.units, n=1)
            found.append(_invalid(
                "unit", f"Đơn vị `{unit_key}` không có trong danh sách đơn vị (`data/units.yaml`).",
                (f"Có phải ý bạn là `{close[0]}`? " if close else "")
                + "Dùng đúng mã đơn vị của bạn; hỏi Ban Biên tập nếu chưa có.",
                line,
            ))
        else:
            meta.unit = unit_key
            # The unit must exist when it did the work: on the event's day, else when it
            # sent the item, else on the publication day (an editor may publish later).
            basis, when = next(((k, getattr(meta, k)) for k in ("event_date", "submitted", "date")
                                if getattr(meta, k)), ("today", None))
            if when is None and not any(fields.get(k) for k in ("event_date", "submitted", "date")):
                # No date written: when git first saw the file (merged long ago, its unit
                # may have ended since), else now (a new submission).
                basis, when = undated() if undated else ("today", dt.datetime.now(LOCAL_TZ))
            day = when.astimezone(LOCAL_TZ).date() if when else None
            inactive = unit_not_active(registries.units, unit, day, basis) if day else None
            if inactive:
                found.append(_invalid("unit", *inactive, line))

    tags, line = value_of("tags")
    meta.tags = split_tags(tags)
    found.extend(limits.tag_problems(meta.tags, line))

    status, line = value_of("status")
    if status:
        if status.lower() not in STATUSES:
            found.append(_invalid("status", f"Trạng thái `{status}` không hợp lệ.",
                                  "Ghi 'Status: draft' để tạm giữ bài, hoặc bỏ dòng này.", line))
        else:
            meta.status = status.lower()

    column, line = value_of("column")
    if column:
        match = _COLUMN.match(column)
        if not match or not 1 <= int(match[2]) <= 12:
            found.append(_invalid("column", f"Chuyên mục `{column}` không hợp lệ.",
                                  "Ghi tháng của chuyên mục theo dạng YYYY-MM, ví dụ 'Column: 2025-05'.",
                                  line))
        else:
            meta.column = column

    meta.cover = value_of("cover")[0] or None
    meta.deadline_waiver = value_of("deadline_waiver")[0] or None
    meta.photo_credit = value_of("photo_credit")[0] or None
    meta.imported = value_of("imported")[0] or None

    for key, f in fields.items():
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
            found.append(P.warning(
                "meta.unknown_key", f"Trường `{key}` không được dùng và sẽ bị bỏ qua.",
                f"Có phải ý bạn là `{close[0].capitalize()}`?" if close
                else "Xóa dòng này hoặc sửa tên trường.",
                field=key, line=f.line,
            ))
    return meta, found


_PHOTO_PROBLEMS = {
    "article.photo_missing": ("Không tìm thấy ảnh `{src}`.",
                              "Chép ảnh vào cùng thư mục với `index.md` và kiểm tra tên tệp "
                              "(chữ thường, không dấu, không khoảng trắng)."),
    "article.photo_outside": ("Ảnh `{src}` nằm ngoài thư mục của tin, bài.",
                              "Chép ảnh vào cùng thư mục với `index.md` và ghi tên tệp, "
                              "ví dụ `![Chú thích](anh-1.jpg)`."),
    "article.photo_external": ("Ảnh `{src}` lấy từ trang web khác.",
                               "Tải ảnh về, chép vào thư mục của tin, bài và ghi tên tệp."),
}


def _photo_problems(item: Item) -> list[P.Problem]:
    found: list[P.Problem] = []
    if not item.photos:
        found.append(P.error(
            "article.no_photo", "Tin, bài chưa có ảnh minh họa.",
            "Chép ít nhất một ảnh vào thư mục và chèn vào bài: `![Chú thích ảnh](anh-1.jpg)`.",
        ))
    for ref in item.photos:
        if ref.problem:
            message, hint = _PHOTO_PROBLEMS[ref.problem]
            found.append(P.error(ref.problem, message.format(src=ref.src), hint))
        if not ref.alt:
            found.append(P.error(
                "article.caption_missing", f"Ảnh `{ref.src}` chưa có chú thích.",
                f"Ghi chú thích trong ngoặc vuông: `![Mô tả ai, làm gì, ở đâu]({ref.src})`.",
            ))
    if len(item.photos) > MAX_PHOTOS_PER_ITEM:
        found.append(P.error(
            "article.too_many_photos",
            f"Tin, bài có {len(item.photos)} ảnh (tối đa {MAX_PHOTOS_PER_ITEM}).",
            "Chọn những ảnh tiêu biểu nhất; gửi ảnh còn lại cho Ban Biên tập nếu cần lưu.",
        ))
    for ref in item.photos:
        if ref.path is None:
            continue
        suffix = ref.path.suffix.lower().replace(".jpeg", ".jpg")
        if len(ref.path.name) > MAX_PHOTO_NAME:
            found.append(P.error(
                "article.photo_name",
                f"Tên ảnh dài {len(ref.path.name)} ký tự (tối đa {MAX_PHOTO_NAME}).",
                f"Đổi tên tệp ngắn lại, ví dụ `anh-1{suffix}`, và sửa tên trong bài cho khớp.",
            ))
        elif not _PHOTO_NAME.match(ref.path.name):
            found.append(P.error(
                "article.photo_name",
                f"Tên ảnh `{ref.path.name}` có dấu, chữ hoa, khoảng trắng hoặc đuôi lạ.",
                f"Đổi tên tệp thành `{slugify(ref.path.stem) or 'anh'}{suffix}` (chữ thường, "
                "không dấu, nối bằng `-`) và sửa tên trong bài cho khớp.",
            ))
    stems: dict[str, str] = {}
    for ref in item.photos:
        if ref.path is None:
            continue
        other = stems.setdefault(ref.path.stem.lower(), ref.path.name)
        if other != ref.path.name:
            found.append(P.error(
                "article.photo_name",
                f"Ảnh `{ref.path.name}` và `{other}` trùng tên (chỉ khác đuôi): trên trang, "
                "ảnh này sẽ thay mất ảnh kia.",
                f"Đổi tên một ảnh, ví dụ `{ref.path.stem}-2{ref.path.suffix.lower()}`, và sửa "
                "tên trong bài cho khớp.",
            ))
    referenced = {ref.path.name for ref in item.photos if ref.path is not None}
    for candidate in sorted(item.bundle_dir.iterdir()):
        if candidate.name == ITEM_FILE or candidate.name in referenced:
            continue
        if candidate.suffix.lower() in PHOTO_SUFFIXES and candidate.is_file():
            found.append(P.error(
                "article.photo_unreferenced",
                f"Ảnh `{candidate.name}` có trong thư mục nhưng không được dùng trong bài.",
                f"Chèn ảnh vào bài bằng `![Chú thích]({candidate.name})` hoặc xóa tệp ảnh.",
            ))
        else:
            found.append(stray_file_problem(candidate))
    if item.meta.cover and item.meta.cover not in {ref.src for ref in item.photos}:
        found.append(_invalid("cover", f"Ảnh đại diện `{item.meta.cover}` không có trong bài.",
                              "Ghi Cover bằng tên một ảnh đã chèn trong bài, hoặc bỏ dòng Cover.",
                              None))
    return found


# Files an operating system leaves in folders by itself: flagged, but only as a warning.
OS_JUNK = {".ds_store", "thumbs.db", "desktop.ini", ".directory"}


def stray_file_problem(path: Path) -> P.Problem:
    """A file or folder in a bundle that is neither ``index.md`` nor one of its photos.

    Nothing but re-encoded photos and generated pages may reach the site, so a
    bundle holds nothing else: an HTML page, an SVG, a document, a second
    ``.md`` or a sub-folder is refused (``article.stray_file``).
    """
    kind = "Thư mục" if path.is_dir() and not path.is_symlink() else "Tệp"
    if path.name.lower() in OS_JUNK:
        return P.warning(
            "article.stray_file",
            f"Tệp `{path.name}` do hệ điều hành tự tạo nằm trong thư mục tin, bài.",
            f"Xóa tệp `{path.name}` khỏi thư mục (không ảnh hưởng đến bài).")
    return P.error(
        "article.stray_file",
        f"{kind} `{path.name}` không phải là `index.md` hay một ảnh của tin, bài.",
        f"Xóa `{path.name}` khỏi thư mục. Thư mục tin, bài chỉ chứa `index.md` và các ảnh "
        "(`.jpg`, `.png`, `.webp`) được chèn trong bài; tài liệu khác hãy gửi riêng cho Ban Biên tập.")


def intrasite_problems(html: str) -> list[P.Problem]:
    """``article.intrasite_link`` for every Pelican link marker in a body."""
    return [P.error(
        "article.intrasite_link",
        f"Liên kết `{value[:80]}` dùng cú pháp nội bộ của Pelican (`{{static}}`, `{{attach}}`, "
        "`{filename}`…), cú pháp này không được phép.",
        "Chèn ảnh bằng `![Chú thích](anh-1.jpg)`; liên kết tới trang khác bằng địa chỉ của "
        "nó, ví dụ `[Liên hệ](/lien-he/)`.",
    ) for value in intrasite_links(html)]


def read_item(
    index_path: Path,
    registries: Registries,
    content_root: Path | None = None,
    renderer: FigureRenderer | None = None,
) -> Item:
    """Read and validate one item; every problem is collected, none raised."""
    index_path = Path(index_path)
    slug, location_problems = check_location(index_path, content_root)
    item = Item(path=index_path, slug=slug, meta=ItemMeta(), problems=location_problems)
    text, unreadable = read_source(index_path, MAX_ITEM_BYTES,
                                   "Chỉ giữ nội dung tin, bài; tài liệu dài hãy gửi riêng cho Ban Biên tập.")
    if unreadable is not None:
        item.problems.append(unreadable)
        return item
    parsed = parse_header(text)
    section = index_path.parents[3].name if len(index_path.parents) > 3 else None
    location_type = section if section in ITEM_TYPES else None
    item.meta, meta_problems = _validate_meta(parsed.fields, registries, location_type,
                                              lambda: _first_seen(index_path, content_root))
    item.problems.extend(meta_problems)
    for line, message, hint in parsed.errors:
        item.problems.append(P.error("meta.front_matter", message, hint, line=line))
    item.problems.extend(duplicate_field_problems(parsed))
    item.problems.extend(limits.body_problems(parsed.body, parsed.body_line))
    if any(p.code == "article.too_complex" for p in item.problems):
        return item  # not rendered: that is the point of the limit
    if not parsed.body.strip():
        item.problems.append(P.error("article.empty_body", "Tin, bài chưa có nội dung.",
                                     "Viết nội dung sau dòng trống ngay dưới phần thông tin đầu tệp."))
    item.html, item.photos = render_body(parsed.body, item.bundle_dir, renderer)
    item.problems.extend(intrasite_problems(item.html))
    item.problems.extend(placeholder_problems(item.meta, parsed.body, item.photos))
    item.problems.extend(_photo_problems(item))
    return item


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
# Files the build never reads (Pelican's IGNORE_FILES is set to these by the
# plugin): hidden files, editors' backups, notes about the demo photos.
IGNORED_FILES = (".*", "*.md~", "README.md", "PHOTO_SOURCES.md")


# One expression for the patterns (fnmatch's own translation): the check asks
# for every folder and Markdown file of the site (160,000 names at 40,000 items).
_IGNORED = re.compile("|".join(fnmatch.translate(p) for p in IGNORED_FILES))


def ignored(name: str) -> bool:
    return _IGNORED.match(os.path.normcase(name)) is not None


def find_markdown(folder: Path) -> list[Path]:
    """Every Markdown file below ``folder``, the way the build finds them
    (:func:`markdown_files`, as paths).

    Pelican reads every Markdown file under the item sections, at any depth
    and through symbolic links; so the check lists them all — a stray
    ``x.md`` in a month folder, a nested ``index.md``, a linked folder's
    ``index.md`` — and judges each (``article.bad_location``,
    ``article.symlink``). Linked folders are not walked into (no loops)."""
    return [Path(p) for p in markdown_files(folder)]


def markdown_files(folder: str | os.PathLike) -> list[str]:
    """:func:`find_markdown` as strings, in the same order: the pull-request check
    lists every item of the site with it, and 40,000 ``Path`` objects cost more
    than the listing."""
    found: list[str] = []
    for _, entry in walk_tree(os.fspath(folder), skip_folder=ignored, skip_unreadable=True):
        try:
            is_dir = entry.is_dir()  # a linked folder (real ones are walked into)
        except OSError:
            is_dir = False
        if not is_dir:
            if entry.name.lower().endswith(MARKDOWN_SUFFIXES) and not ignored(entry.name):
                found.append(entry.path)
        elif not ignored(entry.name):  # its index.md, not walked into (no loops)
            if os.path.exists(os.path.join(entry.path, ITEM_FILE)):
                found.append(os.path.join(entry.path, ITEM_FILE))
    return sorted(found, key=lambda p: p.split(os.sep))  # the order of Path objects


def _first_seen(index_path: Path, content_root: Path | None) -> tuple[str, dt.datetime]:
    """(basis, time) an undated item's unit is judged at: its first commit, else now."""
    arrival = git.first_commit(index_path, content_root) if content_root is not None else None
    if arrival is not None:
        return "committed", arrival.time
    return "today", dt.datetime.now(LOCAL_TZ)


def placed_item_names(content_root: str | os.PathLike, markdown: list[str] | None = None) -> set[str]:
    """The folder names (slugs) of the items at their place,
    ``<tin|bai>/<year>/<month>/<slug>/index.md``, from ``markdown``: a listing
    :func:`item_markdown_files` made of the same ``content_root`` (made here when
    not given; the pull-request check lists the site once)."""
    if markdown is None:
        markdown = item_markdown_files(content_root)
    prefix = os.path.join(os.fspath(content_root), "")
    names = set()
    for path in markdown:
        if path.startswith(prefix):
            parts = path[len(prefix):].split(os.sep)
            if len(parts) == 5 and parts[4] == ITEM_FILE:
                names.add(parts[3])
    return names


def find_items(content_root: Path) -> list[Path]:
    """Every Markdown file under the item sections of a content tree, sorted."""
    return [Path(p) for p in item_markdown_files(content_root)]


def item_markdown_files(content_root: str | os.PathLike) -> list[str]:
    """:func:`find_items` as strings."""
    found: list[str] = []
    for section in sorted(ITEM_TYPES):
        base = os.path.join(content_root, section)
        if os.path.isdir(base):
            found.extend(markdown_files(base))
    return found


def duplicate_slug_problems(index_paths: list[Path]) -> dict[Path, P.Problem]:
    """Items whose folder name (slug, hence URL) another item already uses."""
    by_slug: dict[str, list[Path]] = {}
    for path in index_paths:
        by_slug.setdefault(path.parent.name, []).append(path)
    clashes = {}
    for slug, paths in by_slug.items():
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(f"`{'/'.join(p.parent.parts[-4:])}`" for p in paths if p != path)
                clashes[path] = P.error(
                    "article.duplicate_slug",
                    f"Tên thư mục `{slug}` trùng với {others}: hai tin, bài sẽ có cùng địa chỉ.",
                    f"Đổi tên thư mục, ví dụ `{slug}-2`, hoặc thêm địa danh vào tên.",
                )
    return clashes
