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


@lru_cache(maxsize=4)
def first_added_times(content_root: str) -> dict[str, dt.datetime]:
    """Absolute path of each file under ``content_root`` -> when it was added."""
    root = Path(content_root).resolve()
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", top, "-c", "core.quotepath=off", "log", "--first-parent",
             "--diff-filter=A", "--name-only", "--reverse", "--format=%x00%cI", "--",
             str(root)],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    added: dict[str, dt.datetime] = {}
    when = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            when = dt.datetime.fromisoformat(line[1:])
        elif line and when is not None:
            added.setdefault(str(Path(top, line)), when)
    return added


def added_time(path: Path) -> dt.datetime | None:
    path = Path(path).resolve()
    for parent in path.parents:
        if parent.name in ("tin", "bai"):
            return first_added_times(str(parent.parent)).get(str(path))
    return None
