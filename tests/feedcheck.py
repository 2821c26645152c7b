"""Every check a feed file must pass, as partners' software would apply them.

- feedparser (a real feed client) reads it without ``bozo``;
- it is well-formed XML for a strict parser (lxml without recovery);
- Atom: valid under the RELAX NG schema of RFC 4287 (``tests/schemas/atom.rng``);
- RSS: the RSS 2.0 rules a schema cannot state (required channel elements,
  every item with a title or description, RFC 822 dates, enclosures with url,
  length and type, an image of at most 144×400 px).
"""
from __future__ import annotations

from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

import feedparser
from lxml import etree

SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"
HISTORY = "{http://purl.org/syndication/history/1.0}"


@lru_cache(maxsize=1)
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def strict_xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def rss_problems(root: etree._Element) -> list[str]:
    problems = []
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is {root.tag} version {root.get('version')}"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channels"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel without {name}")
    for name in ("pubDate", "lastBuildDate"):
        if channel.find(name) is not None:
            parsedate_to_datetime(channel.findtext(name))
    image = channel.find("image")
    if image is not None:
        for name in ("url", "title", "link"):
            if not image.findtext(name):
                problems.append(f"image without {name}")
        if int(image.findtext("width", "88")) > 144 or int(image.findtext("height", "31")) > 400:
            problems.append("image larger than 144x400")
    for item in channel.findall("item"):
        if not (item.findtext("title") or item.findtext("description")):
            problems.append("item without title and description")
        if item.find("pubDate") is not None:
            parsedate_to_datetime(item.findtext("pubDate"))
        for enclosure in item.findall("enclosure"):
            if not all(enclosure.get(a) for a in ("url", "length", "type")):
                problems.append("enclosure without url, length or type")
        guid = item.find("guid")
        if guid is not None and guid.get("isPermaLink") not in (None, "true", "false"):
            problems.append("bad isPermaLink")
    return problems


def check_feed(data: bytes, name: str = "") -> etree._Element:
    """Assert ``data`` is a valid feed; return its root element."""
    parsed = feedparser.parse(data)
    assert not parsed.bozo, (name, parsed.get("bozo_exception"))
    root = strict_xml(data)
    if root.tag == f"{ATOM}feed":
        schema = atom_schema()
        assert schema.validate(root.getroottree()), (name, str(schema.error_log.last_error))
    else:
        assert rss_problems(root) == [], name
    return root


def check_feed_files(folder: Path) -> dict[str, etree._Element]:
    """Every ``*.xml`` under ``folder`` checked; relative path -> root element."""
    found = {}
    for path in sorted(Path(folder).rglob("*.xml")):
        found[path.relative_to(folder).as_posix()] = check_feed(path.read_bytes(), str(path))
    assert found, f"no feed under {folder}"
    return found


def tombstones(root: etree._Element) -> dict[str, str]:
    """RFC 6721 deleted entries of a feed (Atom feed or RSS channel): ref -> when."""
    parent = root if root.tag == f"{ATOM}feed" else root.find("channel")
    return {e.get("ref"): e.get("when") for e in parent.findall(f"{TOMBSTONES}deleted-entry")}


def entry_ids(root: etree._Element) -> list[str]:
    """Ids of a feed's entries (Atom ``id``, RSS ``guid``), in order; RSS notices included."""
    if root.tag == f"{ATOM}feed":
        return [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    return [i.findtext("guid") for i in root.find("channel").findall("item")]


def links(root: etree._Element) -> dict[str, str]:
    """Feed-level links by rel (Atom links, or the atom:link elements of an RSS channel)."""
    parent = root if root.tag == f"{ATOM}feed" else root.find("channel")
    found = {}
    for link in parent.findall(f"{ATOM}link"):
        found.setdefault(link.get("rel", "alternate"), link.get("href"))
    return found


def is_archive(root: etree._Element) -> bool:
    parent = root if root.tag == f"{ATOM}feed" else root.find("channel")
    return parent.find(f"{HISTORY}archive") is not None
