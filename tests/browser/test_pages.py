"""Every kind of page on a phone (360×740) and a desktop (1280×800), through nginx."""
from __future__ import annotations

import pytest

from .conftest import artefact

PAGES = ["home", "item", "topic", "unit", "search", "404"]

# Layout shifts, recorded from the start (buffered) by the Layout Instability API.
CLS_SCRIPT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""

SCROLL_THROUGH = """async () => {
  const step = Math.max(200, innerHeight - 100);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    scrollTo(0, y);
    await new Promise(r => setTimeout(r, 60));
  }
  scrollTo(0, 0);
}"""


def visit(page, url: str) -> int:
    response = page.goto(url, wait_until="load")
    if "/tim-kiem/" in url:
        page.wait_for_selector("#tim-kiem[data-state=done]")
    return response.status


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_loads_its_photos_and_does_not_shift(served, demo_pages, page,
                                                                    viewport, name):
    status = visit(page, served["demo"] + demo_pages[name])
    assert status == (404 if name == "404" else 200)
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")

    # No horizontal scrolling: nothing is wider than the screen.
    widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"{name} scrolls sideways at {viewport}: {widths}"

    # Every photo (lazy ones too, once scrolled to) decoded, with its size declared.
    photos = page.evaluate("""() => [...document.images].map(img => ({
        src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0,
        sized: img.hasAttribute("width") && img.hasAttribute("height")}))""")
    broken = [p["src"] for p in photos if not p["ok"]]
    unsized = [p["src"] for p in photos if not p["sized"]]
    assert not broken, f"photos not loaded on {name}: {broken}"
    assert not unsized, f"photos without width/height on {name}: {unsized}"
    if name in ("home", "item", "topic", "unit"):
        assert any("/anh/" in p["src"] for p in photos), f"{name} shows no photo"

    # Photos and fonts do not push the text around while loading.
    cls = page.evaluate(CLS_SCRIPT)
    assert cls < 0.01, f"cumulative layout shift {cls:.3f} on {name} at {viewport}"
    assert page.js_errors == [], page.js_errors
    assert page.failed_requests == [], page.failed_requests

    page.screenshot(path=artefact("screenshots", f"{name}-{viewport}.png"), full_page=True)


def test_a_folder_address_without_its_slash_is_redirected(served, demo_pages, page, viewport):
    item = demo_pages["item"].rstrip("/")
    response = page.goto(served["demo"] + item)
    assert response.url == served["demo"] + item + "/"
    assert response.request.redirected_from.response().status == 301
