"""Each item's record, judged once per run, and its problems collected as data.

The reader's result (the bundle's own facts) may come from Pelican's cache;
what the history says — publication time, submission time, deadline verdict —
is judged here for every run (``article_generator_context``, sent for cached
and fresh reads alike), with the same :class:`mttq.content.history.History`
the check uses. "What is published" is decided here once, by
:meth:`mttq.content.item.Item.is_published`: Pelican is told an item dated
after the run's "now" is a draft (``WITH_FUTURE_DATES`` is on so that Pelican
does not decide it a second time with another clock).
"""
from __future__ import annotations

import os
from pathlib import Path

from mttq.content.history import History
from mttq.core import problems as P
from mttq.core import runs
from mttq.settings import run_now, with_defaults
from .reader import display_path


def history_of(settings) -> History:
    settings = with_defaults(settings)
    return runs.memo(("history", settings["PATH"], settings["MTTQ_LEDGER_FILE"]),
                     lambda: History(settings["PATH"],
                                     ledger_file=settings["MTTQ_LEDGER_FILE"] or "default"))


def judge_item(generator, metadata) -> None:
    item = metadata.get("item")
    if item is None:
        return
    settings = generator.settings
    history_of(settings).judge(item)
    if item.published is None:
        runs.current().problems.refuse(display_path(item.path, Path(settings["PATH"])), [P.error(
            "meta.missing",
            "Tin, bài chưa có ngày đăng (Date) và chưa có trong lịch sử git.",
            "Ghi `Date: YYYY-MM-DD HH:MM`, hoặc hợp nhất (merge) vào nhánh chính để ngày đăng "
            "là lúc hợp nhất.", field="date")], source=os.path.abspath(item.path))
        metadata["status"] = "skip"
        return
    metadata["date"] = item.published.time
    if metadata.get("status") == "published" and not item.is_published(run_now(settings)):
        metadata["status"] = "draft"  # dated in the future: waits until then


def collect_problems(generator) -> None:
    """``article_generator_finalized``: the warnings of every item, cached or not."""
    content_root = Path(generator.settings["PATH"])
    problems = runs.current().problems
    for article in [*generator.articles, *generator.drafts, *generator.hidden_articles]:
        item = getattr(article, "item", None)
        if item is not None:
            item.url = article.url
            problems.add(display_path(item.path, content_root),
                         [p for p in item.problems if p.severity == P.WARNING])


def refuse_duplicate_addresses(contents, settings, problem) -> None:
    """Contents sharing one slug would overwrite each other's page: an error of
    every file involved (the build then fails; the check says it first).
    ``problem(slug, others)`` makes the error of one of them."""
    by_slug: dict[str, list] = {}
    for content in contents:
        by_slug.setdefault(content.slug, []).append(content)
    content_root = Path(settings["PATH"])
    for slug, same in by_slug.items():
        if len(same) > 1:
            paths = [display_path(Path(c.source_path), content_root) for c in same]
            for path in paths:
                others = ", ".join(f"`{p}`" for p in paths if p != path)
                runs.current().problems.add(path, [problem(slug, others)])


def refuse_duplicate_slugs(generator) -> None:
    """``article_generator_finalized``: two items with one folder name."""
    refuse_duplicate_addresses(
        [*generator.articles, *generator.drafts], generator.settings,
        lambda slug, others: P.error(
            "article.duplicate_slug",
            f"Tên thư mục `{slug}` trùng với {others}: hai tin, bài sẽ ghi đè lên nhau.",
            f"Đổi tên một thư mục, ví dụ `{slug}-2`."))


def refuse_duplicate_pages(generator) -> None:
    """``page_generator_finalized``: two pages with one address (mttq/content/page.py)."""
    refuse_duplicate_addresses(
        [*generator.pages, *generator.hidden_pages, *generator.draft_pages], generator.settings,
        lambda slug, others: P.error(
            "article.duplicate_slug",
            f"Địa chỉ trang `/{slug}/` trùng với {others}: hai trang sẽ ghi đè lên nhau.",
            "Đổi `Slug` của một trang.", field="slug"))
