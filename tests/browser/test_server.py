"""deploy/nginx/mttq.conf as readers and partners meet it: headers, redirects, 404."""
from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlparse

import pytest


def fetch(base: str, path: str, gzip_ok: bool = True) -> tuple[int, dict, bytes]:
    host = urlparse(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = connection.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, headers, body


def first(output, pattern: str) -> str:
    return "/" + next(output.glob(pattern)).relative_to(output).as_posix()


def test_pages_have_clean_urls_and_are_revalidated(served, demo_pages):
    base, item = served["demo"], demo_pages["item"]
    status, headers, body = fetch(base, item)
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache" and "etag" in headers
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    assert headers["x-content-type-options"] == "nosniff"
    assert "<html" in body.decode()
    # Without the trailing slash, or with index.html: one redirect to the clean URL.
    for variant in (item.rstrip("/"), item + "index.html"):
        status, headers, _ = fetch(base, variant)
        assert (status, headers["location"]) == (301, item), variant


def test_unknown_addresses_get_the_sites_404_page(served):
    for path in ("/khong-co/", "/tin-bai/khong-co-tin-nay/", "/.git/config", "/anh/x/y-800.jpg",
                 "/anh/", "/tin-bai/", "/theme/", "/feeds/"):  # folders without index.html
        status, headers, body = fetch(served["demo"], path)
        assert status == 404, path
        assert "Không tìm thấy trang" in body.decode(), path


@pytest.mark.parametrize("pattern, mime, caching", [
    ("anh/*/*-800.webp", "image/webp", "public, max-age=86400"),
    ("anh/*/*-800.jpg", "image/jpeg", "public, max-age=86400"),
    ("theme/css/site.css", "text/css; charset=utf-8", "public, max-age=3600"),
    ("theme/js/search.js", "application/javascript; charset=utf-8", "public, max-age=3600"),
    ("tim-kiem/*/meta.json", "application/json; charset=utf-8", "public, max-age=31536000, immutable"),
    ("feeds/all.rss.xml", "application/rss+xml; charset=utf-8", "public, max-age=300"),
    ("feeds/all.atom.xml", "application/atom+xml; charset=utf-8", "public, max-age=300"),
    ("sitemap.xml", "text/xml; charset=utf-8", "no-cache"),
])
def test_files_have_their_mime_type_and_caching(served, demo_output, pattern, mime, caching):
    status, headers, _ = fetch(served["demo"], first(demo_output, pattern))
    assert status == 200
    assert headers["content-type"] == mime
    assert headers["cache-control"] == caching


@pytest.mark.parametrize("pattern", ["theme/css/site.css", "theme/js/search.js",
                                     "feeds/all.rss.xml", "sitemap.xml", "tim-kiem/*/t/0.json"])
def test_text_is_gzipped_and_photos_are_not(served, demo_output, pattern):
    _, headers, _ = fetch(served["demo"], first(demo_output, pattern))
    assert headers.get("content-encoding") == "gzip", pattern
    _, headers, _ = fetch(served["demo"], first(demo_output, "anh/*/*-800.jpg"))
    assert "content-encoding" not in headers

