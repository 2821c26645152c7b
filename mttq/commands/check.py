"""``invoke check``: validate items and photos, report every problem of every file.

Paths may be item folders, ``index.md`` files, photos or whole folders (every
item below them). Each item is read and validated on its own, so one bad file
never hides the problems of the others; nothing here raises on bad input —
the worst a file can get is a problem code.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mttq.core import problems as P
from mttq.calendar.deadline import deadline_problems
from mttq.calendar.workdays import DEFAULT_DATA_PATH as DAYS_OFF_FILE
from mttq.content.history import History
from mttq.settings import with_defaults
from mttq.content.page import PAGES_FOLDER, duplicate_page_slugs, find_pages, read_page
from mttq.core.times import LOCAL_TZ
from mttq.content.item import ITEM_FILE, MARKDOWN_SUFFIXES, PHOTO_SUFFIXES, find_markdown, Registries, duplicate_slug_problems, find_items, item_markdown_files, placed_item_names, read_item
from mttq.core.filecache import StatMemo
from mttq.photos.hash_index import INDEX_NAME, index_beside, is_published_photo, read_index
from mttq.core.paths import DEFAULT_CACHE_DIR
from mttq.photos.quality import (DUPLICATE_MAX_DISTANCE, PhotoLimits, assess_photos, duplicate_problem,
                            hamming, perceptual_hash)
from mttq.core import git
from mttq.core.paths import ITEM_SECTIONS
from mttq.core.problems import CheckReport, FileReport
from mttq.registry.ledger import LEDGER_NAME


class UsageError(ValueError):
    """The command line names something that is not there (exit code 2)."""


@dataclass
class CheckOptions:
    content_root: Path
    registries: Registries
    photo_limits: PhotoLimits = PhotoLimits()
    check_photos: bool = True
    # The deadline is judged when an item is submitted; a publish of merged
    # items (which editors accepted, late or not) does not judge it again.
    check_deadline: bool = True
    submitted_at: dt.datetime | None = None  # the pull request's opening time
    workers: int | None = None
    cache_dir: Path | None = None  # remembers photo hashes between checks
    reserved: frozenset[str] = frozenset()  # addresses a page may not take (see content/page.py)


def collect_targets(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Split command-line paths into Markdown files (items and pages) and loose photos.

    Paths are made absolute without following symbolic links: a linked
    ``index.md`` or item folder is judged as the link it is."""
    items: list[Path] = []
    photos: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"Không có tệp hoặc thư mục '{path}'.")
        if path.is_dir() and not path.is_symlink():
            items.extend(find_markdown(path))
        elif path.is_dir():
            items.append(path / ITEM_FILE)
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            items.append(path)
        elif path.suffix.lower() in PHOTO_SUFFIXES or path.is_file():
            photos.append(path)
    unique = list(dict.fromkeys(Path(os.path.abspath(p)) for p in items))
    return unique, list(dict.fromkeys(Path(os.path.abspath(p)) for p in photos))


def _display(path: Path, base: Path) -> str:
    """``content/tin/…``: the path from the content folder's parent (the
    repository), whether it was reached through a link (``pr/``) or not."""
    path = Path(os.path.abspath(path))
    for parent in (Path(os.path.abspath(base)).parent, Path(base).resolve().parent):
        try:
            return path.relative_to(parent).as_posix()
        except ValueError:
            continue
    return str(path)


def site_markdown(root: Path) -> list[str]:
    """Every Markdown file of the site's item sections, as absolute strings
    (listed once per check: the slug clashes and the deleted items use it)."""
    return [os.path.abspath(p) for p in item_markdown_files(root)] if root.is_dir() else []


def _slug_clashes(item_paths: list[Path], root: Path, known: list[str]) -> dict[Path, P.Problem]:
    """``article.duplicate_slug`` of the checked items against every item of the
    site (``known``: :func:`site_markdown`): the site's items are compared as
    strings, and only the groups that hold a checked item are judged
    (:func:`duplicate_slug_problems`)."""
    mine = {p.parent.name for p in item_paths if p.name == ITEM_FILE}
    shared = [Path(p) for p in known if os.path.basename(p) == ITEM_FILE
              and os.path.basename(os.path.dirname(p)) in mine]
    return duplicate_slug_problems([p for p in dict.fromkeys(shared + item_paths)
                                    if p.name == ITEM_FILE])


def check_items(item_paths: list[Path], photo_paths: list[Path], options: CheckOptions,
                site: list[str] | None = None, tracked=None) -> CheckReport:
    """``site``: :func:`site_markdown` of the content root, when the caller has it;
    ``tracked``: git's listing of it, started earlier (:func:`git.start_tracked_blobs`)."""
    report = CheckReport()
    root = options.content_root
    clashes = _slug_clashes(item_paths, root, site_markdown(root) if site is None else site)
    pages_folder = Path(os.path.abspath(root / PAGES_FOLDER))
    page_paths = [p for p in item_paths if p.parent == pages_folder]
    item_paths = [p for p in item_paths if p not in page_paths]
    report.files.extend(check_pages(page_paths, root, options))
    history = History(root, pull_request_opened=options.submitted_at,
                      now=dt.datetime.now(LOCAL_TZ))
    guessed: list[str] = []
    photos_to_assess: list[Path] = list(photo_paths)
    archived: set[Path] = set()  # photos of items imported from an old site
    for index_path in item_paths:
        display = _display(index_path, root)
        try:
            item = history.judge(read_item(index_path, options.registries,
                                           root if root.is_dir() else None))
        except Exception as exc:  # a bug of ours must still not hide the other files
            report.files.append(FileReport(display, "article", [P.error(
                "article.unreadable", f"Không kiểm tra được tệp ({type(exc).__name__}: {exc}).",
                "Báo cho Ban Biên tập kèm tệp này.")]))
            continue
        file_report = FileReport(display, "article", list(item.problems))
        if index_path in clashes:
            file_report.problems.append(clashes[index_path])
        if options.check_deadline and item.meta.event_date is not None:
            submission = item.submission
            file_report.problems.extend(deadline_problems(
                item.meta.event_date, submission.time if submission else None,
                waiver=item.meta.deadline_waiver,
            ))
            file_report.metrics["event_date"] = item.meta.event_date.isoformat()
            if submission is not None:
                file_report.metrics["submitted"] = submission.time.isoformat()
                file_report.metrics["submitted_source"] = submission.source
                if submission.guessed:
                    guessed.append(display)
        file_report.metrics["photos"] = len(item.photos)
        report.files.append(file_report)
        own = [ref.path for ref in item.photos if ref.path is not None]
        photos_to_assess.extend(own)
        if item.meta.imported:
            archived.update(own)
    if guessed:
        report.notes.append(guessed_submission_note(len(guessed)))
    if options.check_photos and photos_to_assess:
        unique = list(dict.fromkeys(photos_to_assess))
        duplicates = duplicate_photo_problems(unique, root, options.cache_dir, tracked)
        for path, photo_report in zip(unique, assess_photos(unique, options.photo_limits,
                                                            options.workers)):
            if path in duplicates:
                photo_report.problems.append(duplicates[path])
            if path in archived:
                photo_report.problems = archive_photo_problems(photo_report.problems)
            photo_report.path = _display(Path(photo_report.path), root)
            report.files.append(photo_report)
    return report


# What stays an error for an imported item's photo: what the build itself cannot
# publish (an unreadable file, a decompression bomb); its quality is the old site's.
ARCHIVE_PHOTO_ERRORS = frozenset({"photo.unreadable", "photo.too_large"})


def archive_photo_problems(problems: list[P.Problem]) -> list[P.Problem]:
    """An old site's photo (``Imported:``) is not judged on its quality: it was
    published years ago and cannot be retaken. Its quality problems become
    warnings that say so; the build publishes it as it publishes any photo."""
    return [p if p.code in ARCHIVE_PHOTO_ERRORS or p.severity != P.ERROR else
            dataclasses.replace(p, severity=P.WARNING, hint=(
                "Ảnh của tin, bài nhập từ trang cũ (`Imported`): chỉ để tham khảo, không phải "
                "chụp lại. " + (p.hint or "")).strip())
            for p in problems]


def check_pages(page_paths: list[Path], root: Path, options: CheckOptions) -> list[FileReport]:
    """Pages, judged by the same rules as the build (:mod:`mttq.content.page`)."""
    if not page_paths:
        return []
    every = {Path(os.path.abspath(p)): None for p in find_pages(root)} if root.is_dir() else {}
    read = {path: read_page(path, options.reserved) for path in dict.fromkeys([*page_paths, *every])}
    clashes = duplicate_page_slugs(list(read.values()))
    reports = []
    for path in page_paths:
        page = read[path]
        problems = list(page.problems) + ([clashes[path]] if path in clashes else [])
        reports.append(FileReport(_display(path, root), "page", problems))
    return reports


def check_data_files(settings: dict, content_root: Path) -> list[FileReport]:
    """The data files the build reads (``data/*.yaml``, the ledger), each judged by
    the loader the build uses: a malformed file gets ``data.invalid`` naming the
    file, never a traceback (and the build would refuse it the same way)."""
    from mttq.calendar.workdays import load_days_off
    from mttq.registry.ledger import ledger_beside, load_ledger
    from mttq.registry.quota_policy import load_quota_policy
    from mttq.registry.registries import load_topics, load_units
    from mttq.registry.site_identity import load_site_identities
    from mttq.reports.anniversaries import load_anniversaries
    from mttq.reports.columns import load_column_plans

    settings = with_defaults(settings)
    reports = []

    def judge(name: str, load) -> object | None:
        try:
            return load()
        except Exception as exc:  # every loader raises a ValueError subclass; anything else too
            reports.append(FileReport(_display(Path(name), content_root), "data", [P.error(
                "data.invalid", f"Tệp dữ liệu không dùng được: {exc}",
                "Sửa tệp theo mẫu ở đầu tệp (hoặc lấy lại bản cũ bằng git); máy kiểm tra và bản "
                "dựng đều cần tệp này.")]))
            return None

    units = judge(settings["MTTQ_UNITS_FILE"], lambda: load_units(Path(settings["MTTQ_UNITS_FILE"])))
    judge(settings["MTTQ_TOPICS_FILE"], lambda: load_topics(Path(settings["MTTQ_TOPICS_FILE"])))
    judge(str(DAYS_OFF_FILE), lambda: load_days_off())
    judge(settings["MTTQ_QUOTA_FILE"], lambda: load_quota_policy(Path(settings["MTTQ_QUOTA_FILE"])))
    judge(settings["MTTQ_SITE_FILE"], lambda: load_site_identities(Path(settings["MTTQ_SITE_FILE"])))
    judge(settings["MTTQ_ANNIVERSARIES_FILE"],
          lambda: load_anniversaries(Path(settings["MTTQ_ANNIVERSARIES_FILE"])))
    if units is not None:
        judge(settings["MTTQ_COLUMNS_DIR"],
              lambda: load_column_plans(Path(settings["MTTQ_COLUMNS_DIR"]), units))
    ledger = Path(settings["MTTQ_LEDGER_FILE"] or ledger_beside(content_root))
    judge(str(ledger), lambda: load_ledger(ledger))
    return reports


def guessed_submission_note(count: int) -> P.Problem:
    """Said once per run, not once per item (outside a pull request every item has it)."""
    return P.warning(
        "deadline.guessed_submission_time",
        f"{count} tin, bài chưa có thời điểm gửi được ghi nhận (không có `Submitted`, chưa có "
        "trong sổ `data/submissions.csv`, không chạy trên pull request): hạn gửi được kiểm tra "
        "theo commit đầu tiên trong git, hoặc theo lúc kiểm tra.",
        "Trên pull request, máy kiểm tra dùng lúc mở pull request. Kiểm tra một tin, bài cụ "
        "thể theo lúc gửi thật: `mttq check <thư mục> --submitted-at \"2025-05-14 09:00\"`.",
    )


def _hash_or_none(path: str) -> int | None:
    try:
        return perceptual_hash(path)
    except Exception:  # an unreadable photo has its own problem code
        return None


def published_photo_hashes(content_root: Path, memo: StatMemo, tracked=None) -> dict[str, int | None]:
    """Every published photo (by absolute path) -> its perceptual hash, without
    decoding the site.

    Committed photos take their hash from the stored index by blob id
    (:mod:`mttq.photos.hash_index`); photos it does not know, changed or
    untracked ones, and every photo outside git are hashed (remembered by file
    stat in ``cache/``). ``tracked``: git's listing, if started earlier."""
    root = Path(content_root).resolve()
    listed = tracked() if tracked is not None else git.tracked_blobs(root)
    if listed is None:
        blobs: dict[str, str] = {}
        paths = [str(p.resolve()) for p in root.glob("*/*/*/*/*")]
    else:
        blobs, others = listed
        paths = [*blobs, *others]
    index = read_index(index_beside(root)) if blobs else {}
    hashes = {}
    for path in paths:
        if not is_published_photo(path, root, PHOTO_SUFFIXES):
            continue
        known = index.get(blobs.get(path, ""))
        hashes[path] = known if known is not None else memo.get(path, _hash_or_none)
    return hashes


def duplicate_photo_problems(photos: list[Path], content_root: Path,
                             cache_dir: Path | None, tracked=None) -> dict[Path, P.Problem]:
    """``photo.duplicate`` for each photo already used by another item."""
    if not Path(content_root).is_dir():
        return {}
    memo = StatMemo(Path(cache_dir or DEFAULT_CACHE_DIR) / "photo-phash.json")
    hashes = published_photo_hashes(content_root, memo, tracked)
    found = {}
    for photo in photos:
        mine = memo.get(photo, _hash_or_none)
        if mine is None:
            continue
        own_folder = os.path.dirname(os.path.realpath(photo))
        for other, theirs in hashes.items():
            if (theirs is not None and hamming(mine, theirs) <= DUPLICATE_MAX_DISTANCE
                    and os.path.dirname(other) != own_folder):
                found[photo] = duplicate_problem(_display(Path(other).parent, content_root))
                break
    memo.save()
    return found


# --- pull requests: only what a change touches ---------------------------------------

def changed_targets(content_root: Path, ref: str, change=None) -> tuple[list[Path], bool]:
    """Items a change since ``ref`` touches, and whether registries changed.

    The change is everything since the merge base of ``ref`` and HEAD, committed
    or not, plus untracked files (:func:`mttq.core.git.changed_since`). An item
    counts when any file in its folder was added, modified, deleted or moved in
    or out (a photo moved out of another item with ``git mv`` changes both), so
    a deleted photo that the item still references is caught. A changed path
    deeper in an item folder (a nested ``index.md``) counts for the item. When a
    registry (``data/``) changed, every item may be affected (not the ledger
    or the photo-hash index, which the merge job rewrites).
    """
    # The content folder itself by its real path (git names real paths: in the
    # pull-request job it is reached through the pr/ link); the paths below it
    # stay as git names them, so a linked item folder is judged as a link.
    root = Path(content_root).resolve()
    top, changed, _ = change if change is not None else change_since(root, ref)
    items: list[Path] = []
    registries_changed = False
    data = (*top.parts, "data")
    for path in changed:
        if path.parts[: len(data)] == data and path.name not in (LEDGER_NAME, INDEX_NAME):
            registries_changed = True
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if relative.parts[0] in ITEM_SECTIONS and relative.suffix.lower() in MARKDOWN_SUFFIXES \
                and (path.is_file() or path.is_symlink()):
            items.append(path)  # any Markdown file the build would read, wherever it is
        if len(relative.parts) >= 5 and relative.parts[0] in ITEM_SECTIONS:
            index = root.joinpath(*relative.parts[:4], ITEM_FILE)
            if index.is_file() or index.is_symlink():
                items.append(index)
        elif relative.parts[0] == PAGES_FOLDER and (path.is_file() or path.is_symlink()) \
                and relative.suffix.lower() in MARKDOWN_SUFFIXES:
            items.append(path)
    return list(dict.fromkeys(items)), registries_changed


def change_since(content_root: Path, ref: str):
    """:func:`git.changed_since` of the content tree, said as a usage error when
    git cannot compare (one reading per check: the items and the files a
    maintainer must review come from it)."""
    try:
        return git.changed_since(Path(content_root).resolve(), ref)
    except git.GitError as exc:
        raise UsageError(f"Không so sánh được với '{ref}' bằng git: {exc}") from exc


def check_change(content_root: Path, ref: str, options: CheckOptions) -> CheckReport:
    """``invoke check --changed-from REF``: the changed items (and their photos);
    every item's metadata when the registries changed."""
    # git lists the site while the change is found and the item folders are walked.
    tracked = (git.start_tracked_blobs(options.content_root)
               if options.check_photos and Path(options.content_root).is_dir() else None)
    # The site's item folders are walked in a thread while git finds the change
    # (git works in its own processes): 0.5 s and 0.4 s at 40,000 items.
    with ThreadPoolExecutor(max_workers=1) as pool:
        listing = pool.submit(site_markdown, options.content_root)
        change = change_since(content_root, ref)
        site = listing.result()
    items, registries_changed = changed_targets(content_root, ref, change)
    report = check_items(items, [], options, site, tracked)
    present = placed_item_names(os.path.abspath(options.content_root), site)
    if Path(content_root).resolve() != Path(options.content_root).resolve():
        present = None  # another tree than the options': listed on its own
    _add_publication_notices(report, content_root, ref, items, options, present)  # feeds: corrections, takedowns
    if registries_changed:
        others = [p.resolve() for p in find_items(content_root) if p.resolve() not in items]
        text_only = CheckOptions(**{**options.__dict__, "check_photos": False})
        rest = check_items(others, [], text_only, site)
        report.files.extend(rest.files)
        report.notes.extend(n for n in rest.notes if n.code not in {m.code for m in report.notes})
    from mttq.commands.workflow import maintainer_review_reports  # files that are not items

    report.files.extend(maintainer_review_reports(content_root, ref, change))
    if tracked is not None:
        tracked()  # git's processes waited for and their files closed, if no photo needed them
    return report


def _add_publication_notices(report: CheckReport, content_root: Path, ref: str,
                             items: list[Path], options: CheckOptions,
                             present: set[str] | None = None) -> None:
    """Warnings ``article.correction`` / ``article.withdrawn`` for published items
    that the change corrects or takes down (see :mod:`mttq.content.publication_history`)."""
    from mttq.content.publication_history import change_notices

    notices, deleted = change_notices(content_root, ref, items, options.submitted_at, present)
    for path, problems in notices.items():
        shown = _display(path, content_root)
        for file_report in report.files:
            if file_report.path == shown:
                file_report.problems.extend(problems)
    for shown, problem in deleted:
        report.files.append(FileReport(shown, "article", [problem]))


