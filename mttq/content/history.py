"""Where an item's publication and submission times come from, in one place.

Publication (``Item.published``):
  ``date``   the ``Date`` header an editor wrote;
  ``merge``  else the first-parent commit that brought ``index.md`` to the
             branch being built; items merged together get distinct times, one
             second apart before the merge's time, in path order, so a burst
             keeps a stable order and none is dated after its merge.

Submission (``Item.submission``, items about an event only), first found wins:
  ``header``        the ``Submitted`` header (an editor's record: e-mail, Zalo, Word);
  ``ledger``        the pull request's opening time, recorded at merge
                    (:mod:`mttq.registry.ledger`);
  ``pull_request``  the opening time of the pull request being checked;
  ``guessed``       the contributor's first commit of the file (git);
  ``now``           nothing known: the time of the check (a new local item).

An item imported from an old site (``Imported:``, ``invoke import-feed``) has
the submission source ``imported``: its ``Submitted`` (= its original
publication), else its publication; it is never judged against the deadline.

The pull-request check, the build and ``invoke quota`` all judge an item with
:meth:`History.judge`, so the monthly report says what the contributor was
told on the pull request.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from mttq.calendar.deadline import judge
from mttq.content.item import Item, Stamp
from mttq.core import git
from mttq.core.times import to_local
from mttq.registry.ledger import ledger_beside, load_ledger

PUBLICATION_SOURCES = {
    "date": "ngày đăng ghi trong bài (Date)",
    "merge": "lúc hợp nhất vào nhánh chính",
}
SUBMISSION_SOURCES = {
    "header": "Ban Biên tập ghi (Submitted)",
    "ledger": "lúc mở pull request, ghi khi hợp nhất",
    "pull_request": "lúc mở pull request",
    "guessed": "đoán theo commit đầu tiên (git)",
    "now": "chưa rõ: tạm dùng lúc kiểm tra",
    "imported": "nhập từ trang cũ (lúc đăng gốc)",
}


class History:
    def __init__(self, content_root: str | Path, *, pull_request_opened: dt.datetime | None = None,
                 now: dt.datetime | None = None, ledger_file: str | Path | None = "default"):
        """``ledger_file``: "default" is ``data/submissions.csv`` beside the content
        folder (the repository the content's history is in); None: no ledger."""
        self.content_root = Path(content_root).resolve()
        self.pull_request_opened = pull_request_opened
        self.now = now
        if ledger_file == "default":
            ledger_file = ledger_beside(self.content_root)
        self.ledger_file = Path(ledger_file) if ledger_file else None

    def publication(self, item: Item) -> Stamp | None:
        if item.meta.date is not None:
            return Stamp(to_local(item.meta.date), "date")
        merged = git.merge_time(item.path, self.content_root)
        return Stamp(to_local(merged), "merge") if merged is not None else None

    def submission(self, item: Item) -> Stamp | None:
        if item.meta.submitted is not None:
            return Stamp(to_local(item.meta.submitted), "header")
        ledger = load_ledger(self.ledger_file) if self.ledger_file else {}
        entry = ledger.get(item.slug)
        if entry is not None:
            return Stamp(entry.submitted, "ledger")
        if self.pull_request_opened is not None:
            return Stamp(to_local(self.pull_request_opened), "pull_request")
        arrival = git.first_commit(item.path, self.content_root)
        if arrival is not None:
            return Stamp(to_local(arrival.time), "guessed")
        if self.now is not None:
            return Stamp(to_local(self.now), "now")
        return None

    def judge(self, item: Item) -> Item:
        """Fill the item's publication, submission and deadline verdict (in place)."""
        item.published = self.publication(item)
        item.submission = item.verdict = None
        if item.meta.imported:  # an old site's archive: no deadline to judge
            when = item.meta.submitted or (item.published.time if item.published else None)
            item.submission = Stamp(to_local(when), "imported") if when else None
            return item
        event = item.meta.event_date
        if event is not None:
            item.submission = self.submission(item)
            if item.submission is not None:
                event_local, sent = to_local(event), to_local(item.submission.time)
                if event_local.date() <= sent.date():  # else a data error the check reports
                    item.verdict = judge(event_local, sent)
        return item
