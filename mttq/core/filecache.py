"""Per-file values remembered by (size, mtime), like ``make`` does.

Reading every photo on every build or check would read gigabytes; a ``stat``
is enough to know a file is unchanged, so a value computed from a file (its
content hash, its perceptual hash) is kept in a small JSON file and reused
while the file's size and modification time stay the same.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable


class StatMemo:
    def __init__(self, file: Path):
        self.file = Path(file)
        try:
            self.known: dict[str, list] = json.loads(self.file.read_text())
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    @staticmethod
    def _stamp(path: str) -> list[int]:
        stat = os.stat(path)
        return [stat.st_size, stat.st_mtime_ns]

    def lookup(self, path: str | os.PathLike) -> tuple[bool, Any]:
        """(True, value) when ``path`` is unchanged since its value was stored."""
        entry = self.known.get(str(path))
        if entry and entry[:2] == self._stamp(str(path)):
            return True, entry[2]
        return False, None

    def put(self, path: str | os.PathLike, value: Any) -> None:
        self.known[str(path)] = [*self._stamp(str(path)), value]
        self.changed = True

    def get(self, path: str | os.PathLike, compute: Callable[[str], Any]) -> Any:
        hit, value = self.lookup(path)
        if not hit:
            value = compute(str(path))
            self.put(path, value)
        return value

    def save(self) -> None:
        if not self.changed:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.known))
        tmp.replace(self.file)
        self.changed = False
