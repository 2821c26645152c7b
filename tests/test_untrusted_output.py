"""Nothing but generated pages and photo renditions reaches the output.

Pelican's intrasite links ({static}, {attach}, {filename}) copy the named file
into the site, ``..`` included; a secret of the build machine or an original
photo with its GPS position must never be published that way, nor through a
setting a pull request changed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import build
from sitefactory import write_item
from mttq.commands.check import CheckOptions, check_items, collect_targets
from mttq.outputs.manifest import OutputManifest
from mttq.settings import registries_from_settings

SECRET = "token=ghp_secret_of_the_build_machine"

HOSTILE_LINKS = {
    "attach-git-config": "[a]({attach}/../../../../../secret/config)",
    "attach-etc-passwd": "[b](<{attach}/../../../../../../../../etc/passwd>)",
    "static-own-photo": "[Tải ảnh gốc]({static}anh-1.jpg)",
    "filename-other-item": "[c]({filename}/tin/2025/05/tin-ban/index.md)",
    "old-pipe-syntax": "[d](|attach|anh-1.jpg)",
    "raw-html-attach": '<a href="{attach}anh-1.jpg">ảnh gốc</a>',
    "raw-img-static": "<img src='{static}/tin/2025/05/tin-ban/anh-1.jpg'>",
}


def _site_with(tmp_path: Path, slug: str, body_line: str) -> Path:
    content = tmp_path / "site" / "content"
    (tmp_path / "site" / "secret").mkdir(parents=True)
    (tmp_path / "site" / "secret" / "config").write_text(SECRET)
    write_item(content, "tin-ban", date="2025-05-10 08:00", seed=3)
    write_item(content, slug, body=f"Nội dung.\n\n{body_line}\n\n![Ảnh của tin](anh-1.jpg)\n")
    return content


def _codes(content: Path, folder: Path) -> list[str]:
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_photos=False, check_deadline=False)
    items, _ = collect_targets([folder])
    report = check_items(items, [], options)
    return sorted(p.code for f in report.files for p in f.problems if p.severity == "error")


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("slug", sorted(HOSTILE_LINKS))
def test_an_intrasite_link_is_refused_by_the_check_and_never_copies_a_file(tmp_path, slug):
    content = _site_with(tmp_path, slug, HOSTILE_LINKS[slug])
    folder = next(content.glob(f"tin/*/*/{slug}"))
    assert "article.intrasite_link" in _codes(content, folder)
    # An editor's forced publish leaves the item out; nothing it names is copied.
    out = tmp_path / "out"
    result = build(content, out, tmp_path / "cache", skip_refused_files=True)
    assert result.ok, result.errors
    assert not (out / "tin-bai" / slug).exists()
    assert (out / "tin-bai" / "tin-ban" / "index.html").is_file()
    published = _all_bytes(out)
    assert SECRET.encode() not in published
    assert b"root:x:0:0" not in published
    originals = {p.read_bytes() for p in content.rglob("*.jpg")}
    assert not any(p.read_bytes() in originals for p in out.rglob("*.jpg"))


def test_a_page_with_an_intrasite_link_is_refused(tmp_path):
    content = _site_with(tmp_path, "tin-thuong", "Không có liên kết lạ.")
    pages = content / "pages"
    pages.mkdir()
    (pages / "lien-he.md").write_text(
        "Title: Liên hệ\n\nXem [cấu hình]({attach}../../secret/config).\n", encoding="utf-8")
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert not result.ok
    assert any("article.intrasite_link" in e and "lien-he.md" in e for e in result.errors)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name,data", [
    ("trang.html", b"<script>document.cookie</script>"),
    ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("README.md", b"# ghi chu"),
    ("ghi-chu.txt", b"x"),
])
def test_every_file_of_a_bundle_that_is_not_a_photo_or_index_md_is_refused(tmp_path, name, data):
    content = tmp_path / "content"
    folder = write_item(content, "tin-co-tep-la").parent
    (folder / name).write_bytes(data)
    assert _codes(content, folder) == ["article.stray_file"]
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert not result.ok and any("tin-co-tep-la" in e for e in result.errors)


def test_a_sub_folder_photo_and_two_photos_of_one_name_are_refused(tmp_path):
    content = tmp_path / "content"
    folder = write_item(content, "tin-thu-muc-con", photos=("anh-1.jpg", "anh-1.png"),
                        body="Nội dung.\n\n![Một](anh-1.jpg)\n\n![Hai](anh-1.png)\n\n"
                             "![Ba](con/anh-1.jpg)\n").parent
    (folder / "con").mkdir()
    write_item(content, "khac", seed=5)
    (folder / "con" / "anh-1.jpg").write_bytes((folder / "anh-1.jpg").read_bytes())
    codes = _codes(content, folder)
    assert "article.photo_name" in codes  # anh-1.jpg and anh-1.png: one rendition name
    assert "article.photo_outside" in codes  # con/anh-1.jpg
    assert "article.stray_file" in codes  # the folder con/


def test_a_settings_change_cannot_publish_original_photos(tmp_path):
    """STATIC_PATHS = ['tin', 'bai'] (a pull request's pelicanconf.py) would copy every
    original, with its EXIF and GPS, into the site."""
    content = tmp_path / "content"
    write_item(content, "tin-mot")
    out = tmp_path / "out"
    result = build(content, out, tmp_path / "cache", STATIC_PATHS=["tin", "bai"],
                   INTRASITE_LINK_REGEX="[{|](?P<what>.*?)[|}]")
    assert result.ok, result.errors
    assert not list((out).glob("tin/**/*.jpg"))
    original = next(content.rglob("anh-1.jpg")).read_bytes()
    assert all(p.read_bytes() != original for p in out.rglob("*.jpg"))
    assert list(out.glob("anh/tin-mot/anh-1-*.jpg"))  # the renditions are there


def test_the_output_check_names_files_no_generator_wrote(tmp_path):
    root = tmp_path / "site"
    (root / "tin-bai" / "a").mkdir(parents=True)
    (root / "tin-bai" / "a" / "index.html").write_text("ok")
    (root / "tin-bai" / "a" / "config").write_text(SECRET)
    (root / "theme" / "css").mkdir(parents=True)
    (root / "theme" / "css" / "site.css").write_text("body{}")
    (root / "theme" / "css" / "evil.html").write_text("x")
    theme_static = tmp_path / "theme" / "static"
    (theme_static / "css").mkdir(parents=True)
    (theme_static / "css" / "site.css").write_text("body{}")
    os.symlink("/etc/passwd", root / "tin-bai" / "a" / "passwd")
    manifest = OutputManifest(root)
    manifest.add("tin-bai/a/index.html")
    manifest.allow_theme_static("theme", [theme_static])
    assert manifest.strays(root) == ["theme/css/evil.html", "tin-bai/a/config",
                                     "tin-bai/a/passwd"]
