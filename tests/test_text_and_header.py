"""Slugs, NFC and the header parser, including property tests over any input."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from mttq.content.header import parse_header
from mttq.content.item import read_item
from mttq.settings import registries_from_settings
from mttq.core.text import fold_diacritics, is_slug, slugify


def test_vietnamese_slugs_drop_diacritics_and_keep_d():
    assert slugify("Đại đoàn kết toàn dân tộc") == "dai-doan-ket-toan-dan-toc"
    assert slugify("Ủy ban MTTQ huyện Cù Lao Dung: “Vì người nghèo” 2025!") == \
        "uy-ban-mttq-huyen-cu-lao-dung-vi-nguoi-ngheo-2025"
    assert fold_diacritics("Mặt trận") == "Mat tran"


def test_composed_and_decomposed_text_give_the_same_slug():
    title = "Hội nghị Ủy ban Mặt trận"
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(title)


@given(st.text(max_size=200))
def test_slug_is_always_ascii_and_well_formed(text):
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert slugify(slug) == slug


def test_header_fields_lines_and_body():
    parsed = parse_header("Title: Tin A\nTags: a,\n    b\nunit: x\n\nThân bài\nDòng 2")
    assert parsed.fields["title"].value == "Tin A"
    assert parsed.fields["tags"].value == "a, b"
    assert parsed.fields["unit"].line == 4
    assert parsed.body == "Thân bài\nDòng 2" and parsed.body_line == 6


metadata_keys = st.sampled_from(["Title", "Type", "Category", "Unit", "Author", "Summary",
                                 "Date", "Event_date", "Tags", "Cover", "Status", "Xyz"])
metadata_values = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
                          max_size=40)


@given(st.lists(st.tuples(metadata_keys, metadata_values), min_size=1, max_size=12),
       st.text(max_size=200))
def test_header_parser_takes_any_header_and_never_loses_the_body(fields, body):
    text = "\n".join(f"{k}: {v}" for k, v in fields) + "\n\n" + body
    parsed = parse_header(text)
    for key, value in fields:
        assert key.lower() in parsed.fields
    assert parsed.body == body


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_reading_any_bytes_gives_problems_never_an_exception(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("c") / "tin" / "2025" / "05" / "bat-ky"
    folder.mkdir(parents=True)
    (folder / "index.md").write_bytes(raw)
    item = read_item(folder / "index.md", registries_from_settings({}), folder.parents[3])
    assert not item.ok  # no title, no photo, …: always at least one error
    assert all(p.code and p.message for p in item.problems)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(metadata_keys, metadata_values), max_size=12), st.text(max_size=300))
def test_any_metadata_and_body_gets_problem_codes_never_an_exception(tmp_path_factory, fields, body):
    from mttq.commands.check import CheckOptions, check_items

    root = tmp_path_factory.mktemp("c")
    folder = root / "tin" / "2025" / "05" / "bat-ky"
    folder.mkdir(parents=True)
    text = "\n".join(f"{k}: {v}" for k, v in fields) + "\n\n" + body
    (folder / "index.md").write_text(text, encoding="utf-8")
    options = CheckOptions(content_root=root, registries=registries_from_settings({}),
                           check_photos=False, check_deadline=False)
    report = check_items([folder / "index.md"], [], options)
    assert len(report.files) == 1
    for problem in report.files[0].problems:
        assert problem.code.count(".") == 1 and problem.severity in ("error", "warning")
        assert problem.message
