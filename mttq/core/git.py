"""The one way this project reads git: when files arrived, what a change touched.

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
from dataclasses import dataclass
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
    order: int  # position among the items (index.md files) the same commit added, path order


@once_per_run
def arrivals(content_root: str, first_parent: bool) -> dict[str, Arrival]:
    """Absolute path of each file under ``content_root`` -> its first arrival.

    ``first_parent``: the branch's own history (merge commits), so a file
    merged from a pull request arrives with the merge; otherwise the
    contributor's own commit counts. Empty outside git.
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
        items = [name for name in paths if name.rsplit("/", 1)[-1] == ITEM_FILE]
        for name in paths:
            order = items.index(name) if name in items else 0
            found.setdefault(str(top / name), Arrival(time, commit, order))
    return found


def merge_time(path: str | os.PathLike, content_root: str | os.PathLike) -> Arrival | None:
    """When ``path`` reached the branch being built (first-parent history)."""
    return arrivals(str(Path(content_root).resolve()), True).get(str(Path(path).resolve()))


def first_commit(path: str | os.PathLike, content_root: str | os.PathLike) -> Arrival | None:
    """The contributor's first commit of ``path`` (any parent)."""
    return arrivals(str(Path(content_root).resolve()), False).get(str(Path(path).resolve()))


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
