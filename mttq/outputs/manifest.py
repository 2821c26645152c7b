"""What a build may write: generated pages, feeds, the search index, photo
renditions and the theme's own files — and nothing else.

Contributors are untrusted. Whatever gets past the check and the settings
(a Pelican mechanism that copies a file, a setting changed by a pull request,
a plugin that writes where it should not), the published folder must not hold
a file that the build did not mean to write: the build registers every file
it writes here, and before the new site is switched in, any other file in it
refuses the build (the previous site stays).
"""
from __future__ import annotations

import os
from pathlib import Path

from mttq.core.paths import walk_tree


class OutputManifest:
    """Relative paths (posix) a build wrote on purpose, and folders it owns."""

    def __init__(self, root: str | os.PathLike = "") -> None:
        self.root = os.fspath(root)
        self.files: set[str] = set()
        self.folders: set[str] = set()
        self.theme_static: list[tuple[str, Path]] = []  # (output folder, source folder)

    def add(self, relative: str) -> None:
        self.files.add(_normal(relative))

    def add_folder(self, relative: str) -> None:
        """A folder whose whole content one of our generators writes (the search index)."""
        self.folders.add(_normal(relative).rstrip("/") + "/")

    def allow_theme_static(self, output_folder: str, source_folders: list[Path]) -> None:
        for source in source_folders:
            self.theme_static.append((_normal(output_folder).rstrip("/") + "/", Path(source)))

    def _is_theme_file(self, relative: str) -> bool:
        for prefix, source in self.theme_static:
            if relative.startswith(prefix):
                original = source / relative[len(prefix):]
                if original.is_file() and not original.is_symlink():
                    return True
        return False

    def allows(self, relative: str) -> bool:
        relative = _normal(relative)
        if relative in self.files:
            return True
        if any(relative.startswith(folder) for folder in self.folders):
            return True
        return self._is_theme_file(relative)

    def strays(self, root: str | os.PathLike) -> list[str]:
        """Files (and symbolic links) under ``root`` that no generator meant to write."""
        return sorted(relative for relative, entry in walk_tree(os.fspath(root))
                      if entry.is_symlink() or not self.allows(relative))


def _normal(relative: str) -> str:
    return os.path.normpath(str(relative)).replace(os.sep, "/").lstrip("/")


_current: OutputManifest | None = None


def begin(root: str | os.PathLike) -> OutputManifest:
    """A new manifest for the build starting in this process, writing into ``root``."""
    global _current
    _current = OutputManifest(root)
    return _current


def current() -> OutputManifest | None:
    """The manifest of the build running (or last run) in this process."""
    return _current


def reset() -> None:
    """Forget the last build's manifest: a build whose plugin never started has none."""
    global _current
    _current = None
