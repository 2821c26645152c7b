"""The demo content an editor sees after the README's first command."""
from __future__ import annotations

from collections import Counter

from conftest import ROOT, listed_items, page
from mttq.commands.check import CheckOptions, check_items, collect_targets
from mttq.content.item import find_items, read_item
from mttq.settings import registries_from_settings


def demo_items():
    registries = registries_from_settings({})
    return [read_item(p, registries, ROOT / "content") for p in find_items(ROOT / "content")]


def test_demo_content_covers_types_topics_units_and_months():
    items = demo_items()
    assert len(items) >= 24
    assert {i.meta.type for i in items} == {"tin", "bai"}
    assert set(Counter(i.meta.category for i in items)) == set(registries_from_settings({}).topics)
    assert len({i.meta.unit for i in items}) >= 6
    assert len({(i.meta.date.year, i.meta.date.month) for i in items}) >= 3


def test_demo_content_passes_the_check_photos_included():
    registries = registries_from_settings({})
    options = CheckOptions(content_root=ROOT / "content", registries=registries)
    items, photos = collect_targets([ROOT / "content"])
    report = check_items(items, photos, options)
    errors = [(f.path, p.code) for f in report.files for p in f.problems if p.severity == "error"]
    assert errors == []
    assert sum(f.kind == "photo" for f in report.files) >= len(items)


def test_demo_site_builds_cleanly_and_lists_every_item(demo_site):
    base, result = demo_site
    assert result.ok, result.errors
    assert result.warnings == []
    output = base / "output"
    items = demo_items()
    for item in items:
        soup = page(output, f"tin-bai/{item.slug}/")
        assert soup.h1.get_text() == item.meta.title
        for img in soup.select(".item-body figure img"):
            assert (output / img["src"].lstrip("/")).is_file()
    listed = []
    for topic in registries_from_settings({}).topics:
        soup = page(output, f"chu-de/{topic}/")
        listed += listed_items(soup)
        next_page = soup.select_one(".pagination a[rel=next]")
        while next_page:
            soup = page(output, next_page["href"].lstrip("/"))
            listed += listed_items(soup)
            next_page = soup.select_one(".pagination a[rel=next]")
    assert sorted(listed) == sorted(f"/tin-bai/{i.slug}/" for i in items)
