"""``invoke import-feed``: an old site's RSS, Atom or WordPress export becomes
bundles, with their original dates and photos, marked as imported.

The old sites are files written here (no network): their photos are local
files referred to by relative paths, ``file:`` URLs, enclosures and WordPress
attachments. The imported tree is then read by the real check and built by
the real Pelican.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build, page
from mttq.content.history import History
from mttq.content.item import find_items, read_item
from mttq.core.times import LOCAL_TZ
from mttq.settings import registries_from_settings
from sitefactory import make_photo

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True,
                          text=True)


def old_rss(folder: Path) -> Path:
    """An old district site's RSS: two items before 01/07/2025 (one photo inline by a
    relative path, one as a file: enclosure), one after, one without any photo."""
    (folder / "uploads").mkdir(parents=True)
    make_photo(folder / "uploads" / "trao-qua.jpg", seed=71)
    make_photo(folder / "uploads" / "hop-mat.jpg", seed=72)
    enclosure = (folder / "uploads" / "hop-mat.jpg").as_uri()
    path = folder / "rss.xml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Mặt trận huyện Mỹ Xuyên</title><link>https://mttq-myxuyen.example/</link>
<description>Trang cũ</description>
<item>
  <title>Trao 50 phần quà cho hộ nghèo xã Đại Tâm</title>
  <link>https://mttq-myxuyen.example/tin/trao-50-phan-qua.html</link>
  <pubDate>Wed, 14 May 2025 02:30:00 +0000</pubDate>
  <dc:creator>Trần Văn Bình</dc:creator>
  <category>Vận động, phong trào</category>
  <description>Ủy ban MTTQ huyện trao quà cho hộ nghèo.</description>
  <content:encoded><![CDATA[<p>Sáng 13/5, Ủy ban MTTQ Việt Nam huyện <strong>Mỹ Xuyên</strong> trao 50 phần quà.</p>
  <figure><img src="uploads/trao-qua.jpg" alt="x"><figcaption>Trao quà cho hộ nghèo xã Đại Tâm</figcaption></figure>
  <p>Xem thêm <a href="https://mttq-myxuyen.example/">trang huyện</a> và <a href="javascript:alert(1)">đây</a>.</p>
  <script>alert("x")</script>]]></content:encoded>
</item>
<item>
  <title>Hội nghị tổng kết công tác Mặt trận năm 2024</title>
  <link>https://mttq-myxuyen.example/tin/tong-ket-2024.html</link>
  <pubDate>Fri, 10 Jan 2025 09:00:00 +0700</pubDate>
  <description>&lt;p&gt;Hội nghị tổng kết năm 2024.&lt;/p&gt;</description>
  <enclosure url="{enclosure}" type="image/jpeg" length="1"/>
</item>
<item>
  <title>Tin sau ngày sắp xếp</title>
  <link>https://mttq-myxuyen.example/tin/sau-sap-xep.html</link>
  <pubDate>Tue, 01 Jul 2025 09:00:00 +0700</pubDate>
  <description>Tin đăng sau ngày sắp xếp đơn vị hành chính.</description>
  <enclosure url="{enclosure}" type="image/jpeg" length="1"/>
</item>
<item>
  <title>Thông báo không có ảnh</title>
  <link>https://mttq-myxuyen.example/tin/thong-bao.html</link>
  <pubDate>Mon, 05 May 2025 09:00:00 +0700</pubDate>
  <description>Không có ảnh.</description>
</item>
</channel></rss>
""", encoding="utf-8")
    return path


@pytest.fixture
def imported(tmp_path):
    content = tmp_path / "content"
    source = old_rss(tmp_path / "old-site")
    result = invoke("import-feed", str(source), "--unit", "my-xuyen", "--before", "2025-07-01",
                    "--topic", "dai-doan-ket", "--content", str(content))
    return tmp_path, content, result


def bundles(content: Path) -> dict[str, Path]:
    return {p.parent.name: p for p in find_items(content)}


def header(index: Path) -> dict[str, str]:
    head = index.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_an_old_rss_becomes_bundles_with_original_dates_photos_and_the_mark(imported):
    _, content, result = imported
    assert result.returncode == 0, result.stdout + result.stderr
    found = bundles(content)
    assert set(found) == {"trao-50-phan-qua-cho-ho-ngheo-xa-dai-tam",
                          "hoi-nghi-tong-ket-cong-tac-mat-tran-nam-2024"}
    gifts = found["trao-50-phan-qua-cho-ho-ngheo-xa-dai-tam"]
    assert gifts.relative_to(content).parts[:3] == ("tin", "2025", "05")
    fields = header(gifts)
    # 02:30 UTC is 09:30 in Vietnam; Submitted is the original publication.
    assert fields["Date"] == fields["Submitted"] == "2025-05-14 09:30"
    assert fields["Imported"] == "https://mttq-myxuyen.example/tin/trao-50-phan-qua.html"
    assert fields["Unit"] == "my-xuyen" and fields["Author"] == "Trần Văn Bình"
    assert fields["Category"] == "van-dong-phong-trao"  # the old category's name matched
    body = gifts.read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert "![Trao quà cho hộ nghèo xã Đại Tâm](anh-1.jpg)" in body
    assert "**Mỹ Xuyên**" in body and "[trang huyện](https://mttq-myxuyen.example/)" in body
    assert "javascript" not in body and "alert" not in body and "<script" not in body
    assert (gifts.parent / "anh-1.jpg").read_bytes() == (
        imported[0] / "old-site" / "uploads" / "trao-qua.jpg").read_bytes()
    # The enclosure of the second item was copied from its file: URL.
    meeting = found["hoi-nghi-tong-ket-cong-tac-mat-tran-nam-2024"]
    assert header(meeting)["Category"] == "dai-doan-ket"  # --topic, no category to match
    assert (meeting.parent / "anh-1.jpg").is_file()
    assert "BỎ QUA: Tin sau ngày sắp xếp" in result.stdout and "--before" in result.stdout
    assert "BỎ QUA: Thông báo không có ảnh" in result.stdout


def test_imported_items_pass_the_check_and_are_never_judged_against_the_deadline(imported):
    _, content, _ = imported
    check = invoke("check", "--no-photos", "--format", "json", "--content", str(content))
    report = json.loads(check.stdout)
    assert check.returncode == 0, report
    registries = registries_from_settings({})
    history = History(content, ledger_file=None, now=dt.datetime.now(LOCAL_TZ))
    for index in find_items(content):
        item = history.judge(read_item(index, registries, content))
        assert item.ok and item.submission.source == "imported" and item.verdict is None
        assert item.submission.time == item.published.time


def test_importing_again_skips_what_was_imported(imported):
    tmp_path, content, _ = imported
    again = invoke("import-feed", str(tmp_path / "old-site" / "rss.xml"), "--unit", "my-xuyen",
                   "--before", "2025-07-01", "--topic", "dai-doan-ket", "--content", str(content))
    assert again.returncode == 0, again.stderr
    assert len(bundles(content)) == 2
    assert again.stdout.count("đã nhập trước đây") == 2


def test_the_built_site_keeps_the_old_unit_and_publisher(imported):
    tmp_path, content, _ = imported
    result = build(content, tmp_path / "output", tmp_path / "cache", MTTQ_TODAY="2026-11-20")
    assert result.ok, result.errors
    soup = page(tmp_path / "output", "tin-bai/trao-50-phan-qua-cho-ho-ngheo-xa-dai-tam/")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["publisher"]["name"] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Sóc Trăng"
    assert data["datePublished"] == "2025-05-14T09:30:00+07:00"
    assert "Ủy ban MTTQ Việt Nam huyện Mỹ Xuyên" in soup.get_text()


def test_an_atom_feed_and_a_wordpress_export_are_read_too(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    make_photo(old / "le-hoi.png", seed=81, fmt="PNG")
    make_photo(old / "dinh-kem.jpg", seed=82)
    (old / "atom.xml").write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Trang cũ</title><id>tag:old.example,2020:</id>
<updated>2025-04-14T08:00:00+07:00</updated>
<entry><title>Lễ hội Chôl Chnăm Thmây ở Vĩnh Châu</title><id>tag:old.example,2020:1</id>
<link rel="alternate" href="https://old.example/le-hoi"/>
<published>2025-04-14T08:00:00+07:00</published><updated>2025-04-15T08:00:00+07:00</updated>
<author><name>Sơn Thị Mai</name></author>
<content type="html">&lt;p&gt;Bà con người Khmer ở Vĩnh Châu vui Tết cổ truyền.&lt;/p&gt;&lt;img src="le-hoi.png" alt="Bà con đón Tết"&gt;</content>
</entry></feed>""", encoding="utf-8")
    (old / "wordpress.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Mặt trận thị xã cũ</title><link>https://old-wp.example</link>
<item><title>Giám sát công trình đường giao thông</title><link>https://old-wp.example/giam-sat/</link>
  <dc:creator>bientap</dc:creator>
  <content:encoded><![CDATA[<p>Đoàn giám sát làm việc tại công trình.</p>]]></content:encoded>
  <wp:post_id>12</wp:post_id><wp:post_date>2025-03-05 10:15:00</wp:post_date>
  <wp:post_date_gmt>2025-03-05 03:15:00</wp:post_date_gmt><wp:post_name>giam-sat-cong-trinh</wp:post_name>
  <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Ảnh đoàn giám sát</title><link>https://old-wp.example/anh/</link>
  <wp:post_id>13</wp:post_id><wp:post_parent>12</wp:post_parent><wp:post_type>attachment</wp:post_type>
  <wp:attachment_url>{(old / "dinh-kem.jpg").as_uri()}</wp:attachment_url></item>
<item><title>Bản nháp chưa đăng</title><link>https://old-wp.example/nhap/</link>
  <wp:post_id>14</wp:post_id><wp:post_date>2025-03-06 10:15:00</wp:post_date>
  <wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>""", encoding="utf-8")
    content = tmp_path / "content"
    atom = invoke("import-feed", str(old / "atom.xml"), "--unit", "vinh-chau", "--before",
                  "2025-07-01", "--topic", "dai-doan-ket", "--content", str(content))
    wxr = invoke("import-feed", (old / "wordpress.xml").as_uri(), "--unit", "vinh-chau",
                 "--before", "2025-07-01", "--topic", "giam-sat-phan-bien", "--type", "bai",
                 "--content", str(content))
    assert atom.returncode == 0 and wxr.returncode == 0, atom.stdout + wxr.stdout + wxr.stderr
    found = bundles(content)
    assert set(found) == {"le-hoi-chol-chnam-thmay-o-vinh-chau", "giam-sat-cong-trinh"}
    festival = found["le-hoi-chol-chnam-thmay-o-vinh-chau"]
    assert header(festival)["Date"] == "2025-04-14 08:00"
    assert "![Bà con đón Tết](anh-1.png)" in festival.read_text(encoding="utf-8")
    works = found["giam-sat-cong-trinh"]
    assert works.relative_to(content).parts[:3] == ("bai", "2025", "03")
    assert header(works)["Date"] == "2025-03-05 10:15"  # 03:15 UTC
    assert "![Ảnh đoàn giám sát](anh-1.jpg)" in works.read_text(encoding="utf-8")
    check = invoke("check", "--no-photos", "--format", "json", "--content", str(content))
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("args, expected", [
    (["--unit", "khong-co"], "khong-co"),
    (["--unit", "my-xuyen", "--topic", "khong-co"], "khong-co"),
    (["--unit", "my-xuyen", "--type", "video"], "--type"),
])
def test_a_wrong_command_is_refused_in_vietnamese(tmp_path, args, expected):
    source = old_rss(tmp_path / "old-site")
    result = invoke("import-feed", str(source), *args, "--content", str(tmp_path / "content"))
    assert result.returncode == 2 and result.stderr.startswith("LỖI:") and expected in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "content").exists()


def test_an_unreadable_source_and_a_unit_of_another_period_are_said_plainly(tmp_path):
    missing = invoke("import-feed", str(tmp_path / "khong-co.xml"), "--unit", "my-xuyen",
                     "--content", str(tmp_path / "content"))
    assert missing.returncode == 2 and "Không đọc được tệp" in missing.stderr
    source = old_rss(tmp_path / "old-site")
    too_early = invoke("import-feed", str(source), "--unit", "phuong-my-xuyen", "--topic",
                       "dai-doan-ket", "--content", str(tmp_path / "content"))
    assert too_early.returncode == 0, too_early.stderr
    # The ward began on 01/07/2025: only the item of that day is its own.
    assert "không hoạt động ngày 14/05/2025" in too_early.stdout
    assert set(bundles(tmp_path / "content")) == {"tin-sau-ngay-sap-xep"}


def test_an_old_sites_small_photo_is_advice_for_an_imported_item_and_an_error_for_a_new_one(
        imported):
    """Old sites published small photos (480 px here); they cannot be retaken, so the
    check says so as a warning; the same photo in a contributed item is refused."""
    tmp_path, content, _ = imported
    old = bundles(content)["trao-50-phan-qua-cho-ho-ngheo-xa-dai-tam"]
    make_photo(old.parent / "anh-1.jpg", size=(480, 320), seed=73)
    new = content / "tin" / "2025" / "05" / "tin-moi-cung-anh"
    shutil.copytree(old.parent, new)
    text = (new / "index.md").read_text(encoding="utf-8")
    kept = [line for line in text.split("\n\n", 1)[0].splitlines()
            if not line.startswith(("Imported:", "Submitted:", "Slug:"))]
    (new / "index.md").write_text("\n".join(kept) + "\n\n" + text.split("\n\n", 1)[1],
                                  encoding="utf-8")

    def photo_codes(folder: Path) -> tuple[int, dict[str, str]]:
        check = invoke("check", "--format", "json", "--content", str(content),
                       "--path", str(folder), "--submitted-at", "2025-05-14 10:00")
        report = json.loads(check.stdout)
        return check.returncode, {p["code"]: p["severity"] for f in report["files"]
                                  if f["path"].endswith(".jpg") for p in f["problems"]}

    code, imported_photo = photo_codes(old.parent)
    assert code == 0 and imported_photo.get("photo.too_small") == "warning", imported_photo
    code, contributed_photo = photo_codes(new)
    assert code == 1 and contributed_photo.get("photo.too_small") == "error", contributed_photo
    # What the check let through, the build publishes: the old item with its small photo.
    shutil.rmtree(new)
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok and not result.refused, result.errors
    assert list((tmp_path / "out" / "anh" / old.parent.name).glob("anh-1-*.jpg"))
