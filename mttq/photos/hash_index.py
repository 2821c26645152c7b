"""The stored index of published photos' perceptual hashes (``data/photo-hashes.csv``).

The pull-request check looks for ``photo.duplicate`` among every photo already
published: at 40,000 items, ~100,000 photos. Hashing them all on a runner
without ``cache/`` takes minutes. The repository keeps their hashes instead,
keyed by **git blob id**: git already knows each committed file's blob id
without opening it (:func:`mttq.core.git.tracked_blobs`), and a photo replaced
in place has a new blob id, so a stale row can never be used for it; a deleted
photo is simply no longer listed by git. Photos the index does not know (it is
refreshed after each merge, see ``.github/workflows/record-submission.yml``)
are hashed on the fly, so the index only ever saves time, never changes a
verdict.

Rows: ``blob,phash,path``, sorted by path (``path`` is for people reading the
file); a malformed row is ignored (its photo is hashed again).
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

INDEX_NAME = "photo-hashes.csv"
HEADER = ("blob", "phash", "path")
_BLOB = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_HASH = re.compile(r"[0-9a-f]{1,16}")


def read_index(path: Path) -> dict[str, int]:
    """Blob id -> perceptual hash; empty when the file is missing or unreadable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return {}
    found: dict[str, int] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and _BLOB.fullmatch(row[0]) and _HASH.fullmatch(row[1]):
            found[row[0]] = int(row[1], 16)
    return found


def index_text(rows: list[tuple[str, int, str]]) -> str:
    """The file's bytes for ``(blob, phash, path)`` rows: stable whatever their order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for blob, phash, path in sorted(rows, key=lambda r: (r[2], r[0])):
        writer.writerow((blob, f"{phash:016x}", path))
    return out.getvalue()


def index_beside(content_root: str | Path) -> Path:
    """``<repository>/data/photo-hashes.csv`` for ``<repository>/content``."""
    return Path(content_root).resolve().parent / "data" / INDEX_NAME


def is_published_photo(path: Path, content_root: Path, suffixes) -> bool:
    """A photo of an item folder: ``<tin|bai>/<year>/<month>/<slug>/<file>``.

    By string on the normalised paths (``Path.relative_to`` took 0.8 s for the
    40,000 photos of a 20,000-item site, on every pull request)."""
    text, root = os.fspath(path), os.fspath(content_root)
    if not text.startswith(root + os.sep) or os.sep + os.sep in text:
        return False
    return text.count(os.sep, len(root) + 1) == 4 and os.path.splitext(text)[1].lower() in suffixes
