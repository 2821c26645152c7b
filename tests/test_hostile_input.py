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
