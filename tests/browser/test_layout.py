"""Layout a reader and an editor see, at 360 px (a small phone) and 1366 px (a laptop),
on every page of the demo site served by nginx with the repo's configuration (the
editors' pages with an editor's password). Issue #19, cases 2, 5 and 11:

- no word is cut inside a syllable ("Kết qu/ả" in the quota table);
- nothing is wider than the screen; a short page keeps its footer at the bottom;
- month labels are written one way (``Tháng 05/2025``);
- from the home page, "Trang sau" reaches every item once, in date order;
- the TIN/BÀI badge of an item page stands clear of the header's gold line; item
  pages have breadcrumbs; related items and topic blocks fill whole rows;
- a month archive links the months before and after it.
"""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from .conftest import ROOT, Nginx

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1366, "height": 768}}
EDITOR, PASSWORD = "bbt", "mat-khau-bien-tap"

# Every text node's words made only of letters (a Vietnamese word is one syllable):
# each must sit on one line. Addresses, file names and code may break anywhere.
BROKEN_WORDS = r"""() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const letters = /^[\p{L}\p{M}]+$/u;
  for (let node; (node = walker.nextNode());) {
    const parent = node.parentElement;
    if (!parent || parent.closest("code, pre, script, style, svg")) continue;
    for (const match of node.textContent.matchAll(/[\p{L}\p{M}\p{N}\p{P}\p{S}]+/gu)) {
      const word = match[0].replace(/^\p{P}+|\p{P}+$/gu, "");
      if (!letters.test(word)) continue;
      const start = match.index + match[0].indexOf(word);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + word.length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                              .map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(word);
    }
  }
  return broken;
}"""

FRAME = """() => {
  const footer = document.querySelector(".site-footer").getBoundingClientRect();
  const header = document.querySelector(".site-header").getBoundingClientRect();
  const badge = document.querySelector(".item-kicker .badge");
  const root = document.documentElement;
  return {scrollWidth: root.scrollWidth, innerWidth, innerHeight,
          scrollHeight: root.scrollHeight, footerBottom: footer.bottom + scrollY,
          headerBottom: header.bottom + scrollY,
          badgeTop: badge ? badge.getBoundingClientRect().top + scrollY : null};
}"""

# Outside the items' own text (a contributor may write "tháng 5/2025" in prose).
MONTHS = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll(".item-body, .card-summary, .item-summary, script").forEach(e => e.remove());
  return [...copy.textContent.matchAll(/[Tt]háng\\s+(\\d{1,2})\\s*\\/\\s*(\\d{4})/g)]
    .filter(m => m[1].length !== 2).map(m => m[0]);
}"""

ROWS = """selector => [...document.querySelectorAll(selector)].map(list => {
  const tops = [...list.children].map(card => Math.round(card.getBoundingClientRect().top));
  const rows = {};
  for (const top of tops) rows[top] = (rows[top] || 0) + 1;
  return Object.keys(rows).sort((a, b) => a - b).map(top => rows[top]);
})"""


@pytest.fixture(scope="module")
def site(demo_output, nginx_path, tmp_path_factory):
    """The demo site through the repo's nginx configuration, the editors' pages included."""
    folder = tmp_path_factory.mktemp("nginx-layout")
    hashed = subprocess.run(["openssl", "passwd", "-6", PASSWORD], capture_output=True,
                            text=True, check=True).stdout.strip()
    (folder / "mttq-bien-tap.htpasswd").write_text(f"{EDITOR}:{hashed}\n")
    server = Nginx(nginx_path, folder, {"demo": demo_output})
    server.start()
    try:
        yield server.urls["demo"]
    finally:
        server.stop()


def every_page(output) -> list[str]:
    """The address of every HTML page the build wrote with the site's layout (the
    contributors' form /soan-tin/ is the CMS's own page: tests/browser/test_cms.py)."""
    from mttq.settings import DEFAULTS

    pages = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(DEFAULTS["MTTQ_CMS_PATH"].strip("/") + "/"):
            continue
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        pages.append("/" + relative)
    return pages


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="vi-VN",
                                  http_credentials={"username": EDITOR, "password": PASSWORD},
                                  is_mobile=request.param == "phone",
                                  has_touch=request.param == "phone")
    tab = context.new_page()
    tab.viewport_name = request.param
    try:
        yield tab
    finally:
        context.close()


def test_every_page_fits_keeps_its_words_whole_and_its_footer_at_the_bottom(site, demo_output,
                                                                             screen):
    pages = every_page(demo_output)
    assert len(pages) > 100 and "/bien-tap/2025/05/" in pages
    problems = []
    for address in pages:
        response = screen.goto(site + address, wait_until="load")
        assert response.status == 200, address
        broken = screen.evaluate(BROKEN_WORDS)
        if broken:
            problems.append(f"{address}: words cut in two: {broken[:8]}")
        frame = screen.evaluate(FRAME)
        if frame["scrollWidth"] > frame["innerWidth"]:
            problems.append(f"{address}: {frame['scrollWidth']} px wide")
        if frame["footerBottom"] < max(frame["innerHeight"], frame["scrollHeight"]) - 1:
            problems.append(f"{address}: footer ends at {frame['footerBottom']:.0f} px, "
                            f"the page at {max(frame['innerHeight'], frame['scrollHeight'])}")
        if frame["badgeTop"] is not None and frame["badgeTop"] - frame["headerBottom"] < 8:
            problems.append(f"{address}: the badge is {frame['badgeTop'] - frame['headerBottom']:.0f} "
                            "px under the header's line")
        months = screen.evaluate(MONTHS)
        if months:
            problems.append(f"{address}: months written {months[:3]} (not 'Tháng 05/2025')")
    assert problems == [], f"at {screen.viewport_name}:\n" + "\n".join(problems)


def test_the_home_page_s_paging_reaches_every_item_once_in_date_order(site, demo_output, screen):
    from mttq.content.item import find_items, read_item
    from mttq.core.times import LOCAL_TZ
    from mttq.settings import registries_from_settings

    registries = registries_from_settings({})
    items = [read_item(p, registries, ROOT / "content") for p in find_items(ROOT / "content")]
    # Drafts and items scheduled after today are not listed yet.
    now = dt.datetime.now(LOCAL_TZ)
    listed = [i for i in items if i.meta.status == "published" and i.meta.date <= now]
    expected = [f"/tin-bai/{i.slug}/" for i in
                sorted(listed, key=lambda i: (i.meta.date, i.slug), reverse=True)]
    screen.goto(site + "/", wait_until="load")
    on_home = screen.eval_on_selector_all(".card-title a", "links => links.map(a => a.getAttribute('href'))")
    assert len(on_home) == len(set(on_home)), "a card twice on the home page"
    seen = screen.eval_on_selector_all("#tin-moi ~ .cards .card-title a",
                                       "links => links.map(a => a.getAttribute('href'))")
    while screen.locator(".pagination a[rel=next]").count():
        screen.locator(".pagination a[rel=next]").first.click()
        screen.wait_for_load_state("load")
        seen += screen.eval_on_selector_all(".cards .card-title a",
                                            "links => links.map(a => a.getAttribute('href'))")
    assert seen == expected


def test_item_pages_have_breadcrumbs_and_related_items_fill_whole_rows(site, demo_output, screen):
    from bs4 import BeautifulSoup

    home = BeautifulSoup((demo_output / "index.html").read_text(encoding="utf-8"), "html.parser")
    screen.goto(site + "/", wait_until="load")
    for rows in screen.evaluate(ROWS, ".topic-block .cards"):
        assert len(rows) == 1 or len(set(rows)) == 1, f"topic block rows {rows}"
    for link in home.select("#tin-moi ~ .cards .card-title a")[:4]:
        screen.goto(site + link["href"], wait_until="load")
        crumbs = screen.locator("nav.breadcrumbs a")
        assert crumbs.first.get_attribute("href") == "/"
        topic = screen.locator(".item-kicker a").get_attribute("href")
        assert crumbs.nth(1).get_attribute("href") == topic
        for rows in screen.evaluate(ROWS, ".related .cards"):
            assert len(rows) == 1 or len(set(rows)) == 1, f"{link['href']}: related rows {rows}"


def test_a_month_archive_links_the_months_before_and_after_it(site, screen):
    screen.goto(site + "/luu-tru/2025/05/", wait_until="load")
    assert screen.locator("h1").inner_text() == "Lưu trữ tháng 05/2025"
    screen.locator(".period-nav a.period-older").click()
    screen.wait_for_load_state("load")
    assert screen.url.endswith("/luu-tru/2025/04/")
    assert screen.locator("h1").inner_text() == "Lưu trữ tháng 04/2025"
    screen.locator(".period-nav a.period-newer").click()
    screen.wait_for_load_state("load")
    assert screen.url.endswith("/luu-tru/2025/05/")
