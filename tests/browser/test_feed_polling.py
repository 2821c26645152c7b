"""Partners polling the feeds through nginx (deploy/nginx/mttq.conf).

A site in a real git repository is built with Pelican, deployed the way
docs/hosting.md says (``rsync -a`` into a new release folder, then a symbolic
link switched) and served by the real nginx. A partner polls like a feed
reader: a conditional GET with the ``ETag`` and ``Last-Modified`` of its last
answer. A byte-identical rebuild and redeploy must answer ``304``; a change
must answer ``200`` once, then ``304`` again. Withdrawn items answer ``410``.
"""
from __future__ import annotations

import gzip
import http.client
import os
import shutil
import subprocess
import time
from urllib.parse import urlparse

import pytest

from .conftest import Nginx

from gitsite import add_item, at, edit_body, new_repo, set_field


def request(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    found = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    if found.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, found, body


class Partner:
    """A feed reader that keeps the validators of its last 200 per feed."""

    def __init__(self, base: str):
        self.base = base
        self.validators: dict[str, dict] = {}

    def poll(self, path: str) -> int:
        status, headers, body = request(self.base, path, self.validators.get(path))
        if status == 200:
            assert body.startswith(b"<?xml"), path
            self.validators[path] = {"If-None-Match": headers["etag"],
                                     "If-Modified-Since": headers["last-modified"]}
        return status


@pytest.fixture
def site(tmp_path, nginx_path):
    """(repo, deploy(), nginx base URL): nginx serves releases/current."""
    repo = new_repo(tmp_path / "site")

    def items():
        add_item(repo, "tin-mot", 1, Tags="Vì người nghèo")
        add_item(repo, "tin-hai", 2, Unit="hoi-nong-dan", Tags="Giám sát")
        add_item(repo, "tin-se-go", 3, Unit="hoi-phu-nu")

    repo.merge("ba-tin", at("2025-05-20 09:00"), items)
    releases = tmp_path / "releases"
    releases.mkdir()
    current = releases / "current"
    deployed = []

    def deploy(today: str = "2025-05-21", **settings):
        output = repo.build(today, siteurl="https://mttq.example.vn", **settings)
        release = releases / f"r{len(deployed):02d}"
        subprocess.run(["rsync", "-a", f"{output}/", f"{release}/"], check=True)
        link = releases / "next"
        os.symlink(release, link)
        os.replace(link, current)  # the switch of docs/hosting.md (ln -sfn)
        deployed.append(release)
        return output

    deploy()
    server = Nginx(nginx_path, tmp_path / "nginx", {"site": current})
    try:
        server.start()
        yield repo, deploy, server.urls["site"]
    finally:
        server.stop()


FEEDS = ("/feeds/all.atom.xml", "/feeds/all.rss.xml", "/feeds/don-vi/hoi-nong-dan.atom.xml",
         "/feeds/tu-khoa/vi-nguoi-ngheo.rss.xml")


def test_a_partner_polling_gets_304_until_something_changes(site, tmp_path):
    repo, deploy, base = site
    partner = Partner(base)
    assert [partner.poll(path) for path in FEEDS] == [200] * len(FEEDS)
    time.sleep(1.1)  # a rebuild a second later: file times would differ by a second
    deploy()  # nothing changed: rebuilt, redeployed
    assert [partner.poll(path) for path in FEEDS] == [304] * len(FEEDS)
    # A fresh machine (CI): no previous site, only the cache folder restored.
    shutil.rmtree(tmp_path / "output")
    time.sleep(1.1)
    deploy()
    assert [partner.poll(path) for path in FEEDS] == [304] * len(FEEDS)
    # Only If-None-Match, only If-Modified-Since: both validators work alone.
    for header in ("If-None-Match", "If-Modified-Since"):
        only = {header: partner.validators[FEEDS[0]][header]}
        assert request(base, FEEDS[0], only)[0] == 304, header
    # A correction of one item: the feeds that hold it change once, the others do not.
    repo.merge("sua", at("2025-05-22 10:00"),
               lambda: edit_body(repo, "tin-mot", "Nội dung", "Nội dung đã đính chính"))
    time.sleep(1.1)
    deploy("2025-05-22")
    assert [partner.poll(path) for path in FEEDS] == [200, 200, 304, 200]
    time.sleep(1.1)
    deploy("2025-05-22")
    assert [partner.poll(path) for path in FEEDS] == [304] * len(FEEDS)
    # Pages and the OPML keep their validators too.
    for path in ("/tin-bai/tin-hai/", "/feeds/nguon-tin.opml"):
        status, headers, _ = request(base, path)
        assert status == 200
        assert request(base, path, {"If-None-Match": headers["etag"]})[0] == 304, path
    status, headers, body = request(base, "/feeds/nguon-tin.opml")
    assert headers["content-type"] == "text/x-opml; charset=utf-8"
    assert b"<opml" in body


def test_a_withdrawn_item_answers_410_with_its_notice_and_others_are_unchanged(site):
    repo, deploy, base = site
    repo.merge("go", at("2025-05-23 09:00"),
               lambda: set_field(repo, "tin-se-go", "Status", "draft"))
    deploy("2025-05-24")
    status, headers, body = request(base, "/tin-bai/tin-se-go/")
    assert status == 410
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    text = body.decode()
    assert "Tin, bài đã được gỡ" in text and "23/05/2025" in text
    status, headers, _ = request(base, "/tin-bai/tin-se-go")
    assert (status, headers["location"]) == (301, "/tin-bai/tin-se-go/")
    status, headers, body = request(base, "/tin-bai/tin-mot/")
    assert status == 200 and "no-cache" == headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"
    status, _, body = request(base, "/tin-bai/khong-co-tin-nay/")
    assert status == 404 and "Không tìm thấy trang" in body.decode()
    # The unit whose only item was withdrawn keeps a valid (empty) feed.
    status, headers, body = request(base, "/feeds/don-vi/hoi-phu-nu.atom.xml")
    assert status == 200 and headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert b"deleted-entry" in body and b"<entry>" not in body
    # Published again: the page is back with 200.
    repo.merge("dang-lai", at("2025-05-25 09:00"),
               lambda: set_field(repo, "tin-se-go", "Status", "published"))
    deploy("2025-05-26")
    assert request(base, "/tin-bai/tin-se-go/")[0] == 200
