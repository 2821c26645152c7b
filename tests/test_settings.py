"""Project settings of the wrong kind are refused before the build starts, in
Vietnamese, naming each setting; the site already published stays."""
from __future__ import annotations

from pathlib import Path

from conftest import build
from sitefactory import write_item


def test_a_setting_of_the_wrong_kind_names_itself_and_keeps_the_previous_site(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-mot")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(content, out, cache).ok
    before = (out / "index.html").read_bytes()

    result = build(content, out, cache, MTTQ_FEED_ITEMS="50", MTTQ_WORKERS=0,
                   MTTQ_TODAY="02/12/2026", MTTQ_RENDITION_WIDTHS=[480, 0])
    assert not result.ok
    text = "\n".join(result.errors)
    for key in ("MTTQ_FEED_ITEMS", "MTTQ_WORKERS", "MTTQ_TODAY", "MTTQ_RENDITION_WIDTHS"):
        assert key in text, text
    assert "YYYY-MM-DD" in text and "không dùng được" in text
    assert len(result.errors) == 4  # one line each, no traceback
    assert (out / "index.html").read_bytes() == before
