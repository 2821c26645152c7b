"""What Zalo and Facebook read from an item of a publish build (absolute URLs)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from conftest import ROOT, build
from conftest import page as read_page

SITEURL = "https://mttq.soctrang.example"


@pytest.fixture(scope="module")
def published(fixture_site, tmp_path_factory):
    """The fixture content built with publishconf.py (renditions from the fixture's cache)."""
    base, result, expected = fixture_site
    assert result.ok
    output = tmp_path_factory.mktemp("published") / "output"
    built = build(base / "content", output, base / "cache", settings_file=ROOT / "publishconf.py",
                  SITEURL=SITEURL)
    assert built.ok, built.errors
    return output, expected


def test_every_item_has_an_absolute_1200_px_share_image_title_and_summary(published):
    output, expected = published
    for slug in expected["items"]:
        soup = read_page(output, f"tin-bai/{slug}/")
        meta = {m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")}
        url = f"{SITEURL}/tin-bai/{slug}/"
        assert meta["og:url"] == url
        assert meta["og:title"] == soup.h1.get_text(strip=True)
        assert meta["og:description"] and meta["og:description"] == meta["description"]
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(SITEURL + "/anh/") and image.endswith("-1200.jpg"), image
        with Image.open(output / image[len(SITEURL) + 1:]) as photo:
            assert photo.width == 1200 == int(meta["og:image:width"])
            assert photo.height == int(meta["og:image:height"])
        assert meta["og:image:type"] == "image/jpeg" and meta["og:image:alt"]


def test_every_item_has_zalo_and_facebook_share_links_to_its_address(published):
    output, expected = published
    for slug in expected["items"]:
        soup = read_page(output, f"tin-bai/{slug}/")
        links = {a.get_text(strip=True): urlparse(a["href"]) for a in soup.select(".share a")}
        url = f"{SITEURL}/tin-bai/{slug}/"
        facebook, zalo = links["Facebook"], links["Zalo"]
        assert facebook.netloc == "www.facebook.com" and parse_qs(facebook.query)["u"] == [url]
        assert zalo.netloc.endswith("zalo.me") and url in parse_qs(zalo.query)["u"]
