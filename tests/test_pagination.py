"""Listings whose older pages keep their items and addresses when items are added.

A reader who bookmarks a page of a topic, a partner site that links one, and
the publish after a merge (which rewrites only the pages that changed) all rely
on an older page showing the same items tomorrow. The site's first page still
shows the newest items.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.paginator import PaginationRule
from pelican.settings import DEFAULT_CONFIG

from conftest import ROOT
from sitefactory import write_item

from mttq.commands.build import build_site
from mttq.outputs.pagination import StablePaginator

PER_PAGE = 12
SETTINGS = {**DEFAULT_CONFIG, "PAGINATION_PATTERNS": [
    # As pelicanconf.py says them (Pelican makes the rules from its settings file).
    PaginationRule(1, "{url}", "{save_as}"),
    PaginationRule(2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
]}


def pages(count: int) -> dict[str, list[int]]:
    """Address -> items of a listing of ``count`` items (item n is the n-th oldest,
    the list newest first), walked as Pelican's writer walks a paginator."""
    items = list(range(count, 0, -1))
    paginator = StablePaginator("chu-de/x/index.html", "chu-de/x/", items, SETTINGS, PER_PAGE)
    return {paginator.page(n).save_as: list(paginator.page(n).object_list)
            for n in range(1, paginator.num_pages + 1)}


@pytest.mark.parametrize("count", range(0, 80))
def test_every_item_is_on_exactly_one_page_and_the_first_page_has_the_newest(count):
    listing = pages(count)
    shown = [item for items in listing.values() for item in items]
    assert sorted(shown) == list(range(1, count + 1))
    assert listing["chu-de/x/index.html"] == list(range(count, max(count - PER_PAGE, 0), -1))
    for address, items in listing.items():
        assert items == sorted(items, reverse=True), address  # newest first on each page
        assert items or count == 0, address  # no empty page


@pytest.mark.parametrize("count", range(0, 80))
def test_adding_the_newest_item_leaves_every_older_page_as_it_was(count):
    before, after = pages(count), pages(count + 1)
    changed = {address for address in after if before.get(address) != after[address]}
    assert set(before) <= set(after)  # no address disappears
    # The first page, the newest older page, and at most one new page.
    assert len(changed) <= 3, changed
    assert "chu-de/x/index.html" in changed
    unchanged = set(before) - changed
    # Older pages: all of them but the newest one keep exactly their items.
    older = sorted((a for a in before if "/trang/" in a), key=lambda a: int(a.split("/")[-2]))
    assert set(older[:-1]) <= unchanged


def test_a_listing_page_keeps_its_address_for_its_items_over_a_month_of_items():
    first = pages(40)
    for count in range(41, 200):
        later = pages(count)
        for address, items in first.items():
            if "/trang/" in address and address != max(
                    (a for a in first if "/trang/" in a), key=lambda a: int(a.split("/")[-2])):
                assert later[address] == items, (count, address)


def test_the_pages_are_numbered_from_the_oldest_and_each_holds_a_full_page():
    listing = pages(12 + 12 * 3 + 5)  # the first page, three blocks, five more
    assert sorted(listing) == ["chu-de/x/index.html", "chu-de/x/trang/1/index.html",
                               "chu-de/x/trang/2/index.html", "chu-de/x/trang/3/index.html"]
    assert listing["chu-de/x/trang/1/index.html"] == list(range(12, 0, -1))  # the oldest twelve
    assert len(listing["chu-de/x/trang/3/index.html"]) == 17  # the newest block takes the rest


# --- on a real site ------------------------------------------------------------------

def _item(content: Path, n: int) -> None:
    day, hour = divmod(n, 8)
    write_item(content, f"tin-so-{n:03d}", title=f"Tin số {n} của Mặt trận",
               date=f"2025-05-{1 + day:02d} {8 + hour:02d}:00",
               Category="van-dong-phong-trao", Unit="my-xuyen", Tags="Vì người nghèo")


def _build(tmp_path: Path, content: Path, name: str, incremental: bool = False) -> Path:
    result = build_site(content, tmp_path / name, ROOT / "publishconf.py", {
        "MTTQ_CACHE_DIR": str(tmp_path / "cache"), "CACHE_PATH": str(tmp_path / "cache" / "pelican"),
        "MTTQ_TODAY": "2025-06-30"}, incremental=incremental)
    assert result.ok, result.errors
    return tmp_path / name


def _listing_pages(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("index.html")
            if "/trang/" in p.as_posix()}


def _links(html: bytes) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.select("main .card-title a")]


def test_on_a_built_site_a_new_item_rewrites_only_the_newest_pages_of_its_listings(tmp_path):
    content = tmp_path / "content"
    for n in range(50):
        _item(content, n)
    before = _build(tmp_path, content, "before")
    _item(content, 50)  # the newest item of the site, its topic, unit, keyword and month
    after = _build(tmp_path, content, "after")

    old, new = _listing_pages(before), _listing_pages(after)
    assert set(old) <= set(new)
    changed = sorted(a for a in new if old.get(a) != new[a])
    listings = {a.split("/trang/")[0] for a in new}
    # home, topic, unit, keyword, month: each its newest older page and at most one new one.
    assert len(listings) >= 4, listings
    for listing in listings:
        mine = [a for a in changed if a.startswith(listing + "/trang/")]
        assert len(mine) <= 2, mine
    # And every page that did not change in bytes still lists the same items (the
    # same holds for a reader: the same address, the same news).
    same = [a for a in old if a not in changed]
    assert same, "no older page kept its bytes"
    assert all(_links(old[a]) == _links(new[a]) for a in same)


def test_following_older_from_the_home_page_reaches_every_item_once_then_newer_comes_back(tmp_path):
    content = tmp_path / "content"
    for n in range(41):
        _item(content, n)
    site = _build(tmp_path, content, "site")

    def page(address: str) -> BeautifulSoup:
        path = site / address.split("://", 1)[-1].split("/", 1)[-1] / "index.html"
        return BeautifulSoup(path.read_bytes(), "html.parser")

    home = BeautifulSoup((site / "index.html").read_bytes(), "html.parser")
    seen = [a["href"] for a in home.select("#tin-moi ~ .cards .card-title a")]
    assert len(seen) == PER_PAGE
    visited, soup = [], home
    while (older := soup.select_one(".pagination a[rel=next]")) is not None:
        assert older.get_text(strip=True).startswith("Cũ hơn")
        visited.append(older["href"])
        soup = page(older["href"])
        seen += [a["href"] for a in soup.select("main .card-title a")]
        # The page says which days it covers, in dd/mm/yyyy.
        assert re.search(r"[Tt]ừ \d\d/\d\d/\d{4} đến \d\d/\d\d/\d{4}", soup.get_text(" "))
    assert len(seen) == len(set(seen)) == 41
    assert len(visited) == 2  # 41 items: the first page and two older pages of 12 and 17
    newer = soup.select_one(".pagination a[rel=prev]")
    assert newer is not None and newer.get_text(strip=True).endswith("Mới hơn")
    assert newer["href"] == visited[-2]
    shutil.rmtree(site)


def test_a_publish_after_one_new_item_renders_the_home_pages_it_changes_and_no_older_one(tmp_path):
    """The home page's first page shows the topic blocks, which change with every
    item; its older pages do not show them, so a publish after one merge takes
    them from the page store as they were instead of rendering them again
    (a stored page is hard-linked: the same file, the same inode)."""
    content = tmp_path / "content"
    for n in range(60):  # the first page, then four older blocks of 12
        _item(content, n)
    site = _build(tmp_path, content, "site", incremental=True)
    older = sorted(p.relative_to(site).as_posix() for p in (site / "trang").rglob("index.html"))
    assert len(older) == 4, older
    inodes = {a: (site / a).stat().st_ino for a in older}
    home = (site / "index.html").read_bytes()

    _item(content, 60)
    site = _build(tmp_path, content, "site", incremental=True)
    assert (site / "index.html").read_bytes() != home  # the new item is on the home page
    by_age = sorted(older, key=lambda a: int(a.split("/")[1]))
    kept = [a for a in older if (site / a).stat().st_ino == inodes[a]]
    # The newest block gains the item that left the first page; the block before
    # it links it ("Mới hơn") and its key holds that neighbour page, items and
    # all, so it is rendered again (to the same bytes). Every older page is the
    # stored file of the previous publish.
    assert sorted(kept) == by_age[:-2], kept


@pytest.mark.parametrize("count", [0, 5, 12, 13, 30, 47])
def test_a_listing_sorted_oldest_first_is_cut_as_pelican_cuts_it_with_every_item_once(count):
    """A site that changes ARTICLE_ORDER_BY (oldest first): the stable cut would
    be wrong for it (new items arrive at the end); its pages are Pelican's."""
    import datetime as dt
    from types import SimpleNamespace

    items = [SimpleNamespace(date=dt.datetime(2026, 1, 1) + dt.timedelta(days=n), n=n)
             for n in range(count)]
    paginator = StablePaginator("chu-de/x/index.html", "chu-de/x/", items,
                                {**SETTINGS, "DEFAULT_ORPHANS": 0}, PER_PAGE)
    walked = [paginator.page(n) for n in range(1, paginator.num_pages + 1)]
    assert [i.n for page in walked for i in page.object_list] == list(range(count))
    assert walked[0].first and walked[0].save_as == "chu-de/x/index.html"
    assert len({page.save_as for page in walked}) == len(walked)  # one address each
    assert all(len(page.object_list) == PER_PAGE for page in walked[:-1])
