"""axe-core on every kind of page, and the menu by touch and by keyboard."""
from __future__ import annotations

import json

import pytest

from .conftest import artefact
from .test_pages import PAGES, visit

BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violation(served, demo_pages, page, viewport, axe_source, name):
    visit(page, served["demo"] + demo_pages[name])
    # Evaluated by the test driver, not added as an inline <script>: the site's
    # Content-Security-Policy (deploy/nginx/mttq.conf) rightly refuses those.
    page.evaluate(axe_source)
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        resultTypes: ["violations"]})""")
    violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                   "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    artefact("axe", f"{name}-{viewport}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, json.dumps(blocking, ensure_ascii=False, indent=1)


def menu_links(page):
    return page.locator("#menu-chinh a")


def test_the_menu_opens_and_closes_by_touch_on_a_phone(served, browser):
    from .conftest import open_context

    context = open_context(browser, "phone")
    page = context.new_page()
    page.goto(served["demo"] + "/")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and not menu_links(page).first.is_visible()
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_links(page).first.is_visible()
    # The open menu fits the screen and its links are big enough to tap.
    box = menu_links(page).first.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    topic = page.locator("#menu-chinh a[href*='/chu-de/']").first
    with page.expect_navigation():
        topic.tap()
    assert "/chu-de/" in page.url
    page.locator(".menu-toggle").tap()
    page.locator(".menu-toggle").tap()
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "false"
    assert not menu_links(page).first.is_visible()
    context.close()


def test_the_menu_works_with_the_keyboard(served, page, viewport):
    page.goto(served["demo"] + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    if viewport == "desktop":  # the menu is always shown; Tab walks through it
        assert not page.locator(".menu-toggle").is_visible()
        for _ in range(4):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#menu-chinh') !== null")
        return
    toggle = page.locator(".menu-toggle")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu-toggle')"):
            break
    else:
        pytest.fail("Tab never reaches the menu button")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#menu-chinh') !== null")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
    page.keyboard.press(" ")
    assert toggle.get_attribute("aria-expanded") == "true"


def test_the_skip_link_moves_focus_to_the_content(served, page, viewport):
    page.goto(served["demo"] + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
