"""Feeds as partners read them: a publish build served over HTTP, read with feedparser.

The provincial newspaper, the radio–TV station and the central Front's site
republish from these feeds: every entry must be complete (absolute links,
photos with their sizes), every URL must answer, and an unchanged site must
give byte-identical feeds so their readers never see an item twice.
"""
from __future__ import annotations

import datetime as dt
import functools
import threading
import urllib.request
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser

from mttq.commands.build import load_settings
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, page
from feedcheck import check_feed_files, entry_ids, is_archive, links, strict_xml
from fixture_content import DRAFT_SLUG, FUTURE_SLUG, ITEMS, write_fixture_content
from mttq.outputs.feeds import absolutize_html
from mttq.settings import registries_from_settings
from mttq.core.times import LOCAL_TZ
from sitefactory import write_item

PUBLISH = ROOT / "publishconf.py"
FEED_ITEMS = 5  # fewer than the fixture's 7 items: the site feed is cut to the newest
FORMATS = ("rss", "atom")
AUTHOR = "Nguyễn Thị Lan"  # sitefactory's default Author


class _Handler(SimpleHTTPRequestHandler):
    """A static server configured as the production one should be for feeds."""

    def guess_type(self, path):
        path = str(path)
        if path.endswith(".rss.xml"):
            return "application/rss+xml; charset=utf-8"
        if path.endswith(".atom.xml"):
            return "application/atom+xml; charset=utf-8"
        return super().guess_type(path)

    def log_message(self, *args):
        pass


@contextmanager
def serve(root: Path):
    """Serve ``root`` (it may appear later: builds swap folders in) on a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def read_feed(url: str):
    """Fetch and parse like a partner's reader; the raw HTML of contents is kept."""
    parsed = feedparser.parse(url, sanitize_html=False)
    assert parsed.get("status") == 200, url
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def feed_files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted((output / "feeds").rglob("*.xml"))}


def newest(slugs, count=FEED_ITEMS):
    return sorted(slugs, key=lambda s: ITEMS[s][3], reverse=True)[:count]


def published_at(slug: str) -> dt.datetime:
    return dt.datetime.fromisoformat(ITEMS[slug][3]).replace(tzinfo=LOCAL_TZ)


def parse_time(text: str) -> dt.datetime:
    """An RSS (RFC 822) or Atom (RFC 3339) time, keeping its offset."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return parsedate_to_datetime(text)


def slug_of(entry) -> str:
    return entry.link.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture content built with publishconf.py and served over HTTP."""
    base = tmp_path_factory.mktemp("feeds-site")
    expected = write_fixture_content(base / "content")
    with serve(base / "output") as siteurl:
        result = build(base / "content", base / "output", base / "cache",
                       settings_file=PUBLISH, SITEURL=siteurl, MTTQ_FEED_ITEMS=FEED_ITEMS)
        assert result.ok, result.errors
        yield base, siteurl, result, expected


def all_feeds(siteurl, expected):
    """(url, expected slugs newest first) of every feed with items, in both formats."""
    feeds = [("feeds/all", newest(ITEMS))]
    feeds += [(f"feeds/chu-de/{t}", newest(s)) for t, s in expected["by_topic"].items()]
    feeds += [(f"feeds/don-vi/{u}", newest(s)) for u, s in expected["by_unit"].items()]
    feeds += [(f"feeds/tu-khoa/{t}", newest(s)) for t, s in tags_of_fixture().items()]
    return [(f"{siteurl}/{path}.{fmt}.xml", slugs) for path, slugs in feeds for fmt in FORMATS]


def tags_of_fixture() -> dict[str, list[str]]:
    """Tag slug -> slugs of the fixture's items with that tag."""
    from mttq.core.text import slugify

    found: dict[str, list[str]] = {}
    for slug, (*_, tags) in ITEMS.items():
        for tag in tags.split(","):
            found.setdefault(slugify(tag.strip()), []).append(slug)
    return found


def test_the_publish_build_writes_a_feed_for_every_topic_unit_tag_and_month(site):
    base, _, result, expected = site
    assert result.warnings == []
    written = set(feed_files(base / "output"))
    registries = registries_from_settings({})
    wanted = {f"feeds/all.{f}.xml" for f in FORMATS}
    # Every topic and unit of the registries, with items or not: a feed never disappears.
    wanted |= {f"feeds/chu-de/{t}.{f}.xml" for t in registries.topics for f in FORMATS}
    wanted |= {f"feeds/don-vi/{u}.{f}.xml" for u in registries.units for f in FORMATS}
    wanted |= {f"feeds/tu-khoa/{t}.{f}.xml" for t in tags_of_fixture() for f in FORMATS}
    months = {date[:7] for *_, date, _ in ITEMS.values()}
    wanted |= {f"feeds/luu-tru/{m}.{f}.xml" for m in months for f in FORMATS}
    assert written == wanted
    assert all(name.isascii() for name in written)
    assert set(registries.units) - set(expected["by_unit"])  # some units have no item


def test_every_feed_file_is_valid_for_feedparser_strict_xml_and_the_atom_schema(site):
    base, _, _, _ = site
    roots = check_feed_files(base / "output" / "feeds")
    assert len(roots) == len(feed_files(base / "output"))


def test_feeds_of_topics_and_units_without_items_are_valid_and_empty(site):
    _, siteurl, _, expected = site
    registries = registries_from_settings({})
    empty_units = sorted(set(registries.units) - set(expected["by_unit"]))
    for fmt in FORMATS:
        parsed = read_feed(f"{siteurl}/feeds/don-vi/{empty_units[0]}.{fmt}.xml")
        assert parsed.entries == []
        assert parsed.feed.title.startswith(registries.units[empty_units[0]].name)
        fetch(parsed.feed.link)  # the units' index page: it answers 200


def test_every_feed_parses_and_lists_exactly_its_newest_items(site):
    _, siteurl, _, expected = site
    for url, slugs in all_feeds(siteurl, expected):
        parsed = read_feed(url)
        assert parsed.version in ("rss20", "atom10"), url
        assert parsed.feed.language == "vi", url
        assert [e.link for e in parsed.entries] == [
            f"{siteurl}/tin-bai/{s}/" for s in slugs], url
        newest_update = max(parse_time(e.updated) for e in parsed.entries)
        assert parse_time(parsed.feed.updated) == newest_update, url  # never "now"
    site_feed = read_feed(f"{siteurl}/feeds/all.rss.xml")
    # At least MTTQ_FEED_ITEMS, plus every item of the MTTQ_FEED_DAYS (7) days before
    # the newest: the fixture's items are weeks apart, so exactly the 5 newest.
    assert len(site_feed.entries) == FEED_ITEMS < len(ITEMS)
    everything = " ".join(e.link for e in site_feed.entries)
    assert DRAFT_SLUG not in everything and FUTURE_SLUG not in everything


def test_topic_unit_and_tag_feeds_hold_only_their_own_items(site):
    _, siteurl, _, expected = site
    for topic, slugs in expected["by_topic"].items():
        for fmt in FORMATS:
            parsed = read_feed(f"{siteurl}/feeds/chu-de/{topic}.{fmt}.xml")
            assert {slug_of(e) for e in parsed.entries} == set(slugs)
            topics = {(t.term, t.scheme) for e in parsed.entries for t in e.tags
                      if t.scheme == f"{siteurl}/chu-de/"}
            name = registries_from_settings({}).topics[topic].name
            assert topics == {(topic if fmt == "atom" else name, f"{siteurl}/chu-de/")}
    for unit, slugs in expected["by_unit"].items():
        for fmt in FORMATS:
            parsed = read_feed(f"{siteurl}/feeds/don-vi/{unit}.{fmt}.xml")
            assert {slug_of(e) for e in parsed.entries} == set(slugs)
            names = {c.name for e in parsed.entries for c in e.contributors}
            assert len(names) == 1
    for tag, slugs in tags_of_fixture().items():
        parsed = read_feed(f"{siteurl}/feeds/tu-khoa/{tag}.atom.xml")
        assert {slug_of(e) for e in parsed.entries} == set(slugs)
        assert all(tag in {t.term for t in e.tags} for e in parsed.entries)


def test_the_site_feed_links_its_monthly_archives_and_they_hold_every_item(site):
    _, siteurl, _, _ = site
    for fmt in FORMATS:
        root = strict_xml(fetch(f"{siteurl}/feeds/all.{fmt}.xml")[2])
        seen, url, months = set(), links(root).get("prev-archive"), []
        while url:  # RFC 5005: prev-archive from the subscription feed back to the first month
            archive = strict_xml(fetch(url)[2])
            assert is_archive(archive)
            assert links(archive)["current"] == f"{siteurl}/feeds/all.{fmt}.xml"
            months.append(url.rsplit("/", 1)[-1][:7])
            seen |= {i.rsplit("/", 1)[-1] for i in entry_ids(archive)}
            url = links(archive).get("prev-archive")
        assert months == sorted({d[:7] for *_, d, _ in ITEMS.values()}, reverse=True)
        assert seen == set(ITEMS)
        first = strict_xml(fetch(f"{siteurl}/feeds/luu-tru/{months[-1]}.{fmt}.xml")[2])
        assert links(first)["next-archive"].endswith(f"/feeds/luu-tru/{months[-2]}.{fmt}.xml")


def test_each_entry_carries_everything_a_partner_republishes(site):
    _, siteurl, _, _ = site
    # The id authority is pinned in the settings, independent of where the site is served.
    host = load_settings(ROOT / "publishconf.py")["MTTQ_FEED_ID_AUTHORITY"]
    assert host and host not in siteurl
    for fmt in FORMATS:
        parsed = read_feed(f"{siteurl}/feeds/all.{fmt}.xml")
        for entry in parsed.entries:
            slug = slug_of(entry)
            item_type, topic, unit, date, _ = ITEMS[slug]
            assert entry.title == f"Tiêu đề {slug.replace('-', ' ')}"
            assert entry.id == f"tag:{host},2025:tin-bai/{slug}"
            if fmt == "rss":
                assert entry.guidislink is False  # <guid isPermaLink="false">
            published, updated = parse_time(entry.published), parse_time(entry.updated)
            assert published == updated == published_at(slug)
            assert published.utcoffset() == updated.utcoffset() == dt.timedelta(hours=7)
            assert entry.author == AUTHOR
            assert [c.name for c in entry.contributors] == [unit_name(unit)]
            topic_name = registries_from_settings({}).topics[topic].name
            tag_names = [t.strip() for t in ITEMS[slug][4].split(",")]
            categories = [(t.get("label") or t.term, t.scheme) for t in entry.tags]
            assert categories == [(topic_name, f"{siteurl}/chu-de/")] + [
                (name, f"{siteurl}/tu-khoa/") for name in tag_names]
            assert entry.summary == "Tóm tắt ngắn của tin."
            body = BeautifulSoup(entry.content[0].value, "html.parser")
            assert len(entry.content) == 1
            # Plain <figure><img srcset>: no <picture>/<source> for sanitizers to mangle.
            assert body.select("figure.photo > img[srcset][src][width][height][alt]")
            assert not body.select("picture, source, img[loading]")
            for tag in body.select("[href], [src]"):
                assert (tag.get("href") or tag.get("src")).startswith(f"{siteurl}/")
            # Media RSS: every photo with its caption and credit (the author by default).
            assert [c["content"] for c in entry.media_credit] == [AUTHOR] * len(
                entry.media_content)
            assert {c["role"] for c in entry.media_credit} == {"photographer"}
            enclosure = entry.enclosures[0]
            assert enclosure.type == "image/jpeg" and enclosure.href.endswith("-1200.jpg")
            assert int(enclosure.length) > 0
            assert entry.media_content[0]["url"] == enclosure.href
            assert entry.media_content[0]["filesize"] == enclosure.length
            assert entry.media_thumbnail[0]["url"].endswith("-480.jpg")
            photos = 2 if slug == "ra-quan-nha-dai-doan-ket" else 1
            assert len(entry.media_content) == photos


def unit_name(unit: str) -> str:
    return registries_from_settings({}).units[unit].name


def test_every_link_image_and_enclosure_answers_with_the_declared_type_and_length(site):
    _, siteurl, _, expected = site
    checked: dict[str, tuple] = {}

    def check(url, mime=None, length=None):
        assert url.startswith(f"{siteurl}/"), url
        if url not in checked:
            checked[url] = fetch(url)
        status, headers, body = checked[url]
        assert status == 200, url
        if mime:
            assert headers.get_content_type() == mime, url
        assert int(headers["Content-Length"]) == len(body)
        if length is not None:
            assert int(headers["Content-Length"]) == int(length), url

    for url, _ in all_feeds(siteurl, expected):
        parsed = read_feed(url)
        for link in parsed.feed.links:
            check(link.href)
        for entry in parsed.entries:
            check(entry.link, "text/html")
            for enclosure in entry.enclosures:
                check(enclosure.href, enclosure.type, enclosure.length)
            for media in entry.media_content:
                check(media["url"], media["type"], media["filesize"])
            for thumbnail in entry.media_thumbnail:
                check(thumbnail["url"], "image/jpeg")
            body = BeautifulSoup(entry.content[0].value, "html.parser")
            for tag in body.select("[href]"):
                check(tag["href"])
            for tag in body.select("[src]"):
                check(tag["src"], "image/jpeg")
            for tag in body.select("[srcset]"):
                for candidate in tag["srcset"].split(","):
                    check(candidate.split()[0], tag.get("type") or "image/jpeg")
    assert len(checked) > 40


def test_a_second_build_of_unchanged_content_gives_identical_feeds(site):
    base, siteurl, _, _ = site
    again = build(base / "content", base / "output-again", base / "cache",
                  settings_file=PUBLISH, SITEURL=siteurl, MTTQ_FEED_ITEMS=FEED_ITEMS)
    assert again.ok, again.errors
    first, second = feed_files(base / "output"), feed_files(base / "output-again")
    assert first and first == second
    # A build from an empty cache too (e.g. a fresh CI runner).
    fresh = build(base / "content", base / "output-fresh", base / "cache-fresh",
                  settings_file=PUBLISH, SITEURL=siteurl, MTTQ_FEED_ITEMS=FEED_ITEMS)
    assert fresh.ok, fresh.errors
    assert feed_files(base / "output-fresh") == first


def test_every_page_links_its_feeds_and_the_rss_page_lists_them_all(site):
    base, siteurl, _, expected = site
    output = base / "output"

    def alternates(relative):
        soup = page(output, relative)
        return {link["href"]: link["type"] for link in soup.select("link[rel=alternate]")}

    site_feeds = {f"{siteurl}/feeds/all.rss.xml": "application/rss+xml",
                  f"{siteurl}/feeds/all.atom.xml": "application/atom+xml"}
    for relative in ("", "tin-bai/doi-thoai-voi-nhan-dan/", "luu-tru/", "gioi-thieu/", "rss/"):
        assert alternates(relative) == site_feeds, relative
    topic = "giam-sat-phan-bien"
    assert alternates(f"chu-de/{topic}/") == {
        **site_feeds,
        f"{siteurl}/feeds/chu-de/{topic}.rss.xml": "application/rss+xml",
        f"{siteurl}/feeds/chu-de/{topic}.atom.xml": "application/atom+xml"}
    unit = "ke-sach"
    assert alternates(f"don-vi/{unit}/") == {
        **site_feeds,
        f"{siteurl}/feeds/don-vi/{unit}.rss.xml": "application/rss+xml",
        f"{siteurl}/feeds/don-vi/{unit}.atom.xml": "application/atom+xml"}
    home = page(output, "")
    assert home.select_one(f"footer a[href='{siteurl}/rss/']").get_text() == "RSS"
    rss_page = page(output, "rss/")
    listed = {a["href"] for a in rss_page.select("main .feed-list a[href$='.xml']")}
    assert {url for url, _ in all_feeds(siteurl, expected)} == listed  # the feeds with items
    rules = " ".join(rss_page.select_one("#quy-dinh").find_next("ul").get_text(" ").split())
    assert "ít nhất 5 tin, bài mới nhất" in rules and "7 ngày" in rules and "00:05" in rules
    assert rss_page.select_one("#dang-lai")
    # The OPML lists the same feeds (RSS addresses), and every one answers.
    opml_url = rss_page.select_one("main a[href$='.opml']")["href"]
    status, headers, body = fetch(opml_url)
    outlines = strict_xml(body).findall(".//outline[@xmlUrl]")
    assert {o.get("xmlUrl") for o in outlines} == {u for u in listed if u.endswith(".rss.xml")}
    for outline in outlines:
        assert fetch(outline.get("htmlUrl"))[0] == 200
        assert outline.get("type") == "rss" and outline.get("text")


def test_editing_an_item_changes_its_update_time_only(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-cu", date="2025-05-10 08:00", seed=1)
    write_item(content, "tin-sua", date="2025-05-12 08:00", seed=2)
    with serve(tmp_path / "output") as siteurl:
        def entries():
            result = build(content, tmp_path / "output", tmp_path / "cache",
                           settings_file=PUBLISH, SITEURL=siteurl)
            assert result.ok, result.errors
            return {fmt: {slug_of(e): e for e in read_feed(f"{siteurl}/feeds/all.{fmt}.xml").entries}
                    for fmt in FORMATS}

        before = entries()
        write_item(content, "tin-sua", date="2025-05-12 08:00", seed=2,
                   extra={"Modified": "2025-06-02 16:30"})
        after = entries()
    for fmt in FORMATS:
        old, new = before[fmt]["tin-sua"], after[fmt]["tin-sua"]
        assert new.id == old.id
        assert parse_time(new.published) == parse_time(old.published)
        assert parse_time(new.updated) == dt.datetime(2025, 6, 2, 16, 30, tzinfo=LOCAL_TZ)
        assert parse_time(old.updated) == dt.datetime(2025, 5, 12, 8, 0, tzinfo=LOCAL_TZ)
        # The untouched item is the same entry; the order stays by publication time.
        assert after[fmt]["tin-cu"] == before[fmt]["tin-cu"]
        assert list(after[fmt]) == ["tin-sua", "tin-cu"]


def test_titles_with_markup_characters_reach_partners_unchanged(tmp_path):
    title = 'Hội nghị "Dân vận khéo" <lần 2> & tổng kết \'năm\' — A&B &amp; <b>x</b>'
    content = tmp_path / "content"
    write_item(content, "tieu-de-ky-tu-dac-biet", title=title, seed=3,
               Summary='Tóm tắt có <thẻ> & "ngoặc kép".')
    with serve(tmp_path / "output") as siteurl:
        result = build(content, tmp_path / "output", tmp_path / "cache",
                       settings_file=PUBLISH, SITEURL=siteurl)
        assert result.ok, result.errors
        for fmt in FORMATS:
            entry = read_feed(f"{siteurl}/feeds/all.{fmt}.xml").entries[0]
            assert entry.title == title, fmt
            summary = entry.summary
            if fmt == "rss":  # RSS descriptions are HTML: the text arrives escaped
                summary = BeautifulSoup(summary, "html.parser").get_text()
            assert summary == 'Tóm tắt có <thẻ> & "ngoặc kép".', fmt


def test_the_development_build_writes_feeds_too(fixture_site):
    base, result, _ = fixture_site
    assert result.ok and result.warnings == []
    parsed = feedparser.parse((base / "output" / "feeds" / "all.atom.xml").read_bytes())
    assert not parsed.bozo
    assert len(parsed.entries) == len(ITEMS)  # default MTTQ_FEED_ITEMS = 50


@pytest.mark.parametrize("value, expected", [
    ("/anh/x/a-800.jpg", "https://example.vn/mttq/anh/x/a-800.jpg"),
    ("https://example.vn/mttq/anh/a.jpg", "https://example.vn/mttq/anh/a.jpg"),
    ("../khac/", "https://example.vn/mttq/tin-bai/khac/"),
    ("#doan-2", "https://example.vn/mttq/tin-bai/mot/#doan-2"),
    ("mailto:bbt@example.vn", "mailto:bbt@example.vn"),
])
def test_body_urls_become_absolute_from_siteurl(value, expected):
    html = f'<p><a href="{value}">x</a></p>'
    out = absolutize_html(html, "https://example.vn/mttq/tin-bai/mot/", "https://example.vn/mttq")
    assert out == f'<p><a href="{expected}">x</a></p>'


def test_srcset_is_made_absolute_and_other_markup_is_untouched():
    html = ('<figure class="photo"><picture><source srcset="/anh/a-480.webp 480w, '
            '/anh/a-800.webp 800w" type="image/webp"><img alt="a > b &amp; c" '
            'src="/anh/a-800.jpg" srcset="/anh/a-480.jpg 480w"></picture>'
            '<figcaption>3 &lt; 4</figcaption></figure>')
    out = absolutize_html(html, "https://x.vn/tin-bai/a/", "https://x.vn")
    assert out == html.replace('"/anh/', '"https://x.vn/anh/').replace(
        ", /anh/", ", https://x.vn/anh/")
