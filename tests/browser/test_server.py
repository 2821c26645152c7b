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



# --- security: every answer, redirects, hidden files, the editors' pages ------------

CSP_NEEDED = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'",
              "frame-ancestors 'none'"]


@pytest.mark.parametrize("pattern", [
    "index.html", "tin-bai/*/index.html", "anh/*/*-800.jpg", "anh/*/*-800.webp",
    "feeds/all.rss.xml", "feeds/all.atom.xml", "tim-kiem/*/meta.json", "theme/css/site.css",
    "theme/js/search.js", "sitemap.xml", "404.html",
])
def test_every_answer_has_the_security_headers(served, demo_output, pattern):
    path = first(demo_output, pattern).removesuffix("index.html")
    status, headers, _ = fetch(served["demo"], path)
    assert status in (200, 404)
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
    assert headers["x-content-type-options"] == "nosniff", path
    assert headers["x-frame-options"] == "DENY", path
    assert headers["strict-transport-security"] == "max-age=31536000", path
    for directive in CSP_NEEDED:
        assert directive in headers["content-security-policy"], (path, directive)


def test_the_content_security_policy_lets_every_inline_script_of_the_site_run(served, demo_output):
    """Each inline script of the built pages is allowed by its hash (a changed
    line in the theme fails here first, with the hash to put into mttq.conf)."""
    import base64
    import hashlib
    import re

    _, headers, _ = fetch(served["demo"], "/")
    policy = headers["content-security-policy"]
    inline = set()
    for page in demo_output.rglob("*.html"):
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>",
                                           page.read_text(encoding="utf-8"), re.S):
            if "src=" not in attributes and "application/ld+json" not in attributes:
                inline.add(body)
    assert inline
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, f"{body!r}: add 'sha256-{digest}' to script-src"


@pytest.mark.parametrize("path", [
    "//evil.example/index.html", "//evil.example/tin-bai/index.html", "///evil.example/index.html",
    "/\\evil.example/index.html", "/\\/evil.example/index.html", "/%5Cevil.example/index.html",
])
def test_no_redirect_leads_to_another_site(served, path):
    status, headers, _ = fetch(served["demo"], path)
    location = headers.get("location", "")
    if status in (301, 302, 303, 307, 308):
        assert location.startswith("/") and location[1:2] not in ("/", "\\"), (path, location)


def test_clean_url_redirects_keep_working(served):
    for path, location in (("/index.html", "/"), ("/tin-bai/index.html?a=1", "/tin-bai/?a=1")):
        status, headers, _ = fetch(served["demo"], path)
        assert (status, headers["location"]) == (301, location)


# A site of hostile files, served by its own nginx: dot files everywhere a
# regex location could catch them, the editors' pages behind a password.
SEARCH = "tim-kiem/0123456789ab"
HOSTILE_FILES = {
    "index.html": "<p>Trang chủ</p>", "404.html": "<p>Không tìm thấy trang</p>",
    f"{SEARCH}/meta.json": "{}", f"{SEARCH}/.git/config": "secret",
    "feeds/.x.rss.xml": "secret", "feeds/.x.atom.xml": "secret", "feeds/all.rss.xml": "<rss/>",
    "anh/tin/.anh-1-800.jpg": "secret", "anh/tin/.x-0123456789-800.jpg": "secret",
    "theme/.env": "secret", ".git/config": "secret", "tin-bai/x/.index.html.swp": "secret",
    "bien-tap/index.html": "<p>Chỉ tiêu</p>", "bien-tap/2025/05/index.html": "<p>Tháng 5</p>",
    "bien-tap/bao-cao.rss.xml": "<rss/>", "bien-tap/.x": "secret",
}
EDITOR, PASSWORD = "bbt", "mat-khau-thu"


@pytest.fixture(scope="module")
def hostile(nginx_path, tmp_path_factory):
    import subprocess

    from .conftest import Nginx

    site = tmp_path_factory.mktemp("hostile-site")
    for name, text in HOSTILE_FILES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    folder = tmp_path_factory.mktemp("nginx-hostile")
    hashed = subprocess.run(["openssl", "passwd", "-6", PASSWORD], capture_output=True,
                            text=True, check=True).stdout.strip()
    (folder / "mttq-bien-tap.htpasswd").write_text(f"{EDITOR}:{hashed}\n")
    (folder / "mttq.d").mkdir()
    (folder / "mttq.d" / "redirects.conf").write_text(  # a site-specific snippet
        "location = /tin-cu/ { return 301 /tin-bai/; }\nlocation ~ \\.swp$ { }\n")
    server = Nginx(nginx_path, folder, {"hostile": site})
    server.start()
    try:
        yield server.urls["hostile"]
    finally:
        server.stop()


def fetch_as(base: str, path: str, user: str | None = None, password: str = PASSWORD):
    import base64

    host = urlparse(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    headers = {}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, body
    connection.close()
    return result


@pytest.mark.parametrize("name", [n for n, text in HOSTILE_FILES.items() if text == "secret"
                                  and not n.startswith("bien-tap/")])
def test_hidden_files_are_never_served(hostile, name):
    status, _, body = fetch_as(hostile, f"/{name}")
    assert status == 404 and b"secret" not in body, name


def test_the_editors_pages_need_the_password(hostile):
    # (A hidden file there is a 404 before any password; .../index.html a 301 to the folder.)
    for path in ("/bien-tap/", "/bien-tap/2025/05/", "/bien-tap/bao-cao.rss.xml", "/bien-tap/2025"):
        status, headers, body = fetch_as(hostile, path)
        assert status == 401 and "basic" in headers["www-authenticate"].lower(), path
        assert b"Ch\xe1\xbb\x89 ti\xc3\xaau" not in body and b"<rss" not in body, path
        assert fetch_as(hostile, path, EDITOR, "sai-mat-khau")[0] == 401, path
    status, headers, body = fetch_as(hostile, "/bien-tap/2025/05/", EDITOR)
    assert status == 200 and "Tháng 5" in body.decode()
    assert headers["cache-control"] == "private, no-cache"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    for user in (None, EDITOR):
        status, _, body = fetch_as(hostile, "/bien-tap/.x", user)
        assert status == 404 and b"secret" not in body


def test_site_specific_snippets_are_included(hostile):
    status, headers, _ = fetch_as(hostile, "/tin-cu/")
    assert (status, headers["location"]) == (301, "/tin-bai/")
