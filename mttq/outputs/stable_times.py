"""Modification times that say when a file's bytes last changed.

nginx derives ``ETag`` (mtime and size) and ``Last-Modified`` (mtime) from the
file. Every build writes every file anew, so without this a byte-identical
rebuild would give every file a new time: after each deploy, partners polling
the feeds every 30 minutes and browsers revalidating pages would get ``200``
and the whole file instead of ``304 Not Modified``.

Before a new build is switched in (:func:`mttq.commands.build.build_site`), each of its
files whose bytes did not change gets back the time it had:

- from the **site being replaced** (same path, same bytes): its time;
- else from the **record kept in the cache folder**
  (``<MTTQ_CACHE_DIR>/output-times/<output folder id>.json``: path -> size,
  SHA-256, time), so that a fresh CI runner, which has no previous site but
  restores the cache (``actions/cache`` in ``publish.yml``), gives the same
  times as the machine that built the deployed site.

A file with new bytes keeps the time it was written at. Photo renditions are
hard links to the rendition cache (more than one link): their time is the
cached file's, already the same at every build, and they are left alone.
Deploy with a copy that keeps times (``rsync -a``, ``cp -p``), see
docs/hosting.md.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from mttq.core.paths import walk_tree

RECORD_VERSION = 1


@dataclass
class TimesKept:
    files: int = 0  # regular files looked at
    kept: int = 0  # unchanged bytes: time given back
    changed: int = 0  # new or changed bytes: time of this build
    linked: int = 0  # hard links (renditions): left alone


def record_path(cache_dir: str | os.PathLike, output: str | os.PathLike) -> Path:
    """The record of ``output``'s file times, in the cache folder."""
    key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / "output-times" / f"{key}.json"


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            block = first.read(1 << 20)
            if block != second.read(1 << 20):
                return False
            if not block:
                return True


def _load(record: Path | None) -> dict[str, list]:
    if record is None:
        return {}
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _save(record: Path, files: dict[str, list]) -> None:
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        tmp = record.with_name(f"{record.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": RECORD_VERSION, "files": files},
                                  separators=(",", ":"), sort_keys=True), encoding="utf-8")
        tmp.replace(record)
    except OSError:
        pass  # without a record the next build still compares with the replaced site


def keep_unchanged_times(new_root: str | os.PathLike, old_root: str | os.PathLike | None,
                         record: str | os.PathLike | None = None) -> TimesKept:
    """Give each file of ``new_root`` whose bytes did not change its earlier time.

    ``old_root``: the site about to be replaced (may be missing). ``record``:
    the JSON file of earlier times (read, then rewritten for ``new_root``).
    """
    new_root = os.fspath(new_root)
    old_root = os.fspath(old_root) if old_root else None
    record = Path(record) if record else None
    earlier = _load(record)
    now: dict[str, list] = {}
    stats = TimesKept()
    for relative, entry in walk_tree(new_root):
        st = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode):
            continue
        path = entry.path
        stats.files += 1
        if st.st_nlink > 1:
            stats.linked += 1
            if relative in earlier:  # a stored page reused as it was (page_store)
                now[relative] = earlier[relative]
            continue
        digest = _digest(path)
        mtime = None
        known = earlier.get(relative)
        if (isinstance(known, list) and len(known) == 3 and known[0] == st.st_size
                and known[1] == digest):
            mtime = int(known[2])
        elif old_root is not None:
            old = os.path.join(old_root, relative)
            try:
                old_st = os.lstat(old)
            except OSError:
                old_st = None
            if (old_st is not None and os.path.isfile(old) and not os.path.islink(old)
                    and old_st.st_size == st.st_size and _same_bytes(path, old)):
                mtime = old_st.st_mtime_ns
        if mtime is not None:
            if mtime != st.st_mtime_ns:
                os.utime(path, ns=(st.st_atime_ns, mtime))
            stats.kept += 1
        else:
            mtime = st.st_mtime_ns
            stats.changed += 1
        now[relative] = [st.st_size, digest, mtime]
    if record is not None:
        _save(record, now)
    return stats
