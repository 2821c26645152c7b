"""Weight budgets, measured by the browser through nginx (gzip on, empty cache).

- the home page: at most 150 KB transferred, photos aside;
- JavaScript: at most 20 KB on any page (uncompressed, inline scripts included).
"""
from __future__ import annotations

import json

import pytest

from .conftest import artefact, open_context
from .test_pages import PAGES, SCROLL_THROUGH, visit

HOME_BUDGET = 150 * 1024
JS_BUDGET = 20 * 1024

WEIGHTS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const out = {html: nav.transferSize, css: 0, js: 0, js_decoded: 0, photos: 0, other: 0, files: []};
  for (const r of performance.getEntriesByType("resource")) {
    const kind = r.initiatorType === "img" || /\\.(jpe?g|webp|png|avif)(\\?|$)/.test(r.name) ? "photos"
      : /\\.css(\\?|$)/.test(r.name) ? "css" : /\\.m?js(\\?|$)/.test(r.name) ? "js" : "other";
    out[kind] += r.transferSize;
    if (kind === "js") out.js_decoded += r.decodedBodySize;
    out.files.push([r.name.replace(location.origin, ""), r.transferSize, r.decodedBodySize]);
  }
  for (const s of document.querySelectorAll("script:not([src])")) {
    const type = (s.type || "text/javascript").toLowerCase();
    if (type.includes("javascript") || type === "module") out.js_decoded += new Blob([s.textContent]).size;
  }
  out.without_photos = out.html + out.css + out.js + out.other;
  return out;
}"""

_measured: dict[str, dict] = {}


@pytest.fixture(scope="module")
def weights(served, demo_pages, browser):
    """What each page transfers, on a phone and on a desktop (fresh cache each)."""
    result = {}
    for viewport in ("phone", "desktop"):
        for name in PAGES:
            context = open_context(browser, viewport)
            page = context.new_page()
            visit(page, served["demo"] + demo_pages[name])
            page.evaluate(SCROLL_THROUGH)
            page.wait_for_load_state("networkidle")
            result[f"{name}-{viewport}"] = page.evaluate(WEIGHTS)
            context.close()
    artefact("page-weights.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_home_page_transfers_at_most_150_kb_without_photos(weights, viewport):
    home = weights[f"home-{viewport}"]
    assert home["html"] > 0 and home["css"] > 0  # really measured (same-origin timing)
    assert home["without_photos"] <= HOME_BUDGET, home


@pytest.mark.parametrize("name", PAGES)
def test_no_page_has_more_than_20_kb_of_javascript(weights, name):
    for viewport in ("phone", "desktop"):
        page = weights[f"{name}-{viewport}"]
        assert page["js_decoded"] <= JS_BUDGET, page["files"]
        assert page["js"] <= JS_BUDGET
