"""RSS 2.0 and Atom feeds for partners (newspaper, radio–TV, the central Front).

Plain functions over plain records (:class:`Entry`, :class:`FeedSpec`): the
Pelican plugin turns published items into entries, this module turns entries
into feed bytes with ``feedgen``. No Pelican here, so everything can be tested
and reused without a build.

What partners rely on, and how it is kept:

- Stable ids. An entry's id is a ``tag:`` URI (RFC 4151) built from a fixed
  authority, a fixed date and the item's slug, e.g.
  ``tag:mttq.soctrang.example,2025:tin-bai/ra-quan-nha-dai-doan-ket``. The slug
  is the item's folder name and URL, which never changes; the authority and
  date are settings, so the ids survive a move of the site to another domain
  (provinces were merged in 2025) and an editor correcting the ``Date:``.
  RSS carries it as ``<guid isPermaLink="false">``, Atom as ``<id>``.
- Byte-identical output for unchanged content. Nothing depends on the clock:
  the channel's ``lastBuildDate`` / ``pubDate`` and Atom's ``updated`` are the
  newest entry's times, entries are ordered by (publication time, slug), and
  the generator string carries no version.
- Absolute URLs everywhere. Every ``href``/``src``/``srcset`` of the body is
  made absolute from the site's URL (our figures are root-relative in
  development builds and absolute in publish builds; both end up the same).
- Times in Vietnam's local time with the ``+07:00`` offset.
- Changes over time (the plugin finds them in git, :mod:`mttq.content.publication_history`):
  a corrected entry's ``updated`` moves and the feed's dates follow; a
  withdrawn item is an RFC 6721 ``at:deleted-entry`` (:class:`Tombstone`; in
  RSS also a notice item with the same guid); RFC 5005 archive links
  (:class:`History`).
- What readers' sanitizers keep: plain ``<figure><img srcset>`` photos
  (:func:`plain_figures`), Media RSS captions and credits, PNG channel images.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence
from urllib.parse import urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from mttq.core.times import LOCAL_TZ, to_local

RSS_MIME = "application/rss+xml"
ATOM_MIME = "application/atom+xml"
FORMATS = {"rss": (RSS_MIME, "rss.xml"), "atom": (ATOM_MIME, "atom.xml")}
GENERATOR = "Trang tin MTTQ (Pelican + feedgen)"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
# Used only for a feed without any entry (a new site): Atom requires <updated>.
EMPTY_FEED_UPDATED = dt.datetime(2025, 1, 1, tzinfo=LOCAL_TZ)


# --- records -----------------------------------------------------------------

@dataclass(frozen=True)
class Image:
    """A photo rendition that exists in the output, as a feed refers to it."""

    url: str  # absolute
    mime_type: str
    width: int
    height: int
    length: int  # bytes of the file in the output


@dataclass(frozen=True)
class Photo:
    """One photo of an item: its rendition, caption and credit (Media RSS)."""

    image: Image
    caption: str  # plain text: the photo's caption in the body
    credit: str  # who took it: ``Photo_credit``, else the item's author


@dataclass(frozen=True)
class Category:
    """A category of an entry: a term within a taxonomy (``scheme`` = its root page)."""

    term: str  # the key or slug: scheme + term + "/" is the listing page
    label: str  # what readers see
    scheme: str  # absolute URL of the taxonomy root, e.g. https://…/chu-de/


@dataclass(frozen=True)
class Entry:
    """One published item, everything a feed entry carries."""

    id: str
    title: str  # plain text
    url: str  # absolute
    published: dt.datetime  # aware
    updated: dt.datetime  # aware; = published when never corrected
    author: str
    unit_name: str
    unit_url: str  # absolute
    categories: tuple[Category, ...]  # the topic first, then the tags
    summary: str  # plain text
    content_html: str  # links and images already absolute
    enclosure: Image | None = None  # the cover photo
    thumbnail: Image | None = None  # a small rendition of the cover
    photos: tuple[Photo, ...] = ()  # every photo of the item, cover first


@dataclass(frozen=True)
class Tombstone:
    """A withdrawn item (RFC 6721 ``at:deleted-entry``; a notice item in RSS)."""

    id: str  # the entry id it had
    url: str  # its old address (now a "withdrawn" page, HTTP 410)
    when: dt.datetime  # aware: when it was taken down


@dataclass(frozen=True)
class ChannelImage:
    url: str  # absolute, PNG
    width: int
    height: int


@dataclass(frozen=True)
class Branding:
    """Feed images: RSS ``<image>`` (≤ 144 px wide), Atom ``icon`` (1:1) and ``logo`` (2:1)."""

    image: ChannelImage | None = None
    icon: ChannelImage | None = None
    logo: ChannelImage | None = None


@dataclass(frozen=True)
class History:
    """RFC 5005 archive links of one feed document (absolute URLs, same format)."""

    archive: bool = False  # this document is an archive (``fh:archive``)
    current: str | None = None  # the subscription document (from an archive)
    prev_archive: str | None = None
    next_archive: str | None = None


@dataclass(frozen=True)
class FeedLink:
    """One feed file, as pages link it (``<link rel="alternate">``)."""

    path: str  # relative to the site root, e.g. feeds/all.rss.xml
    url: str  # absolute
    title: str
    mime_type: str
    format: str  # "rss" or "atom"


@dataclass(frozen=True)
class FeedSpec:
    """A feed (in both formats): the whole site, a topic, a unit, a tag or a month's archive."""

    kind: str  # "site", "topic", "unit", "tag" or "archive"
    key: str  # "all", the topic key, the unit key, the tag slug or YYYY-MM
    name: str  # what the feed is about, e.g. the topic's name
    title: str  # the feed's title
    description: str
    html_url: str  # absolute: the listing page the feed mirrors
    links: tuple[FeedLink, ...] = field(default=())

    def link(self, fmt: str) -> FeedLink:
        return next(link for link in self.links if link.format == fmt)


# --- paths, ids, times ---------------------------------------------------------

FEED_FOLDERS = {"site": "", "topic": "chu-de/", "unit": "don-vi/", "tag": "tu-khoa/",
                "archive": "luu-tru/"}


def feed_path(feed_dir: str, kind: str, key: str, fmt: str) -> str:
    """``feeds/all.rss.xml``, ``feeds/chu-de/<key>.atom.xml``, ``feeds/don-vi/<key>.rss.xml``,
    ``feeds/tu-khoa/<slug>.rss.xml``, ``feeds/luu-tru/<YYYY-MM>.atom.xml``."""
    return f"{feed_dir.strip('/')}/{FEED_FOLDERS[kind]}{key}.{FORMATS[fmt][1]}"


def feed_spec(kind: str, key: str, name: str, title: str, description: str, html_url: str,
              siteurl: str, feed_dir: str) -> FeedSpec:
    links = []
    for fmt, (mime, _) in FORMATS.items():
        path = feed_path(feed_dir, kind, key, fmt)
        label = "RSS" if fmt == "rss" else "Atom"
        links.append(FeedLink(path, f"{siteurl.rstrip('/')}/{path}", f"{title} ({label})",
                              mime, fmt))
    return FeedSpec(kind, key, name, title, description, html_url, tuple(links))


def id_authority(configured: str | None, siteurl: str) -> str:
    """The tag: URI authority: the setting, else the host of the site's URL."""
    if configured:
        return configured
    host = urlsplit(siteurl).hostname if siteurl else None
    return host or "localhost"


def tag_uri(authority: str, date: str, specific: str) -> str:
    """RFC 4151 ``tag:authority,date:specific`` (``date`` is YYYY, YYYY-MM or YYYY-MM-DD)."""
    return f"tag:{authority},{date}:{specific}"


def newest(entries: Iterable[Entry], count: int) -> list[Entry]:
    """The ``count`` newest entries by publication time (ties: by id), newest first."""
    ordered = sorted(entries, key=lambda e: (to_local(e.published), e.id), reverse=True)
    return ordered[:count] if count and count > 0 else ordered


# --- absolute URLs in bodies -------------------------------------------------------

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def absolute_url(value: str, page_url: str, siteurl: str) -> str:
    """``value`` as an absolute URL.

    Already absolute (any scheme, or ``//host``): unchanged. Root-relative
    (``/anh/…``): under ``siteurl`` (which may have a path of its own).
    Relative (``../x/``, ``#a``): resolved against the page's URL.
    """
    value = value.strip()
    if not value or _SCHEME.match(value) or value.startswith("//"):
        return value
    if value.startswith("/"):
        return siteurl.rstrip("/") + value
    return urljoin(page_url, value)


def absolute_srcset(value: str, page_url: str, siteurl: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if not parts:
            continue
        parts[0] = absolute_url(parts[0], page_url, siteurl)
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


# A start tag, its attributes quoted or not (a ">" may sit inside quotes).
_START_TAG = re.compile(
    r"""<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>""")
_URL_ATTRIBUTE = re.compile(
    r"""(?P<before>\s(?P<name>href|src|srcset|poster|cite)\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.IGNORECASE)


def absolutize_html(fragment: str, page_url: str, siteurl: str) -> str:
    """The HTML fragment with every link and image URL absolute.

    Only the URL attributes of start tags are rewritten; every other byte is
    kept as it is (a parse-and-serialise round trip would reorder attributes
    and mangle HTML5 elements such as ``<source>``). In the sanitised bodies a
    ``<`` in text is always escaped, so a start tag cannot be mistaken.
    """
    if not fragment:
        return ""

    def attribute(match: re.Match) -> str:
        name, dq, sq, bare = match.group("name", "dq", "sq", "bare")
        raw = dq if dq is not None else sq if sq is not None else bare
        value = html.unescape(raw) if "&" in raw else raw
        if name.lower() == "srcset":
            absolute = absolute_srcset(value, page_url, siteurl)
        else:
            absolute = absolute_url(value, page_url, siteurl)
        if absolute == value:
            return match.group(0)
        value = absolute
        return f'{match["before"]}"{html.escape(value, quote=True)}"'

    def tag(match: re.Match) -> str:
        text = match.group(0)
        if "=" not in text:  # <p>, <strong>, <li>: most tags have no attribute at all
            return text
        return _URL_ATTRIBUTE.sub(attribute, text)

    return _START_TAG.sub(tag, fragment)


_PICTURE_TAGS = re.compile(
    r"""</?picture\b[^>]*>|<source\b(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>""",
    re.IGNORECASE)
_PAGE_ONLY_ATTRIBUTES = re.compile(
    r"""\s(?:loading|decoding|fetchpriority)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""",
    re.IGNORECASE)


def plain_figures(fragment: str) -> str:
    """The body with plain ``<figure><img srcset></figure>`` photos.

    Pages wrap each photo in ``<picture>`` with a WebP ``<source>``; feed
    readers' sanitizers keep ``<img>`` but reduce the wrapper to a stray empty
    ``<source/>``. Here ``<picture>`` and ``<source>`` are dropped, and so are
    the page-only loading hints of ``<img>`` (``loading``, ``decoding``,
    ``fetchpriority``): what remains is the JPEG ``src``/``srcset``/``sizes``,
    ``width``/``height``, ``alt`` and the ``<figcaption>``.
    """
    if not fragment:
        return ""
    fragment = _PICTURE_TAGS.sub("", fragment)

    def img(match: re.Match) -> str:
        tag = match.group(0)
        if "=" not in tag or tag[1:4].lower() != "img":
            return tag
        return _PAGE_ONLY_ATTRIBUTES.sub("", tag)

    return _START_TAG.sub(img, fragment)


# --- feedgen ---------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"  # RFC 6721
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
WITHDRAWN_TERM = "da-go"
WITHDRAWN_LABEL = "Đã gỡ"
WITHDRAWN_COMMENT = "Tin, bài đã được Ban Biên tập gỡ khỏi trang."


def _time_vi(moment: dt.datetime) -> str:
    moment = to_local(moment)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def withdrawn_notice(tombstone: Tombstone, site_name: str) -> str:
    """The text of the RSS notice of a withdrawn item (plain; HTML-escaped in the feed)."""
    return (f"Tin, bài có địa chỉ {tombstone.url} đã được gỡ khỏi {site_name} lúc "
            f"{_time_vi(tombstone.when)} (giờ Việt Nam). Mã định danh: {tombstone.id}. "
            "Đề nghị các cơ quan đã đăng lại tin, bài này gỡ bản đăng lại hoặc ghi rõ "
            "tin, bài đã được gỡ.")


class _DublinCore(BaseExtension):
    def extend_ns(self):
        return {"dc": DC_NS, "dcterms": DCTERMS_NS}


class _DublinCoreEntry(BaseEntryExtension):
    """RSS: ``dc:creator`` (author), ``dc:contributor`` (unit), ``dcterms:modified``.

    RSS 2.0 has no element for the update time, and its ``<author>`` must be
    an e-mail address; Dublin Core is what readers understand for both.
    """

    def __init__(self):
        self.creator = None
        self.contributor = None
        self.modified = None

    def extend_rss(self, item):
        if self.creator:
            xml_elem(f"{{{DC_NS}}}creator", item).text = self.creator
        if self.contributor:
            xml_elem(f"{{{DC_NS}}}contributor", item).text = self.contributor
        if self.modified:
            xml_elem(f"{{{DCTERMS_NS}}}modified", item).text = self.modified.isoformat()
        return item


class _AtomLinks(BaseExtension):
    pass


class _AtomLinksEntry(BaseEntryExtension):
    """Atom: the entry's links keep their ``rel``, ``type`` and ``length``.

    feedgen 1.0 drops them (it reads them from the new element instead of the
    data), which would turn the cover's ``rel="enclosure"`` into a second
    alternate link; they are set again here.
    """

    def __init__(self):
        self.links: list[dict] = []

    def extend_atom(self, entry):
        elements = [child for child in entry if isinstance(child.tag, str)
                    and child.tag.rsplit("}", 1)[-1] == "link"]
        for element, data in zip(elements, self.links):
            for key in ("rel", "type", "length"):
                if data.get(key):
                    element.set(key, str(data[key]))
        return entry


class _Media(BaseExtension):
    def extend_ns(self):
        return {"media": MEDIA_NS}


class _MediaEntry(BaseEntryExtension):
    """Media RSS, in both formats: every photo as ``media:content`` with its
    caption (``media:description``) and credit (``media:credit``, role
    photographer), the cover first (``isDefault``); ``media:thumbnail``.

    (feedgen's own media extension writes no child elements.)
    """

    def __init__(self):
        self.photos: tuple[Photo, ...] = ()
        self.thumbnail: Image | None = None

    def _extend(self, parent):
        for n, photo in enumerate(self.photos):
            image = photo.image
            content = xml_elem(f"{{{MEDIA_NS}}}content", parent, url=image.url,
                               type=image.mime_type, medium="image", width=str(image.width),
                               height=str(image.height), fileSize=str(image.length))
            if n == 0:
                content.set("isDefault", "true")
            if photo.caption:
                description = xml_elem(f"{{{MEDIA_NS}}}description", content, type="plain")
                description.text = photo.caption
            if photo.credit:
                credit = xml_elem(f"{{{MEDIA_NS}}}credit", content, role="photographer",
                                  scheme="urn:ebu")
                credit.text = photo.credit
        if self.thumbnail:
            xml_elem(f"{{{MEDIA_NS}}}thumbnail", parent, url=self.thumbnail.url,
                     width=str(self.thumbnail.width), height=str(self.thumbnail.height))
        return parent

    def extend_rss(self, item):
        return self._extend(item)

    def extend_atom(self, entry):
        return self._extend(entry)


class _Channel(BaseExtension):
    """What feedgen has no place for, at the feed level of both formats:

    - RFC 6721 ``at:deleted-entry`` for each withdrawn item (``ref`` = its id,
      ``when``, a comment and a link to the old address); in RSS the same
      elements as children of ``<channel>`` (the notice items are entries);
    - RFC 5005: ``fh:archive`` in archive documents, and in RSS the
      ``atom:link`` elements ``current``, ``prev-archive``, ``next-archive``
      (Atom has them as ordinary links);
    - the channel images: RSS ``<image>`` and Atom ``<logo>`` (Atom ``<icon>``
      is feedgen's).
    """

    def __init__(self):
        self.tombstones: Sequence[Tombstone] = ()
        self.history = History()
        self.branding = Branding()
        self.title = ""
        self.link = ""

    def extend_ns(self):
        namespaces = {}
        if self.tombstones:
            namespaces["at"] = TOMBSTONES_NS
        if self.history.archive:
            namespaces["fh"] = HISTORY_NS
        return namespaces

    def _tombstones(self, parent, atom_prefix: str):
        for tombstone in self.tombstones:
            deleted = xml_elem(f"{{{TOMBSTONES_NS}}}deleted-entry", parent, ref=tombstone.id,
                               when=to_local(tombstone.when).isoformat())
            comment = xml_elem(f"{{{TOMBSTONES_NS}}}comment", deleted, type="text")
            comment.text = WITHDRAWN_COMMENT
            xml_elem(f"{atom_prefix}link", deleted, rel="alternate", type="text/html",
                     href=tombstone.url)

    def extend_atom(self, feed):
        if self.branding.logo:
            xml_elem(f"{{{ATOM_NS}}}logo", feed).text = self.branding.logo.url
        if self.history.archive:
            xml_elem(f"{{{HISTORY_NS}}}archive", feed)
        self._tombstones(feed, f"{{{ATOM_NS}}}")
        return feed

    def extend_rss(self, rss):
        channel = rss[0]
        image = self.branding.image
        if image:
            element = xml_elem("image", channel)
            for name, value in (("url", image.url), ("title", self.title), ("link", self.link),
                                ("width", str(image.width)), ("height", str(image.height))):
                xml_elem(name, element).text = value
        for rel, href in (("current", self.history.current),
                          ("prev-archive", self.history.prev_archive),
                          ("next-archive", self.history.next_archive)):
            if href:
                xml_elem(f"{{{ATOM_NS}}}link", channel, rel=rel, type=RSS_MIME, href=href)
        if self.history.archive:
            xml_elem(f"{{{HISTORY_NS}}}archive", channel)
        self._tombstones(channel, f"{{{ATOM_NS}}}")
        return rss


def _generator(feed: FeedSpec, fmt: str, entries: Sequence[Entry], tombstones: Sequence[Tombstone],
               history: History, branding: Branding, language: str, publisher: str,
               id_prefix: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("channel", _Channel, None, atom=True, rss=True)
    fg.register_extension("media", _Media, _MediaEntry, atom=True, rss=True)
    fg.register_extension("dcmeta", _DublinCore, _DublinCoreEntry, atom=False, rss=True)
    fg.register_extension("atomlinks", _AtomLinks, _AtomLinksEntry, atom=True, rss=False)
    self_link = feed.link(fmt)
    mime = self_link.mime_type
    fg.id(f"{id_prefix}feeds/{FEED_FOLDERS[feed.kind]}{feed.key}")
    fg.title(feed.title)
    fg.subtitle(feed.description)  # also RSS <description>
    fg.language(language)
    fg.generator(GENERATOR)
    if publisher:
        fg.author(name=publisher)
        fg.rights(f"© {publisher}")
    fg.link(href=self_link.url, rel="self", type=mime)
    if fmt == "atom":  # RSS: written by the channel extension
        for rel, href in (("current", history.current), ("prev-archive", history.prev_archive),
                          ("next-archive", history.next_archive)):
            if href:
                fg.link(href=href, rel=rel, type=mime)
    fg.link(href=feed.html_url, rel="alternate", type="text/html")  # last: RSS <link>
    if branding.icon and fmt == "atom":
        fg.icon(branding.icon.url)
    fg.channel.tombstones = tuple(tombstones)
    fg.channel.history = history
    fg.channel.branding = branding
    fg.channel.title = feed.title
    fg.channel.link = feed.html_url
    times = [to_local(e.updated) for e in entries] + [to_local(t.when) for t in tombstones]
    published = [to_local(e.published) for e in entries] + [to_local(t.when) for t in tombstones]
    fg.updated(max(times, default=EMPTY_FEED_UPDATED))  # Atom <updated>, RSS <lastBuildDate>
    fg.pubDate(max(published, default=EMPTY_FEED_UPDATED))
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry) -> None:
    fe = fg.add_entry(order="append")
    fe.guid(entry.id, permalink=False)  # also Atom <id>
    fe.title(entry.title)
    fe.link(href=entry.url, rel="alternate", type="text/html")
    fe.published(to_local(entry.published))
    fe.updated(to_local(entry.updated))
    fe.author(name=entry.author)  # Atom only: RSS <author> must be an e-mail
    fe.contributor(name=entry.unit_name, uri=entry.unit_url)
    for category in entry.categories:  # RSS: label as text, scheme as domain
        fe.category(term=category.term, label=category.label, scheme=category.scheme)
    # RSS <description> is HTML by convention: the plain summary, escaped.
    fe.description(html.escape(entry.summary, quote=False))
    fe.summary(entry.summary)  # Atom: type text (RSS: replaced below by content)
    # Escaped HTML: content:encoded in RSS, <content type="html"> in Atom.
    fe.content(entry.content_html, type="html")
    if entry.enclosure:
        fe.enclosure(entry.enclosure.url, str(entry.enclosure.length),
                     entry.enclosure.mime_type)
    fe.media.photos = entry.photos
    fe.media.thumbnail = entry.thumbnail
    fe.atomlinks.links = list(fe.link())
    fe.dcmeta.creator = entry.author
    fe.dcmeta.contributor = entry.unit_name
    fe.dcmeta.modified = to_local(entry.updated)


def _add_notice(fg: FeedGenerator, tombstone: Tombstone, site_name: str, scheme: str) -> None:
    """RSS only: the withdrawn item as an item of its own, same guid, marked "Đã gỡ"."""
    fe = fg.add_entry(order="append")
    fe.guid(tombstone.id, permalink=False)
    fe.title(f"[{WITHDRAWN_LABEL}] Tin, bài đã được gỡ")
    fe.link(href=tombstone.url, rel="alternate", type="text/html")
    fe.published(to_local(tombstone.when))
    fe.category(term=WITHDRAWN_TERM, label=WITHDRAWN_LABEL, scheme=scheme)
    fe.description(html.escape(withdrawn_notice(tombstone, site_name), quote=False))
    fe.dcmeta.modified = to_local(tombstone.when)


def render_feed(feed: FeedSpec, fmt: str, entries: Sequence[Entry], *,
                tombstones: Sequence[Tombstone] = (), history: History = History(),
                branding: Branding = Branding(), language: str = "vi", publisher: str = "",
                id_prefix: str = "", site_name: str = "", withdrawn_scheme: str = "") -> bytes:
    """The feed in ``fmt`` ("rss" or "atom") as UTF-8 XML bytes.

    ``entries`` are written in the order given (use :func:`newest`).
    ``tombstones``: withdrawn items — Atom ``at:deleted-entry`` (RFC 6721);
    RSS: the same elements in ``<channel>`` plus a notice item each (same
    guid, category ``da-go`` in ``withdrawn_scheme``), before the entries.
    ``history``: RFC 5005 links. ``id_prefix`` is ``tag:authority,date:``;
    the feed's own id appends ``feeds/<kind folder><key>``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown feed format {fmt!r}")
    fg = _generator(feed, fmt, entries, tombstones, history, branding, language, publisher,
                    id_prefix)
    if fmt == "rss":
        for tombstone in tombstones:
            _add_notice(fg, tombstone, site_name or publisher, withdrawn_scheme or feed.html_url)
    for entry in entries:
        _add_entry(fg, entry)
    if fmt == "rss":
        return fg.rss_str(pretty=True)
    return fg.atom_str(pretty=True)


# --- OPML: every feed in one file, for partners' readers ---------------------------------

def render_opml(title: str, groups: Sequence[tuple[str, Sequence[FeedSpec]]], owner: str = "",
                docs_url: str = "", fmt: str = "rss") -> bytes:
    """OPML 2.0 of the feeds in ``groups`` ((heading, specs)), one outline per feed in ``fmt``."""
    from lxml import etree

    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    if owner:
        etree.SubElement(head, "ownerName").text = owner
    if docs_url:
        etree.SubElement(head, "docs").text = docs_url
    body = etree.SubElement(root, "body")
    for heading, specs in groups:
        if not specs:
            continue
        group = etree.SubElement(body, "outline", text=heading)
        for spec in specs:
            link = spec.link(fmt)
            etree.SubElement(group, "outline", type="rss", version="RSS2" if fmt == "rss" else "ATOM1",
                             text=spec.name, title=spec.title, xmlUrl=link.url, htmlUrl=spec.html_url,
                             language="vi")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
