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
class Entry:
    """One published item, everything a feed entry carries."""

    id: str
    title: str  # plain text
    url: str  # absolute
    published: dt.datetime  # aware
    updated: dt.datetime  # aware; = published when never modified
    author: str
    unit_name: str
    unit_url: str  # absolute
    category_key: str
    category_name: str
    category_url: str  # absolute: the topic's listing page
    summary: str  # plain text
    content_html: str  # links and images already absolute
    enclosure: Image | None = None  # the cover photo
    thumbnail: Image | None = None  # a small rendition of the cover
    photos: tuple[Image, ...] = ()  # every photo of the item, cover first


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
    """A feed (in both formats): the whole site, one topic or one unit."""

    kind: str  # "site", "topic" or "unit"
    key: str  # "all", the topic key or the unit key
    name: str  # what the feed is about, e.g. the topic's name
    title: str  # the feed's title
    description: str
    html_url: str  # absolute: the listing page the feed mirrors
    links: tuple[FeedLink, ...] = field(default=())

    def link(self, fmt: str) -> FeedLink:
        return next(link for link in self.links if link.format == fmt)


# --- paths, ids, times ---------------------------------------------------------

FEED_FOLDERS = {"site": "", "topic": "chu-de/", "unit": "don-vi/"}


def feed_path(feed_dir: str, kind: str, key: str, fmt: str) -> str:
    """``feeds/all.rss.xml``, ``feeds/chu-de/<key>.atom.xml``, ``feeds/don-vi/<key>.rss.xml``."""
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
        raw = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
        value = html.unescape(raw)
        if match["name"].lower() == "srcset":
            absolute = absolute_srcset(value, page_url, siteurl)
        else:
            absolute = absolute_url(value, page_url, siteurl)
        if absolute == value:
            return match.group(0)
        value = absolute
        return f'{match["before"]}"{html.escape(value, quote=True)}"'

    def tag(match: re.Match) -> str:
        return _URL_ATTRIBUTE.sub(attribute, match.group(0))

    return _START_TAG.sub(tag, fragment)


# --- feedgen ---------------------------------------------------------------------------

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


def _media(image: Image, default: bool) -> dict:
    data = {"url": image.url, "type": image.mime_type, "medium": "image",
            "width": str(image.width), "height": str(image.height),
            "fileSize": str(image.length), "group": None}
    if default:
        data["isDefault"] = "true"
    return data


def _generator(feed: FeedSpec, fmt: str, entries: Sequence[Entry], language: str,
               publisher: str, id_prefix: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.register_extension("dcmeta", _DublinCore, _DublinCoreEntry, atom=False, rss=True)
    fg.register_extension("atomlinks", _AtomLinks, _AtomLinksEntry, atom=True, rss=False)
    self_link = feed.link(fmt)
    fg.id(f"{id_prefix}feeds/{FEED_FOLDERS[feed.kind]}{feed.key}")
    fg.title(feed.title)
    fg.subtitle(feed.description)  # also RSS <description>
    fg.language(language)
    fg.generator(GENERATOR)
    if publisher:
        fg.author(name=publisher)
        fg.rights(f"© {publisher}")
    fg.link(href=self_link.url, rel="self", type=self_link.mime_type)
    fg.link(href=feed.html_url, rel="alternate", type="text/html")  # last: RSS <link>
    updated = max((to_local(e.updated) for e in entries), default=EMPTY_FEED_UPDATED)
    published = max((to_local(e.published) for e in entries), default=EMPTY_FEED_UPDATED)
    fg.updated(updated)  # Atom <updated> and RSS <lastBuildDate>: never "now"
    fg.pubDate(published)
    for entry in entries:
        _add_entry(fg, entry)
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
    fe.category(term=entry.category_key, label=entry.category_name,
                scheme=entry.category_url)
    # RSS <description> is HTML by convention: the plain summary, escaped.
    fe.description(html.escape(entry.summary, quote=False))
    fe.summary(entry.summary)  # Atom: type text (RSS: replaced below by content)
    # Escaped HTML: content:encoded in RSS, <content type="html"> in Atom.
    fe.content(entry.content_html, type="html")
    if entry.enclosure:
        fe.enclosure(entry.enclosure.url, str(entry.enclosure.length),
                     entry.enclosure.mime_type)
    for n, photo in enumerate(entry.photos):
        fe.media.content(_media(photo, default=n == 0))
    if entry.thumbnail:
        fe.media.thumbnail({"url": entry.thumbnail.url, "width": str(entry.thumbnail.width),
                            "height": str(entry.thumbnail.height), "group": None})
    fe.atomlinks.links = list(fe.link())
    fe.dcmeta.creator = entry.author
    fe.dcmeta.contributor = entry.unit_name
    fe.dcmeta.modified = to_local(entry.updated)


def render_feed(feed: FeedSpec, fmt: str, entries: Sequence[Entry], *, language: str = "vi",
                publisher: str = "", id_prefix: str = "") -> bytes:
    """The feed in ``fmt`` ("rss" or "atom") as UTF-8 XML bytes.

    ``entries`` are written in the order given (use :func:`newest`).
    ``id_prefix`` is ``tag:authority,date:``; the feed's own id appends
    ``feeds/<kind folder><key>``.
    """
    fg = _generator(feed, fmt, entries, language, publisher, id_prefix)
    if fmt == "rss":
        return fg.rss_str(pretty=True)
    if fmt == "atom":
        return fg.atom_str(pretty=True)
    raise ValueError(f"unknown feed format {fmt!r}")

