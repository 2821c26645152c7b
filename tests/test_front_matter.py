"""The second header form: YAML front matter, as the web form (/soan-tin/) writes it.

Both forms of one item must be the same item: the same pages built, the same
problems found, and the check's line numbers pointing at the YAML lines.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build
from sitefactory import make_photo

from mttq.content.header import parse_header
from mttq.content.markdown_photos import render_body

NATIVE = """Title: Ra quân xây dựng nhà Đại đoàn kết ở xã Đại Tâm
Type: tin
Category: van-dong-phong-trao
Unit: my-xuyen
Author: Nguyễn Thị Lan
Event_date: 2025-05-13 08:00
Date: 2025-05-14 09:00
Summary: Ủy ban MTTQ huyện Mỹ Xuyên phối hợp khởi công 5 căn nhà Đại đoàn kết: "Vì người nghèo".
Tags: Vì người nghèo, Nhà đại đoàn kết

Sáng 13/5, Ủy ban MTTQ Việt Nam huyện **Mỹ Xuyên** khởi công 5 căn nhà.

- Mỗi căn 60 triệu đồng
- Hoàn thành trước 2/9

![Lãnh đạo huyện trao quyết định [hỗ trợ] cho hộ nghèo](anh-1.jpg)

![Thanh niên tình nguyện phụ giúp xây nhà](anh-2.jpg)
"""

# What Decap CMS writes for the same item (its YAML serialiser: quotes where
# needed, a folded summary, lists for tags and photos).
FRONT_MATTER = """---
title: Ra quân xây dựng nhà Đại đoàn kết ở xã Đại Tâm
type: tin
category: van-dong-phong-trao
unit: my-xuyen
author: Nguyễn Thị Lan
event_date: 2025-05-13 08:00
date: 2025-05-14 09:00
summary: >-
  Ủy ban MTTQ huyện Mỹ Xuyên phối hợp khởi công 5 căn nhà Đại đoàn kết: "Vì
  người nghèo".
tags:
  - Vì người nghèo
  - Nhà đại đoàn kết
photos:
  - image: anh-1.jpg
    caption: Lãnh đạo huyện trao quyết định [hỗ trợ] cho hộ nghèo
  - image: anh-2.jpg
    caption: Thanh niên tình nguyện phụ giúp xây nhà
---

Sáng 13/5, Ủy ban MTTQ Việt Nam huyện **Mỹ Xuyên** khởi công 5 căn nhà.

- Mỗi căn 60 triệu đồng
- Hoàn thành trước 2/9
"""

SLUG = "ra-quan-xay-nha-dai-doan-ket"


def _tree(base: Path, text: str) -> Path:
    folder = base / "content" / "tin" / "2025" / "05" / SLUG
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    make_photo(folder / "anh-1.jpg", seed=1)
    make_photo(folder / "anh-2.jpg", seed=2)
    return base / "content"


def test_both_forms_parse_to_the_same_fields_and_body():
    native, yaml_form = parse_header(NATIVE), parse_header(FRONT_MATTER)
    assert not yaml_form.errors
    assert {k: f.value for k, f in yaml_form.fields.items()} == \
        {k: f.value for k, f in native.fields.items()}
    # The same Markdown, photos included, as the body of the first form.
    assert render_body(yaml_form.body, ROOT) == render_body(native.body, ROOT)
    assert yaml_form.fields["summary"].line == 9  # the line of "summary:" in the file


def test_both_forms_build_identical_pages(tmp_path):
    outputs = []
    for name, text in (("native", NATIVE), ("yaml", FRONT_MATTER)):
        content = _tree(tmp_path / name, text)
        result = build(content, tmp_path / name / "output", tmp_path / name / "cache")
        assert result.ok, result.errors
        outputs.append(tmp_path / name / "output")
    native, yaml_form = outputs
    pages = sorted(p.relative_to(native) for p in native.rglob("*.html"))
    assert Path("tin-bai", SLUG, "index.html") in pages
    assert pages == sorted(p.relative_to(yaml_form) for p in yaml_form.rglob("*.html"))
    for relative in pages:
        assert (native / relative).read_bytes() == (yaml_form / relative).read_bytes(), relative
    item = (yaml_form / "tin-bai" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Lãnh đạo huyện trao quyết định [hỗ trợ] cho hộ nghèo" in item
    assert "<strong>Mỹ Xuyên</strong>" in item


def _check(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "invoke", "check", "--path", str(path), "--format", "json",
                          "--no-photos", "--content", str(path.parents[4])],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_the_checks_messages_point_at_the_yaml_lines(tmp_path):
    broken = (FRONT_MATTER.replace("unit: my-xuyen", "unit: my-xuyenn")
              .replace("category: van-dong-phong-trao\n", "")
              .replace("    caption: Thanh niên tình nguyện phụ giúp xây nhà\n", ""))
    content = _tree(tmp_path, broken)
    index = content / "tin" / "2025" / "05" / SLUG / "index.md"
    report = _check(index)
    problems = [p for f in report["files"] for p in f["problems"]]
    by_code = {(p["code"], p.get("field")): p for p in problems}
    unit = by_code[("meta.invalid", "unit")]  # line 4 once "category" is gone
    assert unit["line"] == 4 and "my-xuyenn" in unit["message"]
    assert ("meta.missing", "category") in by_code
    captions = [p for p in problems if p["code"] == "article.caption_missing"]
    assert len(captions) == 1 and "anh-2.jpg" in captions[0]["message"]


def test_a_broken_yaml_header_is_a_vietnamese_problem_with_its_line(tmp_path):
    content = _tree(tmp_path, FRONT_MATTER.replace("type: tin", "type: [tin"))
    report = _check(content / "tin" / "2025" / "05" / SLUG / "index.md")
    problems = [p for f in report["files"] for p in f["problems"]]
    yaml_problem = next(p for p in problems if p["code"] == "meta.front_matter")
    assert yaml_problem["line"] >= 3 and "YAML" in yaml_problem["message"]
    unclosed = _tree(tmp_path / "b", FRONT_MATTER.replace("---\n\nSáng", "\nSáng"))
    problems = [p for f in _check(unclosed / "tin" / "2025" / "05" / SLUG / "index.md")["files"]
                for p in f["problems"]]
    assert any(p["code"] == "meta.front_matter" and p["line"] == 1 for p in problems)
