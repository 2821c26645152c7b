"""When did each item reach the main branch? (for items without ``Date``)

A contributor may leave ``Date`` out; the publication time is then the time
the item's ``index.md`` first appeared on the branch being built, following
first parents only, so a merged pull request counts from its merge commit.
One ``git log`` serves the whole content tree (:func:`content_log`): the same
pass gives the versions of every item for the feeds' corrections and takedowns
(:mod:`mttq.publication_history`). Submission times (:func:`added_times` with
``first_parent=False``, the contributor's own commit) are a second, separate pass.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


def added_times(content_root: str | Path, first_parent: bool) -> dict[str, dt.datetime]:
    """Absolute path of each file under ``content_root`` -> when a commit first added it.

    ``first_parent``: follow the branch's own history only, so a file merged
    from a pull request counts from the merge commit (the publication time);
    otherwise the contributor's own commit counts (the submission time).
    Empty outside git.
    """
    root = Path(content_root).resolve()
    follow = ["--first-parent"] if first_parent else []
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", top, "-c", "core.quotepath=off", "log", *follow, "--diff-filter=A",
             "--name-only", "--reverse", "--format=%x00%cI", "--", str(root)],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    added: dict[str, dt.datetime] = {}
    when = None
    for line in log.splitlines():  # oldest first: keep the first time a path is seen
        if line.startswith("\x00"):
            when = dt.datetime.fromisoformat(line[1:])
        elif line and when is not None:
            added.setdefault(str(Path(top, line)), when)
    return added


def first_added_times(content_root: str) -> dict[str, dt.datetime]:
    """Publication times of files without ``Date`` (first-parent history).

    Read from :func:`content_log` (one ``git log`` for the whole tree, cached
    while HEAD stays). Items that reached the branch in the same commit (a
    burst: 100 items merged at once) get distinct times in a stable order: the
    item files added by one commit, sorted by path, are dated the commit's time
    minus 0, 1, 2, … seconds, so the first in path order is the newest and no
    time is later than the merge.
    """
    log = content_log(content_root)
    return log.added_times if log is not None else {}


def added_time(path: Path) -> dt.datetime | None:
    path = Path(path).resolve()
    for parent in path.parents:
        if parent.name in ("tin", "bai"):
            return first_added_times(str(parent.parent)).get(str(path))
    return None


# --- The whole first-parent history of the content tree, in one pass -----------------
# (publication history for the feeds: corrections, takedowns; see
# mttq/publication_history.py)

ITEM_FILE_NAME = "index.md"
NO_BLOB = "0" * 40
# Pelican's reader cache keeps the date it read for an item without ``Date``; part of
# each bundle's stamp (plugins/mttq_site/reader.py), so that changing how such items
# are dated (2: items merged together are spread a second apart) re-reads them once.
DATE_RULE = 2


@dataclass(frozen=True)
class FileChange:
    """One file changed by one first-parent commit (against its first parent)."""

    commit: int  # index into ContentLog.commits
    path: str  # relative to the repository's top folder, posix
    status: str  # A (added), M (modified), D (deleted), T (type changed)
    blob: str  # the file's blob id after the commit (NO_BLOB when deleted)


@dataclass
class ContentLog:
    """Every first-parent commit that touched the content tree, oldest first."""

    top: Path  # the repository's top folder
    head: str
    commits: list[tuple[str, dt.datetime]] = field(default_factory=list)  # (id, commit time)
    changes: list[FileChange] = field(default_factory=list)  # in commit order
    added_times: dict[str, dt.datetime] = field(default_factory=dict)  # absolute path -> time

    def read_blobs(self, blob_ids) -> dict[str, bytes]:
        """The contents of ``blob_ids``, all through one ``git cat-file --batch``."""
        wanted = sorted({b for b in blob_ids if b and b != NO_BLOB})
        if not wanted:
            return {}
        try:
            out = subprocess.run(["git", "-C", str(self.top), "cat-file", "--batch"],
                                 input="".join(f"{b}\n" for b in wanted).encode(),
                                 capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return {}
        blobs: dict[str, bytes] = {}
        at = 0
        while at < len(out):
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) < 3:  # "<id> missing"
                continue
            size = int(header[2])
            blobs[header[0].decode()] = out[at:at + size]
            at += size + 1
        return blobs


def _git_dirs(folder: Path) -> tuple[Path, Path, Path] | None:
    """(top folder, git dir, common git dir) of the repository holding ``folder``."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel", "--absolute-git-dir",
             "--git-common-dir"], capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return None
    top, git_dir, common = Path(out[0]), Path(out[1]), Path(out[2])
    if not common.is_absolute():
        common = (folder / common).resolve()
    return top, git_dir, common


def _head(git_dir: Path, common: Path) -> str | None:
    """The commit HEAD names, read from the files (no process: called for every item)."""
    try:
        head = (git_dir / "HEAD").read_text().strip()
    except OSError:
        return None
    if not head.startswith("ref: "):
        return head
    ref = head[5:]
    for base in (git_dir, common):
        try:
            return (base / ref).read_text().strip()
        except OSError:
            pass
    try:
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0]
    except OSError:
        pass
    return f"unborn:{ref}"


_DIRS: dict[str, tuple[Path, Path, Path]] = {}
_LOGS: dict[str, ContentLog] = {}


def content_log(content_root: str | Path) -> ContentLog | None:
    """The first-parent history of ``content_root`` (None outside git).

    One ``git log --first-parent -m --raw`` for the whole tree: merges count
    as their diff against the first parent, so a merged pull request is one
    change at its merge time, as the publication date already is. Cached
    while HEAD names the same commit (a new commit or checkout, e.g. in
    ``invoke serve`` or a test, reads it again).
    """
    root = Path(content_root).resolve()
    key = str(root)
    dirs = _DIRS.get(key) or _git_dirs(root)
    if dirs is None:  # not remembered: the folder may become a repository later
        return None
    _DIRS[key] = dirs
    top, git_dir, common = dirs
    head = _head(git_dir, common)
    cached = _LOGS.get(key)
    if cached is not None and cached.head == head:
        return cached
    log = ContentLog(top=top, head=head or "")
    try:
        out = subprocess.run(
            ["git", "-C", str(top), "-c", "core.quotepath=off", "log", "--first-parent", "-m",
             "--raw", "--no-renames", "--no-abbrev", "-z", "--reverse", "--format=%x01%H %cI",
             "--", str(root)],
            capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    except (OSError, subprocess.CalledProcessError):
        out = ""  # no commit yet: an empty history
    for chunk in out.split("\x01")[1:]:
        header, _, rest = chunk.partition("\0")
        commit_id, _, when = header.partition(" ")
        index = len(log.commits)
        log.commits.append((commit_id, dt.datetime.fromisoformat(when)))
        tokens = rest.lstrip("\n").split("\0")
        for meta, path in zip(tokens[0::2], tokens[1::2]):
            fields = meta.split()
            if len(fields) < 5:
                continue
            log.changes.append(FileChange(index, path, fields[4][0], fields[3]))
    _date_added_items(log)
    _LOGS[key] = log
    return log


def _date_added_items(log: ContentLog) -> None:
    """``added_times``: when each file first appeared; item files of one commit spread."""
    by_commit: dict[int, list[str]] = {}
    for change in log.changes:
        if change.status == "A":
            by_commit.setdefault(change.commit, []).append(change.path)
    for index, paths in by_commit.items():
        when = log.commits[index][1]
        items = sorted(p for p in paths if p.rsplit("/", 1)[-1] == ITEM_FILE_NAME)
        offsets = {p: n for n, p in enumerate(items)}
        for path in paths:
            absolute = str(Path(log.top, path))
            if absolute not in log.added_times:
                log.added_times[absolute] = when - dt.timedelta(seconds=offsets.get(path, 0))
