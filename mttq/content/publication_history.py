"""What happened to each item after it was published: corrections and takedowns.

Partners republish items automatically; they must learn when an item they
hold was corrected or withdrawn. Both are read from git, from the same
first-parent history that dates items without ``Date`` (one ``git log`` and
one ``git cat-file --batch`` for the whole tree: :func:`mttq.core.git.content_log`):

- an item's *versions* are the states of its bundle (``index.md`` and its
  photos) after each first-parent commit that touched it; items are followed by
  slug (folder name = address = feed id), so moving a folder to another month
  is not a takedown;
- a version is *seen by readers* from ``max(commit time, its publication
  time)`` until the next version, when its status is ``published`` (or
  ``hidden``: its page exists); a scheduled item edited before its date was
  never seen in that version;
- ``changed``: the last time a version with another text, title, summary or
  photos than the previous seen version became visible, after the first
  publication. Changes to other fields (tags, unit, ``Date``, a waiver) are
  not corrections. An editor's ``Modified:`` wins over it (in the feeds);
- ``withdrawn``: when the item's last version is deleted or a draft although
  an earlier one was seen — the time of the commit that took it down.

:func:`change_notices` is the pull-request side: a change that would be a
correction or a takedown once merged is reported as a warning
(``article.correction``, ``article.withdrawn``) so that the editors decide.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mttq.content.header import parse_header
from mttq.content.item import ITEM_TYPES, placed_item_names, split_tags
from mttq.core import problems as P
from mttq.core.git import ITEM_FILE_NAME, NO_BLOB, ContentLog, content_log
from mttq.core.text import nfc
from mttq.core.times import LOCAL_TZ, parse_local_datetime

SEEN_STATUSES = ("published", "hidden")  # statuses whose page readers can open
WITHDRAWN_STATUSES = ("draft",)


@dataclass(frozen=True)
class VersionInfo:
    """What one ``index.md`` says, as far as the history needs it."""

    status: str
    date: dt.datetime | None
    title: str
    category: str
    unit: str
    type: str
    tags: tuple[str, ...]
    modified: str  # the raw ``Modified:`` value ("" when absent)
    text: str  # digest of title, summary and body


def _normal_body(body: str) -> str:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def parse_version(raw: bytes) -> VersionInfo | None:
    """The fields of an ``index.md`` (None when it cannot be read at all)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:  # as mttq.header.decode_text, without its legacy-font guess (the check's job)
        text = nfc(raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    except UnicodeDecodeError:
        return None
    parsed = parse_header(text)

    def value(key: str) -> str:
        found = parsed.fields.get(key)
        return found.value.strip() if found else ""

    date = None
    if value("date"):
        try:
            date = parse_local_datetime(value("date"))
        except ValueError:
            date = None
    digest = hashlib.sha256("\x00".join(
        (value("title"), value("summary"), _normal_body(parsed.body))).encode(
        "utf-8", "surrogatepass")).hexdigest()
    return VersionInfo(
        status=(value("status") or "published").lower(), date=date, title=value("title"),
        category=value("category"), unit=value("unit"), type=value("type").lower(),
        tags=tuple(split_tags(value("tags"))), modified=value("modified"), text=digest)


@dataclass(frozen=True)
class Version:
    """The item's bundle after one first-parent commit."""

    when: dt.datetime  # the commit's time
    path: str | None  # absolute path of index.md; None: the item is gone
    info: VersionInfo | None
    photos: tuple[tuple[str, str], ...] = ()  # (file name, blob id), sorted
    seen_from: dt.datetime | None = None  # when readers could first see it

    @property
    def content(self) -> tuple:
        """What a correction changes: text, title, summary, photos."""
        return (self.info.text if self.info else None, self.photos)

    @property
    def gone(self) -> bool:
        return self.path is None or (self.info is not None
                                     and self.info.status in WITHDRAWN_STATUSES)


@dataclass(frozen=True)
class ItemHistory:
    slug: str
    versions: tuple[Version, ...]
    first_published: dt.datetime | None
    changed: dt.datetime | None  # last correction (text, title, summary, photos)
    withdrawn: dt.datetime | None  # when its last seen version was taken down
    last_seen: Version | None  # the last version readers saw

    @property
    def tags(self) -> set[str]:
        """Every tag a seen version had."""
        return {t for v in self.versions if v.seen_from and v.info for t in v.info.tags}


def _bundle_part(path: str, prefix: str) -> tuple[str, str, str] | None:
    """(bundle folder, slug, file name) of a path under the content tree's item sections."""
    if not path.startswith(prefix):
        return None
    parts = path[len(prefix):].split("/")
    if len(parts) != 5 or parts[0] not in ITEM_TYPES:
        return None
    return "/".join(parts[:4]), parts[3], parts[4]


def _timelines(log: ContentLog, content_root: Path) -> dict[str, list[tuple[int, tuple | None]]]:
    """slug -> [(commit index, (folder, index blob, photos) or None)], one per change."""
    try:
        relative = Path(content_root).resolve().relative_to(log.top.resolve()).as_posix()
    except ValueError:
        return {}
    prefix = "" if relative == "." else relative + "/"
    folders: dict[str, dict[str, str]] = {}
    by_slug: dict[str, set[str]] = {}
    timelines: dict[str, list[tuple[int, tuple | None]]] = {}
    changes = log.changes
    at = 0
    while at < len(changes):
        commit = changes[at].commit
        touched: set[str] = set()
        while at < len(changes) and changes[at].commit == commit:
            change = changes[at]
            at += 1
            where = _bundle_part(change.path, prefix)
            if where is None:
                continue
            folder, slug, name = where
            files = folders.setdefault(folder, {})
            if change.status == "D" or change.blob == NO_BLOB:
                files.pop(name, None)
            else:
                files[name] = change.blob
            by_slug.setdefault(slug, set()).add(folder)
            touched.add(slug)
        for slug in sorted(touched):
            state = None
            for folder in sorted(by_slug[slug]):
                files = folders.get(folder, {})
                if ITEM_FILE_NAME in files:
                    photos = tuple(sorted((n, b) for n, b in files.items() if n != ITEM_FILE_NAME))
                    state = (folder, files[ITEM_FILE_NAME], photos)
                    break
            timeline = timelines.setdefault(slug, [])
            if not timeline or timeline[-1][1] != state:
                timeline.append((commit, state))
    return timelines


def _item_history(slug: str, timeline, log: ContentLog, prefix: Path,
                  infos: dict[str, VersionInfo | None]) -> ItemHistory:
    versions = []
    for n, (commit, state) in enumerate(timeline):
        when = log.commits[commit][1]
        end = log.commits[timeline[n + 1][0]][1] if n + 1 < len(timeline) else None
        if state is None:
            versions.append(Version(when, None, None))
            continue
        folder, blob, photos = state
        path = str(prefix / folder / ITEM_FILE_NAME)
        info = infos.get(blob)
        seen_from = None
        if info is not None and info.status in SEEN_STATUSES:
            start = max(when, info.date or log.added_times.get(path) or when)
            if end is None or start < end:
                seen_from = start
        versions.append(Version(when, path, info, photos, seen_from))
    first_published = changed = withdrawn = None
    last_seen = None
    for n, version in enumerate(versions):
        if version.seen_from is None:
            continue
        if last_seen is not None and version.content != last_seen.content:
            changed = version.seen_from
        first_published = first_published or version.seen_from
        last_seen = version
    if last_seen is not None and versions[-1].gone:
        after = versions.index(last_seen) + 1
        withdrawn = versions[after].when
    return ItemHistory(slug, tuple(versions), first_published, changed, withdrawn, last_seen)


def publication_history(content_root: str | Path,
                        cache_dir: str | Path | None = None) -> dict[str, ItemHistory]:
    """slug -> :class:`ItemHistory` of every item the content tree's history knows.

    Empty outside git. Two builds of the same commit read the same history:
    with ``cache_dir``, the result is kept there by commit (and by the code
    that made it), so a build of an unchanged commit does not read every
    version of every item again (20,000 blobs at 20,000 items).
    """
    log = content_log(content_root)
    if log is None or not log.changes:
        return {}
    kept = _kept_history(cache_dir, log, content_root) if cache_dir and log.head else None
    if kept is not None:
        try:
            with open(kept, "rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass  # made again below
    timelines = _timelines(log, Path(content_root))
    blobs = log.read_blobs(state[1] for timeline in timelines.values()
                           for _, state in timeline if state)
    infos = {blob: parse_version(raw) for blob, raw in blobs.items()}
    history = {slug: _item_history(slug, timeline, log, log.top, infos)
               for slug, timeline in sorted(timelines.items())}
    if kept is not None:
        _keep(kept, history)
    return history


# The modules whose code decides a history: a change in any of them is a new key.
_HISTORY_CODE = ("content/publication_history.py", "content/header.py", "content/item.py",
                 "core/git.py", "core/text.py", "core/times.py")


def _kept_history(cache_dir: str | Path, log: ContentLog, content_root: str | Path) -> Path:
    """Where the history of ``log``'s commit for ``content_root`` is kept. Only
    the publish cache holds it (pull requests share no cache with it)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{log.head}|{Path(content_root).resolve()}|{sys.version}|".encode())
    package = Path(__file__).resolve().parents[1]
    for name in _HISTORY_CODE:
        try:
            hasher.update((package / name).read_bytes())
        except OSError:
            hasher.update(b"-")
    return Path(cache_dir) / "history" / f"{hasher.hexdigest()}.pickle"


def _keep(path: Path, history: dict[str, ItemHistory]) -> None:
    """Only the newest history is kept (one file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as stream:
            pickle.dump(history, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
        for other in path.parent.glob("*.pickle"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        pass


# --- The pull request: what merging would change for partners --------------------------

CORRECTION_MESSAGE = (
    "Tin, bài này đã đăng; lần thay đổi này sửa {what}. Khi hợp nhất, nguồn tin RSS/Atom "
    "sẽ báo cho báo, đài đây là bản đã sửa (thời điểm sửa = lúc hợp nhất) để họ cập nhật "
    "bản đã đăng lại.")
CORRECTION_HINT = (
    "Ban Biên tập quyết định: để nguyên nếu đây là bản đính chính cần báo cho báo, đài; "
    "nếu chỉ sửa lỗi nhỏ không cần báo, ghi `Modified: <ngày giờ đăng>` để thời điểm sửa "
    "không đổi; hoặc ghi `Modified: YYYY-MM-DD HH:MM` để tự chọn thời điểm sửa.")
WITHDRAWN_MESSAGE = (
    "Tin, bài này đã đăng và sẽ bị gỡ ({how}). Khi hợp nhất: địa chỉ cũ hiện trang "
    "'Tin, bài đã được gỡ' (HTTP 410), nguồn tin RSS/Atom báo gỡ cho báo, đài trong 30 ngày.")
WITHDRAWN_HINT = (
    "Nếu chỉ cần sửa nội dung, đừng gỡ: sửa rồi hợp nhất (nguồn tin sẽ báo bản sửa). "
    "Gỡ là quyết định của Ban Biên tập.")


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def _git(top: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(top), "-c", "core.quotepath=off", *args],
                          capture_output=True, check=True).stdout


def _working_state(folder: Path) -> tuple[VersionInfo | None, tuple[tuple[str, str], ...]]:
    info = parse_version((folder / ITEM_FILE_NAME).read_bytes())
    photos = tuple(sorted((p.name, git_blob_id(p.read_bytes())) for p in folder.iterdir()
                          if p.is_file() and p.name != ITEM_FILE_NAME))
    return info, photos


def change_notices(content_root: Path, ref: str, item_paths: list[Path],
                   now: dt.datetime | None = None,
                   present: set[str] | None = None) -> tuple[dict[Path, list[P.Problem]],
                                                            list[tuple[str, P.Problem]]]:
    """Warnings for a change since ``ref``'s merge base (committed or not).

    Returns (index.md path of a changed item -> its warnings, [(display path
    of a deleted published item, warning)]). An item counts as published on
    the base when it was there with a seen status and its publication time
    (``Date``, else the base commit's time) was not after ``now``.
    """
    root = Path(content_root).resolve()
    now = (now or dt.datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ)
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
        base = _git(top, "merge-base", ref, "HEAD").decode().strip()
        base_time = dt.datetime.fromisoformat(
            _git(top, "show", "-s", "--format=%cI", base).decode().strip())
        listing = _git(top, "ls-tree", "-r", "-z", base, "--", str(root)).decode(
            "utf-8", "surrogateescape")
    except (OSError, subprocess.CalledProcessError):
        return {}, []
    relative = root.relative_to(top.resolve()).as_posix()
    prefix = "" if relative == "." else relative + "/"
    if present is None:  # the folder names of the items in place now
        present = placed_item_names(root)
    touched = {Path(path).resolve().parent.name for path in item_paths}
    # Only the items this change can touch are looked at: the changed ones and
    # the deleted ones (parsing the base's 120,000 files of a 40,000-item site
    # cost 0.3 s, reading every item's base version ~1 s at 20,000 items).
    folders: dict[str, dict[str, str]] = {}
    for entry in filter(None, listing.split("\x00")):
        meta, _, path = entry.partition("\t")
        parts = path.rsplit("/", 2)
        if len(parts) == 3 and parts[1] in present and parts[1] not in touched:
            continue
        where = _bundle_part(path, prefix)
        if where:
            folders.setdefault(where[0], {})[where[2]] = meta.split()[2]
    base_items = {folder.rsplit("/", 1)[-1]: (folder, files) for folder, files in sorted(
        folders.items()) if ITEM_FILE_NAME in files}
    wanted = [files[ITEM_FILE_NAME] for slug, (_, files) in base_items.items()
              if slug in touched or slug not in present]
    blobs = _read_blobs(top, wanted) if wanted else {}

    def published_on_base(files) -> VersionInfo | None:
        info = parse_version(blobs.get(files[ITEM_FILE_NAME], b""))
        if info is None or info.status not in SEEN_STATUSES:
            return None
        return info if (info.date or base_time).astimezone(LOCAL_TZ) <= now else None

    notices: dict[Path, list[P.Problem]] = {}
    for path in item_paths:
        path = Path(path).resolve()
        found = base_items.get(path.parent.name)
        if found is None:
            continue
        before = published_on_base(found[1])
        if before is None:
            continue
        info, photos = _working_state(path.parent)
        if info is None:
            continue
        if info.status in WITHDRAWN_STATUSES:
            notices.setdefault(path, []).append(P.warning(
                "article.withdrawn", WITHDRAWN_MESSAGE.format(how="`Status: draft`"),
                WITHDRAWN_HINT))
            continue
        old_photos = tuple(sorted((n, b) for n, b in found[1].items() if n != ITEM_FILE_NAME))
        changed = []
        if info.text != before.text:
            changed.append("tiêu đề, tóm tắt hoặc nội dung")
        if photos != old_photos:
            changed.append("ảnh")
        if changed and info.modified == before.modified:
            notices.setdefault(path, []).append(P.warning(
                "article.correction", CORRECTION_MESSAGE.format(what=" và ".join(changed)),
                CORRECTION_HINT, field="modified"))
    deleted = []
    for slug, (folder, files) in base_items.items():
        if slug not in present and published_on_base(files) is not None:
            display = (Path(root.name) / folder / ITEM_FILE_NAME).as_posix()
            deleted.append((display, P.warning(
                "article.withdrawn", WITHDRAWN_MESSAGE.format(how="thư mục bị xóa"),
                WITHDRAWN_HINT)))
    return notices, deleted


def _read_blobs(top: Path, ids) -> dict[str, bytes]:
    return ContentLog(top=top, head="").read_blobs(ids)
