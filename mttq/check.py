"""``invoke check``: validate items and photos, report every problem of every file.

Paths may be item folders, ``index.md`` files, photos or whole folders (every
item below them). Each item is read and validated on its own, so one bad file
never hides the problems of the others; nothing here raises on bad input —
the worst a file can get is a problem code.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import problems as P
from .deadline import deadline_problems
from .item import ITEM_FILE, PHOTO_SUFFIXES, Registries, duplicate_slug_problems, find_items, read_item
from .filecache import StatMemo
from .paths import DEFAULT_CACHE_DIR
from .photo_quality import (DUPLICATE_MAX_DISTANCE, PhotoLimits, assess_photos, duplicate_problem,
                            hamming, perceptual_hash)
from .problems import CheckReport, FileReport


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


def first_commit_time(path: Path) -> dt.datetime | None:
    """Time of the first commit that added ``path`` (None outside git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(path.parent), "log", "--diff-filter=A", "--format=%cI", "--",
             path.name],
            capture_output=True, text=True, check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return dt.datetime.fromisoformat(out[-1]) if out else None


def collect_targets(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Split command-line paths into item files and loose photos."""
    items: list[Path] = []
    photos: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"Không có tệp hoặc thư mục '{path}'.")
        if path.is_dir():
            if (path / ITEM_FILE).is_file():
                items.append(path / ITEM_FILE)
            else:
                items.extend(sorted(path.rglob(ITEM_FILE)))
        elif path.name == ITEM_FILE or path.suffix.lower() == ".md":
            items.append(path)
        elif path.suffix.lower() in PHOTO_SUFFIXES or path.is_file():
            photos.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in items))
    return unique, list(dict.fromkeys(p.resolve() for p in photos))


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve().parent).as_posix()
    except ValueError:
        return str(path)


def check_items(item_paths: list[Path], photo_paths: list[Path], options: CheckOptions) -> CheckReport:
    report = CheckReport()
    root = options.content_root
    known = [p.resolve() for p in find_items(root)] if root.is_dir() else []
    clashes = duplicate_slug_problems(list(dict.fromkeys(known + item_paths)))
    photos_to_assess: list[Path] = list(photo_paths)
    for index_path in item_paths:
        try:
            item = read_item(index_path, options.registries, root if root.is_dir() else None)
        except Exception as exc:  # a bug of ours must still not hide the other files
            report.files.append(FileReport(_display(index_path, root), "article", [P.error(
                "article.unreadable", f"Không kiểm tra được tệp ({type(exc).__name__}: {exc}).",
                "Báo cho Ban Biên tập kèm tệp này.")]))
            continue
        file_report = FileReport(_display(index_path, root), "article", list(item.problems))
        if index_path in clashes:
            file_report.problems.append(clashes[index_path])
        if options.check_deadline and item.meta.event_date is not None:
            # An editor's record of when the item arrived (by e-mail, say) wins over
            # the pull request's time; both win over git history.
            submitted = (item.meta.submitted or options.submitted_at
                         or first_commit_time(index_path))
            file_report.problems.extend(deadline_problems(
                item.meta.event_date, submitted,
                waiver=item.meta.deadline_waiver, submitted_guessed=submitted is None,
            ))
            file_report.metrics["event_date"] = item.meta.event_date.isoformat()
            if submitted is not None:
                file_report.metrics["submitted"] = submitted.isoformat()
        file_report.metrics["photos"] = len(item.photos)
        report.files.append(file_report)
        photos_to_assess.extend(ref.path for ref in item.photos if ref.path is not None)
    if options.check_photos and photos_to_assess:
        unique = list(dict.fromkeys(photos_to_assess))
        duplicates = duplicate_photo_problems(unique, root, options.cache_dir)
        for path, photo_report in zip(unique, assess_photos(unique, options.photo_limits,
                                                            options.workers)):
            if path in duplicates:
                photo_report.problems.append(duplicates[path])
            photo_report.path = _display(Path(photo_report.path), root)
            report.files.append(photo_report)
    return report


def _hash_or_none(path: str) -> int | None:
    try:
        return perceptual_hash(path)
    except Exception:  # an unreadable photo has its own problem code
        return None


def duplicate_photo_problems(photos: list[Path], content_root: Path,
                             cache_dir: Path | None) -> dict[Path, P.Problem]:
    """``photo.duplicate`` for each photo already used by another item.

    Perceptual hashes of every photo in the content tree are remembered by
    file stat in ``cache_dir``, so only new photos are decoded (at 1/8 scale).
    """
    if not Path(content_root).is_dir():
        return {}
    memo = StatMemo(Path(cache_dir or DEFAULT_CACHE_DIR) / "photo-phash.json")
    published = [p for p in Path(content_root).glob("*/*/*/*/*")
                 if p.suffix.lower() in PHOTO_SUFFIXES]
    hashes = {str(p.resolve()): memo.get(p.resolve(), _hash_or_none) for p in published}
    found = {}
    for photo in photos:
        mine = memo.get(photo, _hash_or_none)
        if mine is None:
            continue
        for other, theirs in hashes.items():
            if (theirs is not None and Path(other).parent != photo.parent
                    and hamming(mine, theirs) <= DUPLICATE_MAX_DISTANCE):
                found[photo] = duplicate_problem(_display(Path(other).parent, content_root))
                break
    memo.save()
    return found


# --- output formats ----------------------------------------------------------------

SEVERITY_VI = {P.ERROR: "LỖI", P.WARNING: "CẢNH BÁO"}


def format_text(report: CheckReport) -> str:
    lines = []
    errors = sum(1 for f in report.files for p in f.problems if p.severity == P.ERROR)
    warnings = sum(1 for f in report.files for p in f.problems if p.severity == P.WARNING)
    for file in report.files:
        if not file.problems:
            continue
        lines.append(f"{file.path}")
        for problem in file.problems:
            where = f" (dòng {problem.line})" if problem.line else ""
            lines.append(f"  {SEVERITY_VI[problem.severity]} [{problem.code}]{where}: {problem.message}")
            if problem.hint:
                lines.append(f"    → Cách sửa: {problem.hint}")
        lines.append("")
    checked = len(report.files)
    if report.ok:
        lines.append(f"Đạt: đã kiểm tra {checked} tệp, không có lỗi"
                     + (f" ({warnings} cảnh báo)." if warnings else "."))
    else:
        lines.append(f"Chưa đạt: {errors} lỗi, {warnings} cảnh báo trong {checked} tệp đã kiểm tra. "
                     "Sửa các lỗi trên rồi gửi lại.")
    return "\n".join(lines)


# --- pull requests: only what a change touches ---------------------------------------

def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), "-c", "core.quotepath=off", *args],
                          capture_output=True, text=True, check=True).stdout


def changed_targets(content_root: Path, ref: str) -> tuple[list[Path], bool]:
    """Items a change since ``ref`` touches, and whether registries changed.

    The change is everything since the merge base of ``ref`` and HEAD, committed
    or not, plus untracked files. An item counts when any file in its folder was
    added, modified or deleted, so a deleted photo that the item still references
    is caught. When a registry (``data/``) changed, every item may be affected.
    """
    root = Path(content_root).resolve()
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        base = _git(top, "merge-base", ref, "HEAD").strip()
        changed = _git(top, "diff", "--name-only", base, "--").splitlines()
        changed += _git(top, "ls-files", "--others", "--exclude-standard").splitlines()
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise UsageError(f"Không so sánh được với '{ref}' bằng git: {detail.strip()}") from exc
    items: list[Path] = []
    registries_changed = False
    for name in changed:
        path = (top / name).resolve()
        if path.parts[: len(top.parts) + 1] == (*top.parts, "data"):
            registries_changed = True
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if len(relative.parts) >= 5 and relative.parts[0] in ("tin", "bai"):
            index = root.joinpath(*relative.parts[:4], ITEM_FILE)
            if index.is_file():
                items.append(index)
    return list(dict.fromkeys(items)), registries_changed


def check_change(content_root: Path, ref: str, options: CheckOptions) -> CheckReport:
    """``invoke check --changed-from REF``: the changed items (and their photos);
    every item's metadata when the registries changed."""
    items, registries_changed = changed_targets(content_root, ref)
    report = check_items(items, [], options)
    _add_publication_notices(report, content_root, ref, items, options)  # feeds: corrections, takedowns
    if registries_changed:
        others = [p.resolve() for p in find_items(content_root) if p.resolve() not in items]
        text_only = CheckOptions(**{**options.__dict__, "check_photos": False})
        report.files.extend(check_items(others, [], text_only).files)
    return report


def _add_publication_notices(report: CheckReport, content_root: Path, ref: str,
                             items: list[Path], options: CheckOptions) -> None:
    """Warnings ``article.correction`` / ``article.withdrawn`` for published items
    that the change corrects or takes down (see :mod:`mttq.publication_history`)."""
    from .publication_history import change_notices

    notices, deleted = change_notices(content_root, ref, items, options.submitted_at)
    for path, problems in notices.items():
        shown = _display(path, content_root)
        for file_report in report.files:
            if file_report.path == shown:
                file_report.problems.extend(problems)
    for shown, problem in deleted:
        report.files.append(FileReport(shown, "article", [problem]))


def format_github(report: CheckReport) -> str:
    """GitHub/Gitea/Forgejo workflow commands, so problems show on the diff."""

    def escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape_data(text).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for file in report.files:
        for problem in file.problems:
            command = "error" if problem.severity == P.ERROR else "warning"
            properties = f"file={escape_property(file.path)}"
            if problem.line:
                properties += f",line={problem.line}"
            properties += f",title={escape_property(problem.code)}"
            text = problem.message + (f" Cách sửa: {problem.hint}" if problem.hint else "")
            lines.append(f"::{command} {properties}::{escape_data(text)}")
    return "\n".join(lines)


def format_markdown(report: CheckReport) -> str:
    """A summary fit for a pull-request comment or the job summary."""
    errors = sum(1 for f in report.files for p in f.problems if p.severity == P.ERROR)
    warnings = sum(1 for f in report.files for p in f.problems if p.severity == P.WARNING)
    if report.ok:
        head = f"## ✅ Kiểm tra tin, bài: đạt ({len(report.files)} tệp"
        head += f", {warnings} cảnh báo)" if warnings else ")"
    else:
        head = f"## ❌ Kiểm tra tin, bài: {errors} lỗi, {warnings} cảnh báo"
    lines = [head, ""]
    for file in report.files:
        if not file.problems:
            continue
        lines.append(f"### `{file.path}`")
        for problem in file.problems:
            label = "**Lỗi**" if problem.severity == P.ERROR else "Cảnh báo"
            where = f" (dòng {problem.line})" if problem.line else ""
            lines.append(f"- {label} `{problem.code}`{where}: {problem.message}")
            if problem.hint:
                lines.append(f"  - Cách sửa: {problem.hint}")
        lines.append("")
    if not report.ok:
        lines.append("Sửa các lỗi trên, commit và push lại; kiểm tra sẽ chạy lại tự động.")
    return "\n".join(lines).rstrip() + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "markdown": format_markdown}
