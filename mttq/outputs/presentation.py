"""Formatting for readers: Vietnamese dates, card pictures, JSON-LD.

Registered as Jinja filters by the plugin, so templates only place values and
never compute them.
"""
from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as etree

from markupsafe import Markup, escape

from mttq.content import placeholders
from mttq.core.problems import code_pieces
from mttq.outputs.figures import CARD_SIZES, picture_element
from mttq.core.times import iso_datetime, month_label, to_local, vn_date, vn_datetime


def month_name(moment) -> str:
    """``Tháng 05/2025`` of a date, a datetime (local) or a ``(year, month)`` pair."""
    if isinstance(moment, tuple):
        return month_label(*moment)
    if isinstance(moment, dt.datetime):
        moment = to_local(moment)
    return month_label(moment.year, moment.month)


def period_name(period: tuple) -> str:
    """Pelican's ``period_num`` of an archive: ``Năm 2025``, ``Tháng 05/2025``, a day."""
    if len(period) == 1:
        return f"Năm {period[0]}"
    if len(period) == 2:
        return month_label(*period)
    return f"Ngày {vn_date(dt.date(*period))}"


def month_url(year_month: tuple, pattern: str) -> str:
    """A month archive's address from its URL pattern (``MONTH_ARCHIVE_URL``)."""
    year, month = year_month
    return pattern.format(date=dt.date(year, month, 1))


# Every archive page (each month, each year, each of their pages) asks for the
# periods of the same list of all items: computed once per list, not once per
# page (that was quadratic: 16 % of a warm build at 5,000 items). The list
# itself is kept with its periods, so its id cannot be reused while cached.
def archive_months(items) -> list[tuple[int, int]]:
    """The (year, month) periods that have items, oldest first (computed once
    per build: the archive pages' neighbours come from it, and a page that
    depends on it changes only when a month gains its first item or loses its
    last one, not with every item)."""
    return sorted({(local.year, local.month) for local in (to_local(i.date) for i in items)})


def period_neighbours(months, period: tuple, month_pattern: str, year_pattern: str) -> list[dict]:
    """The archives just before and after ``period`` (a year or a month) that have
    items, given ``months`` (:func:`archive_months`):
    ``[{"direction": "older"|"newer", "label", "url"}]``, older first."""
    size = min(len(period), 2)
    periods = sorted({m[:size] for m in months})
    period = tuple(period[:size])
    older = [p for p in periods if p < period]
    newer = [p for p in periods if p > period]
    links = []
    for direction, chosen in (("older", older[-1:]), ("newer", newer[:1])):
        for p in chosen:
            if size == 1:
                links.append({"direction": direction, "label": period_name(p),
                              "url": year_pattern.format(date=dt.date(p[0], 1, 1))})
            else:
                links.append({"direction": direction, "label": month_label(*p),
                              "url": month_url(p, month_pattern)})
    return links


def card_picture(photo, siteurl: str = "", eager: bool = False) -> Markup:
    """The responsive picture of an item's cover on listing pages."""
    if not photo:
        return Markup("")
    element = picture_element(photo.plan, photo.caption, siteurl, CARD_SIZES, eager=eager)
    return Markup(etree.tostring(element, encoding="unicode", method="html"))


def share_image_url(photo, siteurl: str, width: int = 1200) -> str:
    return f"{siteurl}/{photo.plan.closest(width).path}" if photo else ""


def news_article_jsonld(article, siteurl: str, publisher: str, logo_url: str) -> Markup:
    """schema.org NewsArticle for search engines, escaped for a <script> block.

    The publisher is the site's identity on the item's date (``data/site.yaml``,
    ``SITE_IDENTITIES`` in the article's settings) when the build has identities:
    an item of the former province keeps its publisher; else the ``publisher``
    and ``logo_url`` given."""
    identities = (getattr(article, "settings", None) or {}).get("SITE_IDENTITIES")
    if identities is not None:
        identity = identities.on(article.date)
        publisher, logo_url = identity.publisher, f"{siteurl}/{identity.logo}"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso_datetime(article.date),
        "dateModified": iso_datetime(getattr(article, "corrected", None)
                                     or getattr(article, "modified", None) or article.date),
        "author": {"@type": "Person", "name": str(article.author)},
        "publisher": {"@type": "Organization", "name": publisher,
                      "logo": {"@type": "ImageObject", "url": logo_url}},
        "articleSection": article.category.name,
        "description": getattr(article, "summary_text", ""),
        "inLanguage": "vi",
        "mainEntityOfPage": f"{siteurl}/{article.url}",
    }
    if getattr(article, "cover", None):
        data["image"] = [share_image_url(article.cover, siteurl, w) for w in (1200, 800)]
    return json_for_html(data)


def json_for_html(data) -> Markup:
    """JSON to embed in an HTML ``<script>`` block. ``<``, ``>`` and ``&`` are
    written as ``\\u003c``… (still the same JSON): a title with ``<!--<script>``
    or ``</script>`` could otherwise end the block or start a comment that
    swallows the rest of the page."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def groupby_month(items) -> list[tuple[tuple[int, int], list]]:
    """Items grouped by local (year, month), newest month first."""
    months: dict[tuple[int, int], list] = {}
    for item in items:
        local = to_local(item.date)
        months.setdefault((local.year, local.month), []).append(item)
    return sorted(months.items(), reverse=True)


def code_spans(text: str) -> Markup:
    """A problem's message or hint on a page: its backtick spans (code, file names,
    Markdown to type) as ``<code>``, everything else as escaped text."""
    return Markup("").join(Markup("<code>{}</code>").format(piece) if is_code else escape(piece)
                           for is_code, piece in code_pieces(text or ""))


def advised_length(item_type: str) -> str:
    """``150–400 chữ``: what the editors advise, from :mod:`mttq.content.placeholders`
    (the guide says the same; a test holds them together)."""
    return placeholders.advised_length(item_type)


def advised_photos(item_type: str) -> str:
    """``2–4 ảnh``: the photos the editors advise for a type."""
    return placeholders.advised_photos(item_type)


def minimum_words(what: str) -> int:
    """Under how many words the check refuses a ``summary`` or a ``body``."""
    return {"summary": placeholders.MIN_SUMMARY_WORDS, "body": placeholders.MIN_BODY_WORDS}[what]


def submission_source(source: str) -> str:
    """Where a submission time comes from, for the editors (mttq/content/history.py)."""
    from mttq.content.history import SUBMISSION_SOURCES

    return SUBMISSION_SOURCES.get(source, source)


FILTERS = {
    "code_spans": code_spans,
    "advised_length": advised_length,
    "minimum_words": minimum_words,
    "advised_photos": advised_photos,
    "submission_source": submission_source,
    "groupby_month": groupby_month,
    "vn_date": vn_date,
    "vn_datetime": vn_datetime,
    "iso_datetime": iso_datetime,
    "month_name": month_name,
    "period_name": period_name,
    "month_url": month_url,
    "period_neighbours": period_neighbours,
    "card_picture": card_picture,
    "share_image_url": share_image_url,
    "news_article_jsonld": news_article_jsonld,
}
