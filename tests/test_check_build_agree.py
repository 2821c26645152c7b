"""Anything the build would refuse, the check refuses first, naming the file.

Each case is a hostile or careless file in a real content tree beside a good
item. The check (as a contributor runs it, ``invoke check``) must give an
error code for that file; the build must refuse it too — cleanly, with the
previous site still in place — and an editor's forced publish must leave it
out and publish the rest. Nowhere a Python traceback.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build, page
from sitefactory import write_item, write_page


def hostile_item(content: Path, slug: str, **meta) -> Path:
    return write_item(content, slug, seed=7, **meta)


def _symlinked_folder_inside(content: Path) -> Path:
    target = write_item(content, "tin-that", seed=8).parent
    link = content / "tin" / "2025" / "05" / "tin-lien-ket"
    os.symlink(target, link)
    return link / "index.md"


def _symlinked_folder_outside(content: Path) -> Path:
    outside = write_item(content.parent / "ngoai", "tin-ngoai", seed=9).parent
    link = content / "tin" / "2025" / "05" / "tin-lien-ket-ngoai"
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, link)
    return link / "index.md"


def _symlinked_index(content: Path) -> Path:
    folder = write_item(content, "tin-tep-lien-ket", seed=10).parent
    real = content.parent / "index-that.md"
    (folder / "index.md").rename(real)
    os.symlink(real, folder / "index.md")
    return folder / "index.md"


def _stray_md_in_month(content: Path) -> Path:
    path = content / "tin" / "2025" / "05" / "ghi-chu.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Title: Ghi chú\n\nKhông phải tin.\n", encoding="utf-8")
    return path


def _nested_index(content: Path) -> Path:
    """An item folder inside another: content/tin/2025/05/tin-co-tin-con/con/index.md."""
    outer = write_item(content, "tin-co-tin-con", seed=11)
    inner = outer.parent / "con" / "index.md"
    inner.parent.mkdir()
    inner.write_text(outer.read_text(encoding="utf-8"), encoding="utf-8")
    return inner


def _other_markdown_extension(content: Path) -> Path:
    folder = write_item(content, "tin-duoi-khac", seed=13).parent
    path = folder / "index.markdown"
    path.write_text("Title: x\n\n<script>alert(1)</script>\n", encoding="utf-8")
    return path


def _long_photo_name(content: Path) -> Path:
    name = "anh-" + "a" * 240 + ".jpg"
    return write_item(content, "tin-ten-anh-dai", photos=(name,), seed=14)


CASES = {
    "nul-in-title": (lambda c: hostile_item(c, "tin-nul", title="Tiêu đề\x00lỗi"), "meta.invalid"),
    "noncharacter-in-author": (lambda c: hostile_item(c, "tin-fffe", Author="Lan\ufffe"), "meta.invalid"),
    "bell-in-tag": (lambda c: hostile_item(c, "tin-tag-dk", Tags="Vì người nghèo, A\x07B"), "meta.invalid"),
    "control-in-body": (lambda c: hostile_item(c, "tin-than-dk", body="Nội dung\x0b.\n\n![Ảnh](anh-1.jpg)"),
                        "article.bad_character"),
    "bidi-override-title": (lambda c: hostile_item(c, "tin-bidi", title="Tin \u202egnót\u202c"), "meta.invalid"),
    "year-one": (lambda c: hostile_item(c, "tin-nam-mot", date="0001-01-01 00:00", folder_month="2025-05"),
                 "meta.invalid"),
    "three-thousand-tags": (lambda c: hostile_item(c, "tin-3000-the",
                                                   Tags=", ".join(f"thẻ {n}" for n in range(3000))),
                            "meta.invalid"),
    "long-tag": (lambda c: hostile_item(c, "tin-the-dai", Tags="x" * 300), "meta.invalid"),
    "symbols-only-tag": (lambda c: hostile_item(c, "tin-the-ky-hieu", Tags="Tốt, !!! ???"), "meta.invalid"),
    "brackets": (lambda c: hostile_item(c, "tin-ngoac", body="[" * 20_000 + "\n\n![Ảnh](anh-1.jpg)"),
                 "article.too_complex"),
    "long-photo-name": (_long_photo_name, "article.photo_name"),
    "stray-md-in-month": (_stray_md_in_month, "article.bad_location"),
    "nested-index": (_nested_index, "article.bad_location"),
    "other-markdown-extension": (_other_markdown_extension, "article.bad_location"),
    "symlinked-folder-inside": (_symlinked_folder_inside, "article.symlink"),
    "symlinked-folder-outside": (_symlinked_folder_outside, "article.symlink"),
    "symlinked-index": (_symlinked_index, "article.symlink"),
}


def check_json(content: Path, *targets: Path) -> dict:
    args = [sys.executable, "-m", "invoke", "check", "--no-photos", "--format", "json",
            "--content", str(content)]
    for target in targets or (content,):
        args += ["--path", str(target)]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def errors_of(report: dict, name: str) -> list[str]:
    return sorted(p["code"] for f in report["files"] if f["path"].endswith(name)
                  for p in f["problems"] if p["severity"] == "error")


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_the_build_refuses_the_check_refused_first(tmp_path, case):
    content = tmp_path / "content"
    write_item(content, "tin-tot", seed=1)
    out = tmp_path / "out"
    first = build(content, out, tmp_path / "cache")
    assert first.ok, first.errors
    before = (out / "tin-bai" / "tin-tot" / "index.html").read_bytes()

    make, code = CASES[case]
    hostile = make(content)
    shown = "/".join(Path(os.path.abspath(hostile)).relative_to(tmp_path).parts)
    report = check_json(content)
    assert code in errors_of(report, shown), (shown, report)
    assert not report["ok"]

    refused = build(content, out, tmp_path / "cache")
    assert not refused.ok
    assert any(shown in line for line in refused.errors), refused.errors
    assert not any("Traceback" in line for line in refused.errors)
    assert (out / "tin-bai" / "tin-tot" / "index.html").read_bytes() == before  # site kept

    forced = build(content, out, tmp_path / "cache", skip_refused_files=True)
    assert forced.ok, forced.errors
    assert any(shown in line for line in forced.skipped)
    published = b"".join(p.read_bytes() for p in out.rglob("*.html"))
    assert b"\x00" not in published and "\u202e".encode() not in published
    assert b"<script>alert(1)" not in published


def test_pages_may_not_take_the_sites_addresses_or_pelicans_powers(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-tot", seed=1)
    pages = content / "pages"
    cases = {
        "trang-chu.md": ("Title: Trang chủ giả\nSave_as: index.html\n\nGiả.", "meta.invalid"),
        "lien-ket.md": ("Title: Liên kết\nUrl: //evil.example/\n\nGiả.", "meta.invalid"),
        "mau.md": ("Title: Mẫu\nTemplate: khong-co\n\nGiả.", "meta.invalid"),
        "tin-bai.md": ("Title: Tin bài\nSlug: tin-bai\n\nĐè lên mục tin, bài.", "article.duplicate_slug"),
        "mot.md": ("Title: Một\nSlug: gioi-thieu\n\nMột.", "article.duplicate_slug"),
        "hai.md": ("Title: Hai\nSlug: gioi-thieu\n\nHai.", "article.duplicate_slug"),
    }
    pages.mkdir(parents=True)
    for name, (text, _) in cases.items():
        (pages / name).write_text(text + "\n", encoding="utf-8")
    report = check_json(content)
    for name, (_, code) in cases.items():
        assert code in errors_of(report, f"pages/{name}"), name
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert not result.ok
    for name in cases:
        assert any(f"pages/{name}" in line for line in result.errors), name
    # Two pages of one address stop even a forced publish (which one would win?);
    # the other pages are left out of it.
    forced = build(content, tmp_path / "out", tmp_path / "cache", skip_refused_files=True)
    assert not forced.ok and any("gioi-thieu" in line for line in forced.errors)
    (pages / "hai.md").unlink()
    forced = build(content, tmp_path / "out", tmp_path / "cache", skip_refused_files=True)
    assert forced.ok, forced.errors
    home = page(tmp_path / "out", "index.html")
    assert "Trang chủ giả" not in home.get_text()
    assert not [a for a in home.select("a") if "evil.example" in a.get("href", "")]


def test_a_page_and_an_item_of_one_name_keep_their_own_photos(tmp_path):
    content = tmp_path / "content"
    write_item(content, "trang-lien-he", seed=1)
    pages = content / "pages"
    write_page(content, "lien-he", "Liên hệ", body="![Trụ sở](tru-so.jpg)")
    from sitefactory import make_photo

    make_photo(pages / "tru-so.jpg", seed=30)
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok, result.errors
    item_photos = {p.name for p in (tmp_path / "out" / "anh" / "trang-lien-he").iterdir()}
    page_photos = {p.name for p in (tmp_path / "out" / "anh" / "trang" / "lien-he").iterdir()}
    assert item_photos and page_photos and not item_photos & page_photos


def test_json_ld_cannot_swallow_the_page(tmp_path):
    content = tmp_path / "content"
    title = 'Tin <!--<script> và </script><b>đậm</b> & "trích"'
    write_item(content, "tin-json-ld", title=title, Summary="Tóm tắt <!-- mở chú thích",
               Author="Lan </script><script>alert(1)</script>")
    assert check_json(content)["ok"]  # these are legitimate characters in text
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok, result.errors
    html = (tmp_path / "out" / "tin-bai" / "tin-json-ld" / "index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == title  # the same text, escaped as JSON
    assert page(tmp_path / "out", "tin-bai/tin-json-ld/").h1.get_text() == title


def test_malformed_data_files_get_a_problem_code_not_a_traceback(tmp_path):
    from mttq.commands.build import load_settings
    from mttq.commands.check import check_data_files

    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in "bcdefghij":
        previous = chr(ord(n) - 1)
        laughs.append(f"{n}: &{n} [*{previous}, *{previous}, *{previous}, *{previous}, "
                      f"*{previous}, *{previous}, *{previous}, *{previous}]")
    files = {
        "units.yaml": "- {key: vp, name: Văn phòng, kind: [khong, hop, le\n",
        "topics.yaml": "\n".join(laughs) + "\n",
        "anniversaries.yaml": "anniversaries: nhieu\n",
        "quota.yaml": "rules:\n  - {key: moi, from: 2025-07-01, kinds: [xa], tin: mot}\n",
        "site.yaml": "identities:\n  - {key: cu, name: Trang cũ, until: 2025-06-30}\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = load_settings(ROOT / "pelicanconf.py", {
        "MTTQ_UNITS_FILE": str(tmp_path / "units.yaml"),
        "MTTQ_TOPICS_FILE": str(tmp_path / "topics.yaml"),
        "MTTQ_ANNIVERSARIES_FILE": str(tmp_path / "anniversaries.yaml"),
        "MTTQ_QUOTA_FILE": str(tmp_path / "quota.yaml"),
        "MTTQ_SITE_FILE": str(tmp_path / "site.yaml")})
    reports = check_data_files(settings, tmp_path / "content")
    named = {Path(r.path).name: [p.code for p in r.problems] for r in reports}
    assert named == {name: ["data.invalid"] for name in files}


def test_a_photo_that_is_a_symlink_loop_gets_a_code_not_a_traceback(tmp_path):
    content = tmp_path / "content"
    folder = write_item(content, "tin-vong-lap", photos=(), body="Nội dung.\n\n![Ảnh](anh-1.jpg)\n").parent
    os.symlink("anh-1.jpg", folder / "anh-1.jpg")  # points at itself
    args = [sys.executable, "-m", "invoke", "check", "--format", "json", "--content", str(content),
            "--path", str(folder)]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert "article.photo_outside" in errors_of(report, "tin-vong-lap/index.md")
    built = build(content, tmp_path / "out", tmp_path / "cache")
    assert not built.ok and any("tin-vong-lap" in line for line in built.errors)
