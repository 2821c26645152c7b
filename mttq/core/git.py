"""The one way this project reads git: when files arrived, what a change touched,
and every version of every item (for the feeds' corrections and takedowns).

Publication time of an item without ``Date``: when its ``index.md`` first
appeared on the branch being built, following first parents only, so a merged
pull request counts from its merge commit. Submission time guessed for an item
nobody recorded: the contributor's own first commit of the file. What a pull
request changed: every path since the merge base, committed or not.

Paths are read NUL-separated (``-z``): a folder name with a quote or a
non-ASCII letter arrives as it is, never C-quoted. One ``git log`` serves the
whole content tree, once per run (:mod:`mttq.core.runs`).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mttq.core.paths import ITEM_FILE
from mttq.core.runs import once_per_run


class GitError(RuntimeError):
    """git is missing, or the folder is not in a repository, or a ref is unknown."""


def git(cwd: str | os.PathLike, *args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(cwd), "-c", "core.quotepath=off", *args],
                              capture_output=True, text=True, check=True,
                              encoding="utf-8", errors="surrogateescape").stdout
    except FileNotFoundError as exc:
        raise GitError("không tìm thấy lệnh git") from exc
    except subprocess.CalledProcessError as exc:
        raise GitError((exc.stderr or str(exc)).strip()) from exc


class GitJobs:
    """Read-only git commands started now and read later, all at once: the
    pull-request check lists a 40,000-item site three ways (staged, modified,
    untracked), each a walk of 120,000 files that git does in its own process,
    while the check walks the item folders itself. Outputs go to temporary
    files, not pipes: a pipe would stop git at 64 KB until it is read."""

    def __init__(self, cwd: str | os.PathLike, *commands: tuple[str, ...]):
        self._running = []
        try:
            for args in commands:
                out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
                process = subprocess.Popen(["git", "-C", str(cwd), "-c", "core.quotepath=off", *args],
                                           stdin=subprocess.DEVNULL, stdout=out, stderr=err)
                self._running.append((process, out, err))
        except FileNotFoundError as exc:
            self._close()
            raise GitError("không tìm thấy lệnh git") from exc

    def outputs(self) -> list[str]:
        """Each command's output, in order; GitError if one failed."""
        results, failure = [], None
        try:
            for process, out, err in self._running:
                process.wait()
                out.seek(0)
                results.append(out.read().decode("utf-8", "surrogateescape"))
                if process.returncode != 0 and failure is None:
                    err.seek(0)
                    failure = (err.read().decode("utf-8", "replace")
                               or f"git exited with {process.returncode}").strip()
        finally:
            self._close()
        if failure is not None:
            raise GitError(failure)
        return results

    def _close(self) -> None:
        for _, out, err in self._running:
            out.close()
            err.close()


def top_level(path: str | os.PathLike) -> Path | None:
    try:
        return Path(git(path, "rev-parse", "--show-toplevel").strip())
    except GitError:
        return None


@dataclass(frozen=True)
class Arrival:
    """When a file first appeared in a history, and in which commit."""

    time: dt.datetime
    commit: str



@once_per_run
def arrivals(content_root: str, first_parent: bool) -> dict[str, Arrival]:
    """Absolute path of each file under ``content_root`` -> its first arrival.

    ``first_parent``: the branch's own history (merge commits); otherwise the
    contributor's own commit counts (submission times guessed from git).
    Publication times come from :func:`content_log`. Empty outside git.
    """
    root = Path(content_root).resolve()
    top = top_level(root) if root.is_dir() else None
    if top is None:
        return {}
    follow = ["--first-parent"] if first_parent else []
    try:
        log = git(top, "log", *follow, "--diff-filter=A", "--name-only", "-z", "--reverse",
                  "--format=%x01%H %cI", "--", str(root))
    except GitError:
        return {}
    found: dict[str, Arrival] = {}
    for block in log.split("\x01")[1:]:  # oldest first: keep the first time a path is seen
        head, _, names = block.partition("\n")
        commit, _, when = head.partition(" ")
        time = dt.datetime.fromisoformat(when.strip())
        paths = sorted(name.strip("\n") for name in names.split("\x00") if name.strip("\n"))
        for name in paths:
            found.setdefault(str(top / name), Arrival(time, commit))
    return found


def merge_time(path: str | os.PathLike, content_root: str | os.PathLike) -> dt.datetime | None:
    """When ``path`` reached the branch being built (first-parent history).

    Items that reached the branch in the same commit (a burst: 100 items
    merged at once) get distinct times in a stable order: the item files one
    commit added, sorted by path, are dated the commit's time minus 0, 1, 2, …
    seconds, so the first in path order is the newest and no time is later
    than the merge (:func:`content_log`)."""
    log = content_log(str(Path(content_root).resolve()))
    return log.added_times.get(str(Path(path).resolve())) if log is not None else None


def first_commit(path: str | os.PathLike, content_root: str | os.PathLike) -> Arrival | None:
    """The contributor's first commit of ``path`` (any parent)."""
    return arrivals(str(Path(content_root).resolve()), False).get(str(Path(path).resolve()))


ITEM_FILE_NAME = ITEM_FILE
NO_BLOB = "0" * 40


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


@once_per_run
def content_log(content_root: str | Path) -> ContentLog | None:
    """The first-parent history of ``content_root`` (None outside git).

    One ``git log --first-parent -m --raw`` for the whole tree: merges count
    as their diff against the first parent, so a merged pull request is one
    change at its merge time, as the publication date already is. Read once
    per run (:mod:`mttq.core.runs`): a new commit or checkout is seen by the
    next build, in ``invoke serve`` or a test as anywhere.
    """
    root = Path(content_root).resolve()
    top = top_level(root) if root.is_dir() else None
    if top is None:
        return None
    try:
        head = git(top, "rev-parse", "-q", "--verify", "HEAD").strip()
    except GitError:
        head = ""
    log = ContentLog(top=top, head=head)
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


def changed_since(path: str | os.PathLike, ref: str) -> tuple[Path, list[Path], list[tuple[Path, Path]]]:
    """What changed since the merge base of ``ref`` and HEAD, committed or not,
    plus untracked files: (top level, changed paths, renames as (old, new)).

    Renames are listed on both sides: a photo moved out of another item with
    ``git mv`` changes that item too.
    """
    top = top_level(path)
    if top is None:
        raise GitError(f"'{path}' không nằm trong một kho git")
    base = git(top, "merge-base", ref, "HEAD").strip()
    status = git(top, "diff", "--name-status", "-z", "-M", base, "--").split("\x00")
    changed: list[Path] = []
    renames: list[tuple[Path, Path]] = []
    index = 0
    while index < len(status) - 1:
        code = status[index]
        if not code:
            index += 1
            continue
        if code[0] in "RC":
            old, new = top / status[index + 1], top / status[index + 2]
            renames.append((old, new))
            changed += [old, new]
            index += 3
        else:
            changed.append(top / status[index + 1])
            index += 2
    changed += [top / name for name in
                git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\x00") if name]
    return top, list(dict.fromkeys(changed)), renames


def tracked_blobs(folder: str | os.PathLike) -> tuple[dict[str, str], list[str]] | None:
    """The files under ``folder`` as git holds them: ``(blobs, others)``, by
    absolute path (strings: a 40,000-item site lists 120,000 files here on
    every pull request, where ``Path`` objects cost more than git).

    ``blobs``: each committed file whose working copy is unchanged -> its blob
    id, read from git's index (``git ls-files -s``: no file is opened).
    ``others``: files changed in the working tree or untracked (their bytes are
    not a known blob). Symbolic links are neither. None outside git."""
    return start_tracked_blobs(folder)()


def start_tracked_blobs(folder: str | os.PathLike):
    """:func:`tracked_blobs`, started now (git lists while the caller works);
    call the returned function for the result (computed once)."""
    root = Path(folder).resolve()
    if not root.is_dir() or top_level(root) is None:
        return lambda: None
    try:
        jobs = GitJobs(root, ("ls-files", "-s", "-z", "--", "."), ("ls-files", "-m", "-z", "--", "."),
                       ("ls-files", "-o", "--exclude-standard", "-z", "--", "."))
    except GitError:
        return lambda: None
    done: list = []

    def result() -> tuple[dict[str, str], list[str]] | None:
        if not done:
            done.append(_listed(root, jobs))
        return done[0]

    return result


def _listed(root: Path, jobs: GitJobs) -> tuple[dict[str, str], list[str]] | None:
    try:
        staged, modified, untracked = jobs.outputs()
    except GitError:
        return None
    base = os.path.join(str(root), "")
    changed = {name for name in modified.split("\x00") if name}
    blobs: dict[str, str] = {}
    for entry in staged.split("\x00"):
        if not entry:
            continue
        meta, _, name = entry.partition("\t")
        mode, blob, _stage = meta.split(" ")
        if mode.startswith("100") and name not in changed:  # regular files
            blobs[base + name] = blob
    others = [base + name for name in [*changed, *untracked.split("\x00")]
              if name and os.path.isfile(base + name) and not os.path.islink(base + name)]
    return blobs, others
