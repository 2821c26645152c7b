"""RSS and Atom feeds for partners, and the "RSS" page that lists them.

A thin adapter over :mod:`mttq.outputs.feeds`: published Pelican articles become plain
entry records; the feed files are written in ``generate_output``, i.e. after
``all_generators_finalized`` has placed the photo renditions in the output, so
each enclosure's byte length is read from the very file partners download.

Context for the templates (set before any page is written):
``site_feeds`` (every page links them), ``topic_feeds`` / ``unit_feeds``
(topic key / unit key -> that listing's feeds), ``feed_groups`` and
``rss_page_url`` (the RSS page and the footer link).
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from pelican.generators import Generator

from mttq.outputs.feeds import (
    Entry, Image, absolutize_html, feed_spec, id_authority, newest, render_feed, tag_uri,
)
from mttq.outputs import manifest
from mttq.outputs.listing import group_by
from mttq.settings import registries_from_settings, with_defaults

log = logging.getLogger(__name__)


def newest_items(items, count: int) -> list:
    """The items that can be among a feed's ``count`` newest entries.

    :func:`mttq.feeds.newest` orders entries by publication time; with ties at
    the edge every tied item is kept, so the choice is the same as from all.
    """
    ordered = sorted(items, key=lambda a: a.date, reverse=True)
    if not count or count <= 0 or len(ordered) <= count:
        return ordered
    edge = ordered[count - 1].date
    return [a for a in ordered if a.date >= edge]


class FeedCache:
    """Feed files by a hash of everything they are made of (the feed, its
    entries, the options, the feed code): a feed whose newest items did not
    change is not rendered again (feedgen is slow). Only the feeds of the last
    build are kept."""

    CODE = hashlib.sha256(Path(render_feed.__code__.co_filename).read_bytes()).hexdigest()

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.key = ""

    def get(self, spec, fmt: str, entries, options: dict) -> bytes | None:
        self.key = hashlib.sha256(repr((self.CODE, spec, fmt, list(entries), sorted(
            options.items()))).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.used.add(self.key)
        try:
            return (self.folder / f"{self.key}.xml").read_bytes()
        except OSError:
            return None

    def put(self, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f"{self.key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.folder / f"{self.key}.xml")
        except OSError:
            pass

    def forget_others(self) -> None:
        try:
            for path in self.folder.iterdir():
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
        except OSError:
            pass


class FeedsGenerator(Generator):
    def generate_context(self):
        settings = with_defaults(self.settings)
        self.siteurl = settings["SITEURL"].rstrip("/")
        feed_dir = settings["MTTQ_FEED_DIR"]
        short = settings.get("SITE_SHORTNAME") or settings["SITENAME"]
        articles = list(self.context.get("articles", []))
        registries = registries_from_settings(settings)

        def spec(kind, key, name, title, description, html_path):
            return feed_spec(kind, key, name, title, description,
                             f"{self.siteurl}/{html_path}", self.siteurl, feed_dir)

        self.site = (spec("site", "all", "Tất cả tin, bài", f"Tin, bài mới – {short}",
                          settings.get("SITE_TAGLINE") or settings["SITENAME"], ""), articles)
        by_topic = group_by(articles, lambda a: a.category.slug)
        self.topics = []
        for key, topic in registries.topics.items():
            items = by_topic.get(key)
            if items:  # Pelican writes a topic page only when it has items
                self.topics.append((spec(
                    "topic", key, topic.name, f"{topic.name} – {short}",
                    getattr(topic, "description", "") or topic.name,
                    items[0].category.url), items))
        by_unit = group_by(articles, lambda a: a.unit.slug)
        self.units = []
        for key, unit in registries.units.items():
            items = by_unit.get(key)
            if items:  # like the unit pages
                self.units.append((spec(
                    "unit", key, unit.name, f"{unit.name} – {short}",
                    f"Tin, bài của {unit.name} trên {settings['SITENAME']}",
                    items[0].unit.url), items))
        self.context["site_feeds"] = list(self.site[0].links)
        self.context["topic_feeds"] = {s.key: list(s.links) for s, _ in self.topics}
        self.context["unit_feeds"] = {s.key: list(s.links) for s, _ in self.units}
        self.context["feed_groups"] = [
            ("Toàn trang", [self.site[0]]),
            ("Theo chủ đề", [s for s, _ in self.topics]),
            ("Theo đơn vị", [s for s, _ in self.units]),
        ]
        self.context["rss_page_url"] = settings["MTTQ_RSS_PAGE_URL"]

    def generate_output(self, writer):
        settings = with_defaults(self.settings)
        output = Path(self.output_path)
        authority = id_authority(settings["MTTQ_FEED_ID_AUTHORITY"], self.siteurl)
        id_prefix = tag_uri(authority, settings["MTTQ_FEED_ID_DATE"], "")
        entries: dict[str, object] = {}

        def entry(article):  # only the items a feed shows (the newest ones) are made
            if article.slug not in entries:
                entries[article.slug] = self._entry(article, settings, output, id_prefix)
            return entries[article.slug]

        count = settings["MTTQ_FEED_ITEMS"]
        written = reused = 0
        cache = FeedCache(Path(settings["MTTQ_CACHE_DIR"]) / "feeds")
        outputs = manifest.current()
        for spec, items in [self.site, *self.topics, *self.units]:
            chosen = newest((entry(a) for a in newest_items(items, count)), count)
            for link in spec.links:
                options = dict(language=settings["DEFAULT_LANG"],
                               publisher=settings.get("SITE_PUBLISHER", ""), id_prefix=id_prefix)
                data = cache.get(spec, link.format, chosen, options)
                if data is None:
                    data = render_feed(spec, link.format, chosen, **options)
                    cache.put(data)
                else:
                    reused += 1
                target = output / link.path
                if outputs is not None:
                    outputs.add(link.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written += 1
        cache.forget_others()
        log.info("Feeds: %d tệp RSS/Atom (%d không đổi)", written, reused)
        writer.write_file(
            settings["MTTQ_RSS_PAGE_SAVE_AS"], self.get_template("rss"), self.context,
            settings["RELATIVE_URLS"], template_name="rss", url=settings["MTTQ_RSS_PAGE_URL"],
            page_name=settings["MTTQ_RSS_PAGE_URL"].rstrip("/"),
        )

    def _image(self, rendition, output: Path) -> Image | None:
        path = output / rendition.path
        try:
            length = path.stat().st_size
        except FileNotFoundError:
            log.warning("Feeds: thiếu ảnh %s trong thư mục xuất bản; bỏ qua ảnh này.",
                        rendition.path)
            return None
        return Image(f"{self.siteurl}/{rendition.path}", rendition.mime_type, rendition.width,
                     rendition.height, length)

    def _entry(self, article, settings, output: Path, id_prefix: str) -> Entry:
        url = f"{self.siteurl}/{article.url}"
        published = article.date
        updated = max(getattr(article, "modified", None) or published, published)
        cover = getattr(article, "cover", None)
        photos = list(getattr(article, "photos", ()))
        if cover in photos:  # cover first: media:content isDefault
            photos.remove(cover)
            photos.insert(0, cover)
        width = settings["MTTQ_FEED_IMAGE_WIDTH"]
        images = [self._image(p.plan.closest(width), output) for p in photos]
        enclosure = thumbnail = None
        if cover is not None:
            enclosure = images[0]
            thumbnail = self._image(cover.plan.closest(settings["MTTQ_FEED_THUMBNAIL_WIDTH"]),
                                    output)
        return Entry(
            id=f"{id_prefix}tin-bai/{article.slug}",
            title=article.title,
            url=url,
            published=published,
            updated=updated,
            author=str(article.author),
            unit_name=article.unit.name,
            unit_url=f"{self.siteurl}/{article.unit.url}",
            category_key=article.category.slug,
            category_name=article.category.name,
            category_url=f"{self.siteurl}/{article.category.url}",
            summary=getattr(article, "summary_text", ""),
            content_html=absolutize_html(article.content, url, self.siteurl),
            enclosure=enclosure,
            thumbnail=thumbnail,
            photos=tuple(i for i in images if i is not None),
        )


def get_generators(pelican):
    return FeedsGenerator
