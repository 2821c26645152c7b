"""Photo problems of the published photos, for the build and the editors.

The pull-request check judges new photos; the build looks again at every
photo it publishes (thresholds may have changed, photos may predate the
check) and lists the problems for the editors. Each verdict is remembered by
the file's size and modification time, so a warm build assesses nothing.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from mttq.core.filecache import StatMemo
from mttq.photos.limits import PhotoLimits
from mttq.core.problems import Problem


def audit_photos(paths: list[str], limits: PhotoLimits, cache_dir: Path,
                 workers: int | None = None, known: dict | None = None) -> dict[str, list[Problem]]:
    """Path -> problems (possibly none) of every photo in ``paths``.

    ``known``: reports already made in this build from the renditions' decode
    (path -> FileReport): remembered, not made again."""
    key = hashlib.sha256(repr(limits).encode()).hexdigest()[:10]
    memo = StatMemo(Path(cache_dir) / f"photo-audit-{key}.json")
    paths = list(dict.fromkeys(str(p) for p in paths))
    for path, report in (known or {}).items():
        memo.put(path, [problem.as_json() for problem in report.problems])
    unknown = [p for p in paths if not memo.lookup(p)[0]]
    if unknown:  # numpy and the measures only when a photo has no verdict yet
        from mttq.photos.quality import assess_photos

        for path, report in zip(unknown, assess_photos(unknown, limits, workers)):
            memo.put(path, [problem.as_json() for problem in report.problems])
    memo.save()
    return {path: [Problem(**data) for data in memo.lookup(path)[1]] for path in paths}
