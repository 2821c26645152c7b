"""How a check's problems are written: for a terminal, for the forge's
annotations, for a pull request's summary (Markdown), as JSON.

Every message is Vietnamese and every hint says how to fix. Problem texts
write code, file names and values a contributor typed between backticks;
Markdown renders those as code and everything else is escaped, so a value
such as ``![x](https://evil.example/a.png)`` in a ``Category:`` line shows as
text in the summary, never as an image or a link.
"""
from __future__ import annotations

import json
import re

from mttq.core import problems as P
from mttq.core.problems import CheckReport

SEVERITY_VI = {P.ERROR: "LỖI", P.WARNING: "CẢNH BÁO"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:=])")


def _ordered(problems):
    """Errors first: a contributor reads what blocks the item before the advice."""
    return sorted(problems, key=lambda p: p.severity != P.ERROR)


def _counts(report: CheckReport) -> tuple[int, int]:
    every = [p for f in report.files for p in f.problems] + list(report.notes)
    return (sum(p.severity == P.ERROR for p in every), sum(p.severity == P.WARNING for p in every))


def format_text(report: CheckReport) -> str:
    lines = []
    errors, warnings = _counts(report)
    for file in sorted(report.files, key=lambda f: f.ok):
        if not file.problems:
            continue
        lines.append(f"{file.path}")
        for problem in _ordered(file.problems):
            where = f" (dòng {problem.line})" if problem.line else ""
            lines.append(f"  {SEVERITY_VI[problem.severity]} [{problem.code}]{where}: {problem.message}")
            if problem.hint:
                lines.append(f"    → Cách sửa: {problem.hint}")
        lines.append("")
    for note in report.notes:
        lines.append(f"{SEVERITY_VI[note.severity]} [{note.code}]: {note.message}")
        if note.hint:
            lines.append(f"  → {note.hint}")
        lines.append("")
    checked = len(report.files)
    if report.ok:
        lines.append(f"Đạt: đã kiểm tra {checked} tệp, không có lỗi"
                     + (f" ({warnings} cảnh báo)." if warnings else "."))
    else:
        lines.append(f"Chưa đạt: {errors} lỗi, {warnings} cảnh báo trong {checked} tệp đã kiểm tra. "
                     "Sửa các lỗi trên rồi gửi lại.")
    return "\n".join(lines)


def format_github(report: CheckReport) -> str:
    """GitHub/Gitea/Forgejo workflow commands, so problems show on the diff."""

    def escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape_data(text).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for file in report.files:
        for problem in _ordered(file.problems):
            command = "error" if problem.severity == P.ERROR else "warning"
            properties = f"file={escape_property(file.path)}"
            if problem.line:
                properties += f",line={problem.line}"
            properties += f",title={escape_property(problem.code)}"
            text = problem.message + (f" Cách sửa: {problem.hint}" if problem.hint else "")
            lines.append(f"::{command} {properties}::{escape_data(text)}")
    for note in report.notes:
        command = "error" if note.severity == P.ERROR else "warning"
        text = note.message + (f" {note.hint}" if note.hint else "")
        lines.append(f"::{command} title={escape_property(note.code)}::{escape_data(text)}")
    return "\n".join(lines)


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders to the same text: code spans stay code,
    every other character Markdown could read as markup is escaped (links,
    images, emphasis, HTML, autolinked addresses)."""
    parts = []
    for is_code, piece in P.code_pieces(text.replace("\r", " ").replace("\n", " ")):
        if is_code:
            parts.append(f"`{piece}`")
        else:
            parts.append(_MARKDOWN_SPECIAL.sub(r"\\\1", piece).replace("www", "w&#8203;ww"))
    return "".join(parts)


def _code(text: str) -> str:
    """A code span that holds ``text`` whatever backticks it contains."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def editors_url() -> str:
    """The editors' pages of the published site (quota, late items, refused files):
    ``SITEURL`` of ``publishconf.py`` (or ``MTTQ_SITEURL``) and ``MTTQ_EDITORS_PATH``."""
    from mttq.commands.build import load_settings
    from mttq.core.paths import REPO_ROOT
    from mttq.settings import with_defaults

    settings = with_defaults(load_settings(REPO_ROOT / "publishconf.py"))
    return f"{settings['SITEURL'].rstrip('/')}/{settings['MTTQ_EDITORS_PATH'].strip('/')}/"


def _editors_line(url: str) -> str:
    """The link editors follow from a pull request to the month's figures. Only a
    web address is made a link (angle brackets: nothing in it is read as Markdown)."""
    if not re.fullmatch(r"https?://[^\s<>()]+", url):
        return f"Ban Biên tập: báo cáo chỉ tiêu, tin, bài trễ hạn và tệp bị loại ở {_code(url)}."
    return (f"Ban Biên tập: [báo cáo chỉ tiêu, tin, bài trễ hạn và tệp bị loại](<{url}>) "
            "(đăng nhập bằng tài khoản Ban Biên tập).")


def format_markdown(report: CheckReport, editors: str | None = None) -> str:
    """A summary fit for a pull-request comment or the job summary; ``editors``:
    the address of the editors' pages, linked at the end."""
    errors, warnings = _counts(report)
    if report.ok:
        head = f"## ✅ Kiểm tra tin, bài: đạt ({len(report.files)} tệp"
        head += f", {warnings} cảnh báo)" if warnings else ")"
    else:
        head = f"## ❌ Kiểm tra tin, bài: {errors} lỗi, {warnings} cảnh báo"
    lines = [head, ""]
    for file in sorted(report.files, key=lambda f: f.ok):
        if not file.problems:
            continue
        lines.append(f"### {_code(file.path)}")
        for problem in _ordered(file.problems):
            label = "**Lỗi**" if problem.severity == P.ERROR else "Cảnh báo"
            where = f" (dòng {problem.line})" if problem.line else ""
            lines.append(f"- {label} `{problem.code}`{where}: {markdown_text(problem.message)}")
            if problem.hint:
                lines.append(f"  - Cách sửa: {markdown_text(problem.hint)}")
        lines.append("")
    for note in report.notes:
        label = "**Lỗi**" if note.severity == P.ERROR else "Cảnh báo"
        lines.append(f"> {label} `{note.code}`: {markdown_text(note.message)}")
        if note.hint:
            lines.append(f"> {markdown_text(note.hint)}")
        lines.append("")
    if not report.ok:
        lines.append("Sửa các lỗi trên, commit và push lại; kiểm tra sẽ chạy lại tự động.")
        lines.append("")
    if editors:
        lines.append(_editors_line(editors))
    return "\n".join(lines).rstrip() + "\n"


def format_json(report: CheckReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def format_summary(report: CheckReport) -> str:
    """``--format markdown``: the summary with the link to the editors' pages."""
    return format_markdown(report, editors_url())


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github,
              "markdown": format_summary}
