"""Problems found in contributed files, and the JSON contract that reports them.

Every check (metadata, photos, deadline, …) returns :class:`Problem` objects
with a stable dotted ``code`` so that CI, editors' tools and tests can rely on
it, plus a Vietnamese ``message`` and ``hint`` a contributor can act on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"


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

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": [f.as_json() for f in self.files]}
