"""Feeds over time, in real git histories: corrections, takedowns, bursts.

Each test makes a repository with real ``git``, merges branches into ``main``
the way editors do (``--no-ff``, at chosen times), builds the site with
Pelican (publishconf.py) and reads the feed files as partners would:
feedparser, a strict XML parser and the Atom RELAX NG schema.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import feedparser
import pytest

from feedcheck import check_feed_files, entry_ids, strict_xml, tombstones
from gitsite import (SITEURL, Repo, add_item, at, edit_body, item_folder, new_repo,
                     set_field)
from sitefactory import make_photo

ID = "tag:mttq.soctrang.example,2025:tin-bai/"


def warnings_by_file(report: dict) -> dict[str, list[str]]:
    return {f["path"]: sorted(p["code"] for p in f["problems"] if p["severity"] == "warning")
            for f in report["files"]}


def entries(output: Path, feed: str = "all", fmt: str = "atom") -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((output / "feeds" / f"{feed}.{fmt}.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {e.id.rsplit("/", 1)[-1]: e for e in parsed.entries}


def feed_updated(output: Path, feed: str = "all") -> dict[str, dt.datetime]:
    atom = feedparser.parse((output / "feeds" / f"{feed}.atom.xml").read_bytes())
    rss = feedparser.parse((output / "feeds" / f"{feed}.rss.xml").read_bytes())
    return {"atom": dt.datetime.fromisoformat(atom.feed.updated),
            "rss": dt.datetime(*rss.feed.updated_parsed[:6], tzinfo=dt.timezone.utc)}


@pytest.fixture
def repo(tmp_path) -> Repo:
    return new_repo(tmp_path / "site")


def test_a_merged_correction_moves_updated_keeps_the_id_and_is_flagged_in_the_pull_request(repo):
    def first_items():
        add_item(repo, "tin-duoc-sua", 1, Tags="Vì người nghèo")
        add_item(repo, "tin-giu-nguyen", 2, Tags="Giám sát")

    repo.merge("hai-tin", at("2025-05-20 09:00"), first_items)
    before = repo.build("2025-05-21")
    old = entries(before)
    assert set(old) == {"tin-duoc-sua", "tin-giu-nguyen"}
    for entry in old.values():
        assert entry.updated == entry.published  # never corrected

    # The pull request: a text correction of one item, a tag change of the other.
    repo.git("checkout", "-qb", "sua-tin")
    edit_body(repo, "tin-duoc-sua", "Nội dung tin", "Nội dung tin (đã đính chính số liệu)")
    set_field(repo, "tin-giu-nguyen", "Tags", "Giám sát, Đối thoại")
    repo.commit("Đính chính", at("2025-06-02 15:00"))
    warnings = warnings_by_file(repo.check())
    assert warnings["content/tin/2025/05/tin-duoc-sua/index.md"] == ["article.correction"]
    assert warnings["content/tin/2025/05/tin-giu-nguyen/index.md"] == []  # tags only
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "sua-tin", "-m", "Hợp nhất: đính chính",
             when=at("2025-06-02 16:30"))

    after = repo.build("2025-06-03")
    check_feed_files(after / "feeds")
    for fmt in ("atom", "rss"):
        new, was = entries(after, fmt=fmt), entries(before, fmt=fmt)
        corrected = new["tin-duoc-sua"]
        assert corrected.id == was["tin-duoc-sua"].id == ID + "tin-duoc-sua"
        assert corrected.published_parsed == was["tin-duoc-sua"].published_parsed
        assert "đã đính chính số liệu" in corrected.content[0].value
        untouched = new["tin-giu-nguyen"]
        assert untouched.updated_parsed == untouched.published_parsed
    atom = entries(after)
    assert dt.datetime.fromisoformat(atom["tin-duoc-sua"].updated) == at("2025-06-02 16:30")
    rss_item = strict_xml((after / "feeds" / "all.rss.xml").read_bytes()).find(
        "channel/item[guid='%stin-duoc-sua']" % ID)
    assert rss_item.findtext("{http://purl.org/dc/terms/}modified") == "2025-06-02T16:30:00+07:00"
    # The item's page says it was corrected, and its JSON-LD's dateModified too.
    import json as json_lib

    from bs4 import BeautifulSoup

    html = (after / "tin-bai" / "tin-duoc-sua" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".item-corrected time")["datetime"] == "2025-06-02T16:30:00+07:00"
    ld = json_lib.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert ld["dateModified"] == "2025-06-02T16:30:00+07:00"
    untouched_page = (after / "tin-bai" / "tin-giu-nguyen" / "index.html").read_text(encoding="utf-8")
    assert "item-corrected" not in untouched_page
    # The feeds' own dates follow the newest change: the site, topic, unit and tag feeds.
    for feed in ("all", "chu-de/van-dong-phong-trao", "don-vi/ban-pt-tg", "tu-khoa/vi-nguoi-ngheo"):
        assert set(feed_updated(after, feed).values()) == {at("2025-06-02 16:30")}, feed
    assert feed_updated(after, "tu-khoa/giam-sat")["atom"] < at("2025-06-01 00:00")

    # The editor decides it was minor: Modified: wins over the history.
    def minor():
        set_field(repo, "tin-duoc-sua", "Modified", "2025-05-20 09:00")

    repo.merge("sua-nho", at("2025-06-05 10:00"), minor)
    assert repo.check("HEAD~1")["ok"] is True
    final = entries(repo.build("2025-06-06"))
    assert final["tin-duoc-sua"].updated_parsed == final["tin-duoc-sua"].published_parsed


def test_a_photo_replaced_after_publication_is_a_correction(repo):
    repo.merge("tin", at("2025-05-20 09:00"), lambda: add_item(repo, "tin-doi-anh", 3))

    def new_photo():
        make_photo(item_folder(repo, "tin-doi-anh") / "anh-1.jpg", size=(640, 427), seed=77)

    repo.git("checkout", "-qb", "doi-anh")
    new_photo()
    repo.commit("Đổi ảnh", at("2025-06-01 08:00"))
    notices = warnings_by_file(repo.check())
    assert notices["content/tin/2025/05/tin-doi-anh/index.md"] == ["article.correction"]
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "doi-anh", "-m", "Hợp nhất", when=at("2025-06-01 10:00"))
    entry = entries(repo.build("2025-06-02"))["tin-doi-anh"]
    assert dt.datetime.fromisoformat(entry.updated) == at("2025-06-01 10:00")


def test_a_withdrawn_item_is_published_as_withdrawn_for_30_days_and_its_page_says_so(repo):
    def items():
        add_item(repo, "tin-con-lai", 4)
        add_item(repo, "tin-bi-go", 5, Unit="hoi-nong-dan", Category="giam-sat-phan-bien",
                 Tags="Đối thoại")
        add_item(repo, "tin-bi-xoa", 6)

    repo.merge("ba-tin", at("2025-05-20 09:00"), items)
    first = repo.build("2025-05-21")
    assert {"tin-bi-go", "tin-bi-xoa"} <= set(entries(first))
    assert entries(first, "don-vi/hoi-nong-dan").keys() == {"tin-bi-go"}

    # The pull request that takes them down: one set to draft, one deleted.
    repo.git("checkout", "-qb", "go-tin")
    set_field(repo, "tin-bi-go", "Status", "draft")
    shutil.rmtree(item_folder(repo, "tin-bi-xoa"))
    repo.commit("Gỡ hai tin", at("2025-06-10 08:00"))
    warnings = warnings_by_file(repo.check())
    assert warnings["content/tin/2025/05/tin-bi-go/index.md"] == ["article.withdrawn"]
    assert warnings["content/tin/2025/05/tin-bi-xoa/index.md"] == ["article.withdrawn"]
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "go-tin", "-m", "Hợp nhất: gỡ", when=at("2025-06-10 09:00"))

    output = repo.build("2025-06-11")
    roots = check_feed_files(output / "feeds")
    when = "2025-06-10T09:00:00+07:00"
    gone = {ID + "tin-bi-go": when, ID + "tin-bi-xoa": when}
    for fmt in ("atom", "rss"):
        assert tombstones(roots[f"all.{fmt}.xml"]) == gone
        assert tombstones(roots[f"don-vi/hoi-nong-dan.{fmt}.xml"]) == {ID + "tin-bi-go": when}
        assert tombstones(roots[f"chu-de/giam-sat-phan-bien.{fmt}.xml"]) == {ID + "tin-bi-go": when}
        assert tombstones(roots[f"tu-khoa/doi-thoai.{fmt}.xml"]) == {ID + "tin-bi-go": when}
        assert tombstones(roots[f"don-vi/ban-pt-tg.{fmt}.xml"]) == {ID + "tin-bi-xoa": when}
    # Atom: only tombstones; the entries are the remaining item.
    assert entry_ids(roots["all.atom.xml"]) == [ID + "tin-con-lai"]
    assert entry_ids(roots["don-vi/hoi-nong-dan.atom.xml"]) == []  # the unit's feed is kept, empty
    assert feed_updated(output, "don-vi/hoi-nong-dan")["atom"] == at("2025-06-10 09:00")
    # RSS: a notice item per withdrawn item, same guid, first, marked "Đã gỡ".
    rss = feedparser.parse((output / "feeds" / "all.rss.xml").read_bytes())
    notices = [e for e in rss.entries if e.title.startswith("[Đã gỡ]")]
    assert sorted(e.id for e in notices) == sorted(gone)
    assert rss.entries[:2] == notices
    for notice in notices:
        assert [t.term for t in notice.tags] == ["Đã gỡ"]
        assert notice.link == f"{SITEURL}/tin-bai/{notice.id.rsplit('/', 1)[-1]}/"
        assert "đã được gỡ" in notice.summary
    # The old addresses: a page that says the item was withdrawn, and nginx's marker.
    for slug in ("tin-bi-go", "tin-bi-xoa"):
        page = (output / "tin-bai" / slug / "index.html").read_text(encoding="utf-8")
        assert "Tin, bài đã được gỡ" in page and 'name="robots" content="noindex"' in page
        assert "10/06/2025" in page
        assert (output / "tin-bai" / slug / "da-go.txt").is_file()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "tin-bi-go" not in sitemap

    # Rebuilt much later without new content (the daily rebuild): still there — the
    # 30 days count to the content's newest change, never beyond the build's today.
    idle = check_feed_files(repo.build("2026-01-01", output="output-idle") / "feeds")
    assert tombstones(idle["all.atom.xml"]) == gone
    # New content 31 days after the takedown: no more tombstones in the subscription
    # feeds; the page stays; the month's archive keeps the tombstone for good.
    repo.merge("tin-moi", at("2025-07-11 08:00"),  # a unit of the merged city (July 2025)
               lambda: add_item(repo, "tin-moi", 7, Unit="ct-ban-pt-tg"))
    on_the_30th = check_feed_files(repo.build("2025-07-10", output="output-30") / "feeds")
    assert tombstones(on_the_30th["all.atom.xml"]) == gone  # today counts when earlier
    later = repo.build("2025-07-11", output="output-later")
    roots = check_feed_files(later / "feeds")
    assert tombstones(roots["all.atom.xml"]) == {}
    assert tombstones(roots["all.rss.xml"]) == {}
    assert not [e for e in feedparser.parse((later / "feeds" / "all.rss.xml").read_bytes()
                                            ).entries if e.title.startswith("[Đã gỡ]")]
    assert tombstones(roots["luu-tru/2025-05.atom.xml"]) == gone
    assert (later / "tin-bai" / "tin-bi-go" / "index.html").is_file()

    # Published again: the item is back, no tombstone, no withdrawn page.
    repo.merge("dang-lai", at("2025-07-12 09:00"),
               lambda: set_field(repo, "tin-bi-go", "Status", "published"))
    again = repo.build("2025-07-13", output="output-again")
    roots = check_feed_files(again / "feeds")
    assert tombstones(roots["luu-tru/2025-05.atom.xml"]) == {ID + "tin-bi-xoa": when}
    assert ID + "tin-bi-go" in entry_ids(roots["all.atom.xml"])
    assert not (again / "tin-bai" / "tin-bi-go" / "da-go.txt").exists()


def test_eighty_items_merged_at_once_all_reach_the_feeds_with_distinct_times(repo):
    slugs = [f"tin-dot-{n:02d}" for n in range(80)]

    def burst():
        for n, slug in enumerate(slugs):
            add_item(repo, slug, 100 + n % 3)  # three photos: few renditions to encode

    repo.merge("dot-tin", at("2025-05-30 17:00"), burst)
    output = repo.build("2025-05-31")  # MTTQ_FEED_ITEMS stays 50
    roots = check_feed_files(output / "feeds")
    in_feeds = {i for name, root in roots.items() for i in entry_ids(root)}
    assert {ID + s for s in slugs} <= in_feeds
    # The site feed holds them all (the last 7 days), each with its own time: the merge
    # time minus 0, 1, 2 … seconds in path order, so the order is stable.
    atom = entries(output)
    assert len(atom) == 80
    times = {slug: dt.datetime.fromisoformat(atom[slug].published) for slug in slugs}
    assert len(set(times.values())) == 80
    assert times == {slug: at("2025-05-30 17:00") - dt.timedelta(seconds=n)
                     for n, slug in enumerate(slugs)}
    assert [e.id for e in feedparser.parse((output / "feeds" / "all.rss.xml").read_bytes(
    )).entries] == [ID + s for s in slugs]
    # The same on every page: the item pages show the same time.
    page = (output / "tin-bai" / slugs[5] / "index.html").read_text(encoding="utf-8")
    assert times[slugs[5]].isoformat()[:19] in page


def test_two_builds_of_the_same_commit_give_the_same_feed_bytes(repo):
    repo.merge("tin", at("2025-05-20 09:00"), lambda: [add_item(repo, f"tin-{n}", n)
                                                     for n in range(3)])
    repo.merge("sua", at("2025-05-25 09:00"),
               lambda: edit_body(repo, "tin-1", "Nội dung", "Nội dung đã sửa"))
    repo.merge("go", at("2025-05-26 09:00"),
               lambda: set_field(repo, "tin-2", "Status", "draft"))

    def feeds(output: Path) -> dict[str, bytes]:
        return {p.relative_to(output).as_posix(): p.read_bytes()
                for p in sorted(output.rglob("*")) if p.is_file() and (
                    p.suffix in (".xml", ".opml", ".txt") or "tin-2" in p.as_posix())}

    first = feeds(repo.build("2025-05-27"))
    again = feeds(repo.build("2025-05-27", output="output-2"))
    fresh = feeds(repo.build("2025-05-27", output="output-3", cache="cache-fresh"))
    assert first == again == fresh
    assert "tin-bai/tin-2/index.html" in first


def test_a_second_build_of_the_same_commit_gives_the_same_feeds_from_the_kept_history(repo):
    """The history git tells (corrections, takedowns) is kept in ``cache/history``
    by commit: a build of the same commit again gives the same feed bytes as a
    build that reads the whole history afresh."""
    repo.merge("hai-tin", at("2025-05-20 09:00"), lambda: (
        add_item(repo, "tin-duoc-sua", 1), add_item(repo, "tin-bi-go", 2)))
    repo.git("checkout", "-qb", "sua-va-go")
    edit_body(repo, "tin-duoc-sua", "Nội dung tin", "Nội dung tin (đã đính chính)")
    shutil.rmtree(item_folder(repo, "tin-bi-go"))
    repo.commit("Đính chính, gỡ", at("2025-06-02 15:00"))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "sua-va-go", "-m", "Hợp nhất", when=at("2025-06-02 16:30"))
    first = repo.build("2025-06-03", output="first", cache="kept")
    assert list((first.parent / "kept" / "history").glob("*.pickle"))
    second = repo.build("2025-06-03", output="second", cache="kept")
    fresh = repo.build("2025-06-03", output="fresh", cache="fresh")
    for name in ("all.atom.xml", "all.rss.xml"):
        assert (second / "feeds" / name).read_bytes() == (fresh / "feeds" / name).read_bytes()
    assert entries(second)["tin-duoc-sua"].updated != entries(second)["tin-duoc-sua"].published
    assert ID + "tin-bi-go" in tombstones(strict_xml((second / "feeds" / "all.atom.xml").read_bytes()))
