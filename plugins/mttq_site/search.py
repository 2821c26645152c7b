"""The search page (``tim-kiem/``) and its index, written with the site.

A thin adapter: :mod:`mttq.search_index` builds the index from the published
items and pages; this generator writes its files into a folder named by their
content hash (``tim-kiem/<hash>/``, cacheable for ever) and renders the page
that names that folder, so a page and its index always match.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from pelican.generators import Generator

from mttq.presentation import vn_date
from mttq.search_index import SearchDoc, build_index, html_text, write_index
from mttq.settings import with_defaults

log = logging.getLogger(__name__)


def _absolute(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}"


def item_doc(article, siteurl: str) -> SearchDoc:
    category = getattr(article, "category", None)
    unit = getattr(article, "unit", None)
    names = [getattr(category, "name", ""), getattr(unit, "name", ""), str(getattr(article, "author", ""))]
    return SearchDoc(
        url=_absolute(siteurl, article.url),
        title=article.title,
        summary=getattr(article, "summary_text", "") or html_text(getattr(article, "summary", "")),
        body=html_text(article.content),
        tags=tuple(tag.name for tag in getattr(article, "tags", None) or ()),
        meta="\n".join(n for n in names if n),
        date=vn_date(article.date),
        kind=getattr(article, "type_name", ""),
        section=getattr(category, "name", ""),
        unit=getattr(unit, "name", ""),
    )


def page_doc(page, siteurl: str) -> SearchDoc:
    return SearchDoc(url=_absolute(siteurl, page.url), title=page.title,
                     body=html_text(page.content), kind="Trang")


class SearchPageGenerator(Generator):
    def generate_context(self):
        settings = with_defaults(self.settings)
        self.context["search_url"] = settings["MTTQ_SEARCH_URL"]

    def generate_output(self, writer):
        settings = with_defaults(self.settings)
        siteurl = settings["SITEURL"]
        started = time.perf_counter()
        docs = [item_doc(a, siteurl) for a in self.context.get("articles", [])]
        docs += [page_doc(p, siteurl) for p in self.context.get("pages", [])]
        index = build_index(docs)
        folder = f"{settings['MTTQ_SEARCH_URL']}{index.version}/"
        write_index(index, Path(self.output_path) / folder)
        log.info("Tìm kiếm: %d trang, %d từ, %d KB mục lục (%.1f s)", index.docs, index.terms,
                 index.total_bytes("t/") // 1024, time.perf_counter() - started)
        writer.write_file(
            settings["MTTQ_SEARCH_SAVE_AS"], self.get_template("search"), self.context,
            settings["RELATIVE_URLS"], template_name="search", url=settings["MTTQ_SEARCH_URL"],
            search_index_path=folder, page_name=settings["MTTQ_SEARCH_URL"].rstrip("/"),
        )


def get_generators(pelican):
    return SearchPageGenerator
