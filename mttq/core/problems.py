"""Problems found in contributed files, and the JSON contract that reports them.

Every check (metadata, photos, deadline, …) returns :class:`Problem` objects
with a stable dotted ``code`` so that CI, editors' tools and tests can rely on
it, plus a Vietnamese ``message`` and ``hint`` a contributor can act on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

# Messages and hints write code, file names, Markdown and values a contributor
# typed between backticks; each output (Markdown summary, editors' page) shows
# such a span as code and everything else as text.
CODE_SPAN = re.compile(r"(`[^`\n]*`)")


def code_pieces(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is_code, piece); a code piece is without its backticks."""
    return [(True, piece[1:-1]) if CODE_SPAN.fullmatch(piece) else (False, piece)
            for piece in CODE_SPAN.split(text) if piece]


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    message: str
    hint: str = ""
    line: int | None = None
    field: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }
        if self.line is not None:
            data["line"] = self.line
        if self.field is not None:
            data["field"] = self.field
        return data


def error(code: str, message: str, hint: str = "", **where: Any) -> Problem:
    return Problem(code, ERROR, message, hint, **where)


def warning(code: str, message: str, hint: str = "", **where: Any) -> Problem:
    return Problem(code, WARNING, message, hint, **where)


@dataclass
class FileReport:
    """Everything found about one file (an item's ``index.md`` or a photo)."""

    path: str
    kind: str  # "article" or "photo"
    problems: list[Problem] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "ok": self.ok,
            "problems": [p.as_json() for p in self.problems],
            "metrics": self.metrics,
        }


@dataclass
class CheckReport:
    files: list[FileReport] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # about the whole run, said once

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files) and not any(n.severity == ERROR for n in self.notes)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "notes": [n.as_json() for n in self.notes],
                "files": [f.as_json() for f in self.files]}


class ProblemCollector:
    """Every problem one run found, by file, as data (never as log text).

    The build's reader, photo audit and link checks add to it; the build's
    result, the command line and the editors' page render it. ``refused``
    files were left out of the site because of their errors.
    """

    def __init__(self) -> None:
        self.by_path: dict[str, list[Problem]] = {}
        self.refused: set[str] = set()
        self.refused_sources: set[str] = set()  # absolute paths of the refused files

    def add(self, path: str, problems) -> None:
        problems = list(problems)
        if problems:
            known = self.by_path.setdefault(str(path), [])
            known.extend(p for p in problems if p not in known)

    def refuse(self, path: str, problems, source: str | None = None) -> None:
        self.refused.add(str(path))
        if source:
            self.refused_sources.add(str(source))
        self.add(path, problems)

    def errors(self) -> dict[str, list[Problem]]:
        return {path: [p for p in found if p.severity == ERROR]
                for path, found in sorted(self.by_path.items())
                if any(p.severity == ERROR for p in found)}

    def warnings(self) -> dict[str, list[Problem]]:
        return {path: [p for p in found if p.severity == WARNING]
                for path, found in sorted(self.by_path.items())
                if any(p.severity == WARNING for p in found)}

    def report(self) -> "CheckReport":
        """The same shape the check prints, so one formatter serves both."""
        return CheckReport([FileReport(path, "photo" if not path.endswith(".md") else "article",
                                       list(found))
                            for path, found in sorted(self.by_path.items())])
