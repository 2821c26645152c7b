"""The submissions ledger: when each merged item first reached the editors.

The pull-request check judges an item's deadline on the time its pull
request was opened. The monthly report, built months later from the main
branch, must judge the same time — git alone only knows the contributor's
commit times, which may be days earlier (committed on Monday, proposed on
Wednesday). So when a pull request is merged, the merge job writes one line
per item it brought: the slug, the opening time the forge reported, the pull
request's number (``invoke record-submissions``, run by
``.github/workflows/record-submission.yml``). The file is plain CSV so editors
can read it in a spreadsheet, and it only grows: an item keeps its first
line, whatever later pull requests edit it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from mttq.core.runs import once_per_run
from mttq.core.times import parse_local_datetime, to_local

LEDGER_NAME = "submissions.csv"


def ledger_beside(content_root: str | Path) -> Path:
    """``<repository>/data/submissions.csv`` for ``<repository>/content``."""
    return Path(content_root).resolve().parent / "data" / LEDGER_NAME
COLUMNS = ("slug", "submitted", "pull_request", "recorded")


class LedgerError(ValueError):
    """The ledger file is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class LedgerEntry:
    slug: str
    submitted: dt.datetime  # when the pull request was opened
    pull_request: str = ""
    recorded: str = ""  # when the merge job wrote the line


@once_per_run
def load_ledger(path: Path) -> dict[str, LedgerEntry]:
    """slug -> its first entry. A missing file is an empty ledger."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"{path}: không đọc được sổ ghi thời điểm gửi ({exc}).") from exc
    entries: dict[str, LedgerEntry] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            slug = (row.get("slug") or "").strip()
            when = to_local(parse_local_datetime((row.get("submitted") or "").strip()))
        except (ValueError, AttributeError) as exc:
            raise LedgerError(f"{path}, dòng {number}: {exc}") from exc
        if slug and slug not in entries:
            entries[slug] = LedgerEntry(slug, when, (row.get("pull_request") or "").strip(),
                                        (row.get("recorded") or "").strip())
    return entries


def record(slugs: list[str], submitted: dt.datetime, pull_request: str,
           path: Path, recorded: dt.datetime | None = None) -> list[str]:
    """Append a line for each slug not in the ledger yet; returns the slugs written."""
    known = load_ledger.__wrapped__(path)
    new = [slug for slug in dict.fromkeys(slugs) if slug not in known]
    if not new:
        return []
    stamp = to_local(recorded or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    exists = Path(path).is_file() and Path(path).stat().st_size > 0
    if not exists:
        writer.writerow(COLUMNS)
    for slug in new:
        writer.writerow((slug, to_local(submitted).isoformat(timespec="seconds"), pull_request, stamp))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
        handle.flush()
        os.fsync(handle.fileno())
    return new
