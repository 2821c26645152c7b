"""RSS and Atom feeds for partners, the "RSS" page that lists them, and the
pages of withdrawn items.

A thin adapter over :mod:`mttq.outputs.feeds` and :mod:`mttq.content.publication_history`:
published Pelican articles become plain entry records, the git history says
which were corrected and which withdrawn; the files are written in
``generate_output``, i.e. after ``all_generators_finalized`` has placed the
photo renditions in the output, so each enclosure's byte length is read from
the very file partners download.

What is written (docs/feeds.md):

- subscription feeds, RSS 2.0 and Atom: the whole site, every topic and unit
  of the registries (valid empty feeds when they have no item), every tag an
  item has or had. Each holds every item published or corrected in the
  ``MTTQ_FEED_DAYS`` days before the site's newest change, and at least the
  ``MTTQ_FEED_ITEMS`` newest; items withdrawn in the last
  ``MTTQ_FEED_TOMBSTONE_DAYS`` days as RFC 6721 ``at:deleted-entry`` (and a
  notice item in RSS);
- monthly archives of the site feed (RFC 5005: ``prev-archive`` from the
  subscription feed, ``prev-archive``/``next-archive``/``current`` between
  archives), every item by its publication month, withdrawn ones as tombstones;
- an OPML of the feeds; the RSS page with the rules;
- at the address of each withdrawn item, a page that says so, and beside it
  ``da-go.txt``, by which ``deploy/nginx/mttq.conf`` answers HTTP 410.

Context for the templates (set before any page is written):
``site_feeds`` (every page links them), ``topic_feeds`` / ``unit_feeds`` /
``tag_feeds`` (key -> that listing's feeds), ``feed_groups``, ``feed_rules``
and ``rss_page_url`` (the RSS page and the footer link).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from pathlib import Path

from pelican.generators import Generator
from pelican.urlwrappers import Tag

from mttq.content.publication_history import publication_history
from mttq.core.git import content_log
from mttq.outputs import manifest, page_store
from mttq.outputs.fingerprint import Unstable
from mttq.outputs.feeds import (
    Branding, Category, ChannelImage, Entry, History, Image, Photo, Tombstone, WITHDRAWN_TERM,
    absolutize_html, feed_spec, id_authority, newest, plain_figures, render_feed,
    render_opml, tag_uri,
)
from mttq.outputs.listing import group_by
from mttq.core.times import to_local
from mttq.reports.quota import today_from_setting
from mttq.settings import registries_from_settings, with_defaults

log = logging.getLogger(__name__)

ARCHIVE_NAMES = "tháng {month:02d}/{year}"
MARKER_NAME = "da-go.txt"  # beside a withdrawn item's page: nginx answers 410


class FeedCache:
    """Feed files by a hash of everything they are made of (the feed, its
    entries, the options, the feed code): a feed whose items did not change is
    not rendered again (feedgen is slow). Only the feeds of the last build are
    kept."""

    CODE = hashlib.sha256(Path(render_feed.__code__.co_filename).read_bytes()).hexdigest()

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.key = ""

    def get(self, *parts) -> bytes | None:
        self.key = hashlib.sha256(repr((self.CODE, parts)).encode(
            "utf-8", "surrogatepass")).hexdigest()[:32]
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


class Withdrawn:
    """A withdrawn item as the feeds and its old address show it."""

    def __init__(self, history, url: str, path: str, tag_slugs: list[str]):
        self.slug = history.slug
        self.when = to_local(history.withdrawn)
        self.published = to_local(history.first_published)
        info = history.last_seen.info
        self.topic = info.category
        self.unit = info.unit
        self.tags = tag_slugs
        self.url = url  # absolute
        self.path = path  # the page's file, relative to the output


class FeedsGenerator(Generator):
    def generate_context(self):
        settings = with_defaults(self.settings)
        self.siteurl = settings["SITEURL"].rstrip("/")
        feed_dir = settings["MTTQ_FEED_DIR"]
        short = settings.get("SITE_SHORTNAME") or settings["SITENAME"]
        articles = list(self.context.get("articles", []))
        self.articles = articles
        registries = registries_from_settings(settings)
        self.today = today_from_setting(settings["MTTQ_TODAY"])
        authority = id_authority(settings["MTTQ_FEED_ID_AUTHORITY"], self.siteurl)
        self.id_prefix = tag_uri(authority, settings["MTTQ_FEED_ID_DATE"], "")

        def spec(kind, key, name, title, description, html_path):
            return feed_spec(kind, key, name, title, description,
                             f"{self.siteurl}/{html_path}", self.siteurl, feed_dir)

        # What git says happened to each item: corrections, takedowns.
        self.history = publication_history(settings["PATH"], settings["MTTQ_CACHE_DIR"])
        for article in articles:  # the item page and its JSON-LD say it too
            updated = self._updated(article)
            article.corrected = updated if updated > to_local(article.date) else None
        present = {a.slug for a in articles} | {
            a.slug for a in self.context.get("hidden_articles", [])}
        self.withdrawn = []
        for slug, history in self.history.items():
            if history.withdrawn and history.last_seen and slug not in present:
                info = history.last_seen.info
                url_path = settings["ARTICLE_URL"].format(slug=slug)
                save_as = settings["ARTICLE_SAVE_AS"].format(slug=slug)
                if not save_as:
                    continue
                self.withdrawn.append(Withdrawn(
                    history, f"{self.siteurl}/{url_path}", save_as,
                    [Tag(name, settings).slug for name in info.tags]))
        # Tombstones for MTTQ_FEED_TOMBSTONE_DAYS after the takedown, counted to the earlier
        # of the build's "today" and the content's newest commit: at least that long, and a
        # rebuild without new content (the daily one) never drops one.
        keep = dt.timedelta(days=settings["MTTQ_FEED_TOMBSTONE_DAYS"])
        log = content_log(settings["PATH"])
        newest_commit = to_local(log.commits[-1][1]).date() if log and log.commits else self.today
        self.judged_on = min(self.today, newest_commit)
        self.recent_withdrawn = [w for w in self.withdrawn
                                 if self.judged_on <= (w.when + keep).date()]

        self.site = (spec("site", "all", "Tất cả tin, bài", f"Tin, bài mới – {short}",
                          settings.get("SITE_TAGLINE") or settings["SITENAME"], ""), articles,
                     self.recent_withdrawn)
        by_topic = group_by(articles, lambda a: a.category.slug)
        self.topics = []
        for key, topic in registries.topics.items():
            items = by_topic.get(key, [])
            page = items[0].category.url if items else settings["CATEGORIES_URL"]
            self.topics.append((spec(
                "topic", key, topic.name, f"{topic.name} – {short}",
                getattr(topic, "description", "") or topic.name, page), items,
                [w for w in self.recent_withdrawn if w.topic == key]))
        by_unit = group_by(articles, lambda a: a.unit.slug)
        self.units = []
        for key, unit in registries.units.items():
            items = by_unit.get(key, [])
            page = items[0].unit.url if items else settings["MTTQ_UNITS_URL"]
            self.units.append((spec(
                "unit", key, unit.name, f"{unit.name} – {short}",
                f"Tin, bài của {unit.name} trên {settings['SITENAME']}", page), items,
                [w for w in self.recent_withdrawn if w.unit == key]))
        # Tags: every tag an item has, had in a published version, or a withdrawn one had.
        tag_names: dict[str, str] = {}
        by_tag: dict[str, list] = {}
        for article in articles:
            for tag in getattr(article, "tags", []) or []:
                tag_names.setdefault(tag.slug, tag.name)
                by_tag.setdefault(tag.slug, []).append(article)
        for history in self.history.values():
            for name in sorted(history.tags):
                tag_names.setdefault(Tag(name, settings).slug, name)
        self.tags = []
        for slug in sorted(s for s in tag_names if s):
            items = by_tag.get(slug, [])
            name = tag_names[slug]
            page = items[0].tags[[t.slug for t in items[0].tags].index(slug)].url if items \
                else settings["TAGS_URL"]
            self.tags.append((spec(
                "tag", slug, name, f"{name} – {short}",
                f"Tin, bài có từ khóa “{name}” trên {settings['SITENAME']}", page), items,
                [w for w in self.recent_withdrawn if slug in w.tags]))
        # Monthly archives of the site feed: every item by its publication month.
        months: dict[str, tuple[list, list]] = {}
        for article in articles:
            months.setdefault(f"{to_local(article.date):%Y-%m}", ([], []))[0].append(article)
        for item in self.withdrawn:
            months.setdefault(f"{item.published:%Y-%m}", ([], []))[1].append(item)
        self.archives = []
        for key in sorted(months):
            year, month = int(key[:4]), int(key[5:])
            name = ARCHIVE_NAMES.format(month=month, year=year)
            page = (settings["MONTH_ARCHIVE_URL"].format(date=dt.date(year, month, 1))
                    if months[key][0] else settings["ARCHIVES_URL"])  # Pelican's month page
            self.archives.append((spec(
                "archive", key, name, f"Lưu trữ {name} – {short}",
                f"Mọi tin, bài đăng trong {name} trên {settings['SITENAME']}", page),
                *months[key]))

        listed = lambda feeds: [s for s, items, _ in feeds if items]  # noqa: E731
        self.context["site_feeds"] = list(self.site[0].links)
        self.context["topic_feeds"] = {s.key: list(s.links) for s, _, _ in self.topics}
        self.context["unit_feeds"] = {s.key: list(s.links) for s, _, _ in self.units}
        self.context["tag_feeds"] = {s.key: list(s.links) for s, _, _ in self.tags}
        self.context["feed_groups"] = [
            ("Toàn trang", [self.site[0]]),
            ("Theo chủ đề", listed(self.topics)),
            ("Theo đơn vị", listed(self.units)),
            ("Theo từ khóa", listed(self.tags)),
        ]
        opml = f"{feed_dir.strip('/')}/{settings['MTTQ_FEED_OPML']}"
        self.context["feed_rules"] = {
            "count": settings["MTTQ_FEED_ITEMS"], "days": settings["MTTQ_FEED_DAYS"],
            "tombstone_days": settings["MTTQ_FEED_TOMBSTONE_DAYS"],
            "schedule": settings["MTTQ_FEED_SCHEDULE"], "terms": settings["MTTQ_FEED_TERMS"],
            "opml_url": f"{self.siteurl}/{opml}", "opml_path": opml,
            "newest_archive": self.archives[-1][0] if self.archives else None,
            "withdrawn_term": WITHDRAWN_TERM,
        }
        self.context["rss_page_url"] = settings["MTTQ_RSS_PAGE_URL"]

    # --- writing -------------------------------------------------------------------

    def generate_output(self, writer):
        settings = with_defaults(self.settings)
        self.output = Path(self.output_path)
        self._output_root = str(self.output)
        self._images: dict[str, Image | None] = {}
        self.outputs = manifest.current()
        entries: dict[str, Entry] = {}

        def entry(article):  # only the items a feed shows are made
            if article.slug not in entries:
                entries[article.slug] = self._entry(article, settings)
            return entries[article.slug]

        branding = self._branding(settings)
        site_name = settings["SITENAME"]
        withdrawn_scheme = f"{self.siteurl}/{settings['MTTQ_RSS_PAGE_URL']}#{WITHDRAWN_TERM}"
        options = dict(language=settings["DEFAULT_LANG"],
                       publisher=settings.get("SITE_PUBLISHER", ""), id_prefix=self.id_prefix,
                       site_name=site_name, withdrawn_scheme=withdrawn_scheme, branding=branding)
        cache = FeedCache(Path(settings["MTTQ_CACHE_DIR"]) / "feeds")
        self.written = self.reused = 0

        digests: dict[str, str] = {}
        store = page_store.current()

        def digest(article):
            """What the item's entry is made of, without making the entry when
            the build's page store has the item's fingerprint (the item pages
            were keyed by it): that, the time of its last correction and the
            sizes of its photos in the feed (a photo replaced by another of the
            same size changes no attribute of the item). Without a store, a
            hash of the entry itself. An entry is in ~6 feeds x 2 formats:
            hashed once. At 20,000 items, making every entry for the monthly
            archives was ~5 s of each build; now only the feeds that changed
            make theirs."""
            if article.slug not in digests:
                try:
                    if store is None:
                        raise Unstable("no page store")
                    own = store.fingerprints.item(article)
                    made = hashlib.blake2b(own, digest_size=16)
                    made.update(repr((store.signature, self._updated(article),
                                      [self._image(r) for r in self._feed_renditions(
                                          article, settings)])).encode("utf-8", "surrogatepass"))
                    digests[article.slug] = made.hexdigest()
                except Unstable:
                    digests[article.slug] = hashlib.sha256(repr(entry(article)).encode(
                        "utf-8", "surrogatepass")).hexdigest()
            return digests[article.slug]

        common = repr(sorted(options.items()))

        def write(spec, items, withdrawn, history_for, publisher=None):
            # The order of feeds.newest (publication time, then id: the slug's order).
            ordered = sorted(items, key=lambda a: (to_local(a.date), a.slug), reverse=True)
            chosen = None
            tombstones = sorted((self._tombstone(w) for w in withdrawn),
                                key=lambda t: (to_local(t.when), t.id), reverse=True)
            made_of = [digest(a) for a in ordered]
            # A month's archive is published by the site's identity of that month.
            opts = options if publisher is None else {**options, "publisher": publisher}
            for link in spec.links:
                history = history_for(link.format)
                data = cache.get(spec, link.format, made_of, tombstones, history, common,
                                 publisher)
                if data is None:
                    if chosen is None:
                        chosen = newest([entry(a) for a in ordered], 0)
                    data = render_feed(spec, link.format, chosen, tombstones=tombstones,
                                       history=history, **opts)
                    cache.put(data)
                else:
                    self.reused += 1
                self._write(link.path, data)

        # The window of the subscription feeds, from the site's newest change (not the clock).
        changes = [to_local(a.date) for a in self.articles]
        changes += [self._updated(a) for a in self.articles]
        changes += [w.when for w in self.recent_withdrawn]
        cutoff = max(changes, default=None)
        if cutoff is not None:
            cutoff -= dt.timedelta(days=settings["MTTQ_FEED_DAYS"])
        count = settings["MTTQ_FEED_ITEMS"]

        def window(items):
            ordered = sorted(items, key=lambda a: (to_local(a.date), a.slug), reverse=True)
            return [a for n, a in enumerate(ordered) if n < count or cutoff is None
                    or to_local(a.date) >= cutoff or self._updated(a) >= cutoff]

        archive_links = {}
        for n, (spec, _, _) in enumerate(self.archives):
            archive_links[spec.key] = {
                fmt: History(archive=True, current=self.site[0].link(fmt).url,
                             prev_archive=self.archives[n - 1][0].link(fmt).url if n else None,
                             next_archive=self.archives[n + 1][0].link(fmt).url
                             if n + 1 < len(self.archives) else None)
                for fmt in ("rss", "atom")}
        newest_archive = self.archives[-1][0] if self.archives else None

        def site_history(fmt):
            return History(prev_archive=newest_archive.link(fmt).url if newest_archive else None)

        spec, items, withdrawn = self.site
        write(spec, window(items), withdrawn, site_history)
        for spec, items, withdrawn in [*self.topics, *self.units, *self.tags]:
            write(spec, window(items), withdrawn, lambda fmt: History())
        identities = settings.get("SITE_IDENTITIES")
        for spec, items, withdrawn in self.archives:
            publisher = (identities.in_month(int(spec.key[:4]), int(spec.key[5:])).publisher
                         if identities is not None else None)
            write(spec, items, withdrawn, archive_links[spec.key].get, publisher)
        cache.forget_others()

        groups = [(heading, specs) for heading, specs in self.context["feed_groups"]]
        rules = self.context["feed_rules"]
        self._write(rules["opml_path"], render_opml(
            f"Nguồn tin RSS – {settings['SITENAME']}", groups,
            owner=settings.get("SITE_PUBLISHER", ""),
            docs_url=f"{self.siteurl}/{settings['MTTQ_RSS_PAGE_URL']}"))
        self._write_withdrawn_pages(settings)
        log.info("Feeds: %d tệp RSS/Atom (%d không đổi), %d tin, bài đã gỡ",
                 self.written, self.reused, len(self.withdrawn))
        writer.write_file(
            settings["MTTQ_RSS_PAGE_SAVE_AS"], self.get_template("rss"), self.context,
            settings["RELATIVE_URLS"], template_name="rss", url=settings["MTTQ_RSS_PAGE_URL"],
            page_name=settings["MTTQ_RSS_PAGE_URL"].rstrip("/"),
        )

    def _write(self, relative: str, data: bytes) -> None:
        target = self.output / relative
        if self.outputs is not None:
            self.outputs.add(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if relative.endswith(".xml"):
            self.written += 1

    def _write_withdrawn_pages(self, settings) -> None:
        """The old address of each withdrawn item: a page saying so, and the
        marker by which nginx answers 410 Gone (``deploy/nginx/mttq.conf``).
        Written directly (not by Pelican's writer): they are in no sitemap."""
        if not self.withdrawn:
            return
        template = self.get_template("withdrawn")
        for item in self.withdrawn:
            if (self.output / item.path).exists():  # a page of the same address: keep it
                continue
            context = dict(self.context, withdrawn=item, output_file=item.path,
                           page_name=os.path.dirname(item.path),
                           canonical=item.url[len(self.siteurl) + 1:])
            self._write(item.path, template.render(context).encode("utf-8"))
            marker = f"{os.path.dirname(item.path)}/{MARKER_NAME}"
            self._write(marker, (
                f"410 Gone: tin, bài đã được gỡ lúc {item.when.isoformat()}\n"
                f"{self.id_prefix}tin-bai/{item.slug}\n").encode("utf-8"))

    # --- records -------------------------------------------------------------------

    def _updated(self, article) -> dt.datetime:
        """An editor's ``Modified:``, else the last correction git knows, never
        before the publication."""
        published = to_local(article.date)
        modified = getattr(article, "modified", None)
        if modified is None:
            history = self.history.get(article.slug)
            modified = history.changed if history else None
        return max(to_local(modified), published) if modified else published

    def _tombstone(self, item: Withdrawn) -> Tombstone:
        return Tombstone(f"{self.id_prefix}tin-bai/{item.slug}", item.url, item.when)

    def _branding(self, settings) -> Branding:
        from PIL import Image as PILImage

        found = {}
        for key in ("MTTQ_FEED_ICON", "MTTQ_FEED_LOGO"):
            relative = settings[key]
            for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
                path = Path(settings["THEME"]) / folder / relative
                if path.is_file():
                    with PILImage.open(path) as image:
                        width, height = image.size
                    found[key] = ChannelImage(
                        f"{self.siteurl}/{settings['THEME_STATIC_DIR']}/{relative}", width, height)
                    break
        icon = found.get("MTTQ_FEED_ICON")
        return Branding(image=icon, icon=icon, logo=found.get("MTTQ_FEED_LOGO"))

    def _image(self, rendition) -> Image | None:
        known = self._images.get(rendition.path, False)
        if known is not False:
            return known
        try:  # os.stat of a string: pathlib's was ~2 s of a 20,000-item build
            length = os.stat(os.path.join(self._output_root, rendition.path)).st_size
        except FileNotFoundError:
            log.warning("Feeds: thiếu ảnh %s trong thư mục xuất bản; bỏ qua ảnh này.",
                        rendition.path)
            found = None
        else:
            found = Image(f"{self.siteurl}/{rendition.path}", rendition.mime_type,
                          rendition.width, rendition.height, length)
        self._images[rendition.path] = found
        return found

    @staticmethod
    def _feed_photos(article) -> list:
        """The item's photos in feed order: the cover first (media:content isDefault)."""
        cover = getattr(article, "cover", None)
        photos = list(getattr(article, "photos", ()))
        if cover in photos:
            photos.remove(cover)
            photos.insert(0, cover)
        return photos

    def _feed_renditions(self, article, settings) -> list:
        """The renditions an item's entry shows: each photo's, then the cover's thumbnail."""
        width = settings["MTTQ_FEED_IMAGE_WIDTH"]
        chosen = [p.plan.closest(width) for p in self._feed_photos(article)]
        cover = getattr(article, "cover", None)
        if cover is not None:
            chosen.append(cover.plan.closest(settings["MTTQ_FEED_THUMBNAIL_WIDTH"]))
        return chosen

    def _entry(self, article, settings) -> Entry:
        url = f"{self.siteurl}/{article.url}"
        cover = getattr(article, "cover", None)
        photos = self._feed_photos(article)
        renditions = self._feed_renditions(article, settings)  # the photos', then the thumbnail
        credit = getattr(article, "photo_credit", None) or str(article.author)
        images = [(p, self._image(r)) for p, r in zip(photos, renditions)]
        enclosure = thumbnail = None
        if cover is not None:
            enclosure = images[0][1]
            thumbnail = self._image(renditions[-1])
        topics_root = f"{self.siteurl}/{settings['CATEGORIES_URL']}"
        tags_root = f"{self.siteurl}/{settings['TAGS_URL']}"
        categories = [Category(article.category.slug, article.category.name, topics_root)]
        categories += [Category(tag.slug, tag.name, tags_root)
                       for tag in getattr(article, "tags", []) or []]
        return Entry(
            id=f"{self.id_prefix}tin-bai/{article.slug}",
            title=article.title,
            url=url,
            published=to_local(article.date),
            updated=self._updated(article),
            author=str(article.author),
            unit_name=article.unit.name,
            unit_url=f"{self.siteurl}/{article.unit.url}",
            categories=tuple(categories),
            summary=getattr(article, "summary_text", ""),
            content_html=plain_figures(absolutize_html(article.content, url, self.siteurl)),
            enclosure=enclosure,
            thumbnail=thumbnail,
            photos=tuple(Photo(image, p.caption, credit) for p, image in images
                         if image is not None),
        )


def get_generators(pelican):
    return FeedsGenerator
