"""Hostile or careless input never leaks into the built site."""
from __future__ import annotations

from conftest import build, page
from sitefactory import write_item

HOSTILE_BODY = """Đoạn mở đầu <b>đậm</b>.

<script>alert('x')</script>
<p onclick="steal()">Bấm vào đây</p>
<a href="javascript:alert(1)">liên kết xấu</a> và <a href="https://mattran.example/tin">liên kết tốt</a>
<img src="https://tracker.example/pixel.gif" onerror="alert(2)">
<iframe src="https://evil.example/"></iframe>
<style>body{display:none}</style>
<form action="https://evil.example/"><input name="x"></form>

![Ảnh hợp lệ](anh-1.jpg)
"""


def test_raw_html_is_sanitised_and_metadata_escaped(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-doc-hai", title='Tiêu đề <script>alert("t")</script> & "trích dẫn"',
               body=HOSTILE_BODY, Tags="<b>thẻ</b>")
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok, result.errors
    html = (tmp_path / "out" / "tin-bai" / "tin-doc-hai" / "index.html").read_text()
    body = page(tmp_path / "out", "tin-bai/tin-doc-hai/").select_one(".item-body")
    body_html = str(body)
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "<form",
                "tracker.example", "alert("):
        assert bad not in body_html, bad
    assert "<b>đậm</b>" in body_html
    assert body.select_one('a[href="https://mattran.example/tin"]')["rel"] == ["noopener",
                                                                               "noreferrer"]
    assert body.select_one("figure.photo img")["src"].startswith("/anh/tin-doc-hai/")
    # The title is shown as text everywhere, never as markup.
    assert '<script>alert("t")' not in html
    assert "Tiêu đề &lt;script&gt;" in html
    soup = page(tmp_path / "out", "tin-bai/tin-doc-hai/")
    assert soup.h1.get_text() == 'Tiêu đề <script>alert("t")</script> & "trích dẫn"'
    assert soup.select_one(".tags a").get_text() == "<b>thẻ</b>"


# --- the corpus of broken files (tests/corpus) -------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from mttq.commands.check import CheckOptions, check_items, collect_targets  # noqa: E402
from mttq.settings import registries_from_settings  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_every_broken_file_of_the_corpus_gets_its_codes_and_no_traceback():
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    content = CORPUS / "content"
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_photos=False, check_deadline=False)
    items, _ = collect_targets([content])
    report = check_items(items, [], options)
    found = {Path(f.path).parent.name: sorted(p.code for p in f.problems if p.severity == "error")
             for f in report.files}
    assert found == expected


def test_the_build_refuses_the_broken_corpus_items_and_names_each_file(tmp_path):
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    result = build(CORPUS / "content", tmp_path / "out", tmp_path / "cache")
    assert not result.ok
    for slug, codes in expected.items():
        if codes:
            assert any(slug in error for error in result.errors), slug
    assert not (tmp_path / "out").exists()  # nothing half-written
    assert not any("Traceback" in e for e in result.errors)


def test_hostile_photos_get_codes_and_a_bomb_is_refused_fast(tmp_path):
    import struct
    import time
    import zlib

    content = tmp_path / "content"
    folder = write_item(content, "anh-doc-hai", photos=(), body=(
        "![Bom](bom.png)\n\n![Cụt](cut.jpg)\n\n![Chữ](chu.jpg)\n")).parent

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    (folder / "bom.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
                                     + chunk(b"IEND", b""))
    from sitefactory import make_photo

    make_photo(folder / "cut.jpg")
    data = (folder / "cut.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 3])
    (folder / "chu.jpg").write_text("đây không phải là ảnh", encoding="utf-8")
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_deadline=False, cache_dir=tmp_path / "cache")
    started = time.perf_counter()
    items, _ = collect_targets([folder])
    report = check_items(items, [], options)
    codes = {Path(f.path).name: sorted(p.code for p in f.problems if p.severity == "error")
             for f in report.files if f.kind == "photo"}
    assert codes["bom.png"] == ["photo.too_large"]
    assert codes["cut.jpg"] == ["photo.unreadable"]
    assert codes["chu.jpg"] == ["photo.unreadable"]
    assert time.perf_counter() - started < 5  # the bomb is judged from its header
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert not result.ok and any("anh-doc-hai" in e for e in result.errors)


def test_duplicate_slugs_and_an_empty_tree_stop_the_build_with_a_clear_error(tmp_path):
    content = tmp_path / "content"
    write_item(content, "trung-ten", date="2025-04-01 08:00")
    write_item(content, "trung-ten", type="bai", date="2025-05-01 08:00", seed=2)
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert not result.ok
    assert any("article.duplicate_slug" in e and "trung-ten" in e for e in result.errors)
    empty = tmp_path / "empty"
    (empty / "pages").mkdir(parents=True)
    result = build(empty, tmp_path / "out2", tmp_path / "cache")
    assert not result.ok and "chưa có tin, bài" in result.errors[0]
