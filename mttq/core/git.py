"""When did each item reach the main branch? (for items without ``Date``)

A contributor may leave ``Date`` out; the publication time is then the time
the item's ``index.md`` first appeared on the branch being built, following
first parents only, so a merged pull request counts from its merge commit.
One ``git log`` serves the whole content tree.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from functools import lru_cache
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


@lru_cache(maxsize=4)
def first_added_times(content_root: str) -> dict[str, dt.datetime]:
    """Publication times of files without ``Date`` (first-parent history), cached per build."""
    return added_times(content_root, first_parent=True)


def added_time(path: Path) -> dt.datetime | None:
    path = Path(path).resolve()
    for parent in path.parents:
        if parent.name in ("tin", "bai"):
            return first_added_times(str(parent.parent)).get(str(path))
    return None
