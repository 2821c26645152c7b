"""``invoke import-docx``: real Word files become bundles the check and the build accept.

The documents are made here with python-docx (Vietnamese text, two photos, a
table, a list), and one was saved by LibreOffice:
``tests/fixtures/docx/libreoffice-tin.docx`` was made once, with LibreOffice
7.4.7 (Debian 12), from ``tests/fixtures/docx/libreoffice-tin.html`` whose two
``<img src>`` were replaced by ``data:image/jpeg;base64,…`` of
``sitefactory.make_photo(path, size=(1280, 853), seed=11)`` and ``seed=12``
(LibreOffice embeds data: pictures, and only links files):
``soffice --headless --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" …``.
Installing LibreOffice in CI would take minutes, so the file is committed.
``tests/fixtures/docx/mat-khau.docx`` is a python-docx file encrypted once with the password
"matkhau123" by msoffcrypto-tool 6.1 (``OOXMLFile(f).encrypt(password, out)``, the agile
encryption Word uses), not a dependency of the project.

Every run goes through the command an editor types, in a subprocess: its
output and exit code are what the editor sees.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Inches
from PIL import Image

from conftest import ROOT, build, page
from sitefactory import make_photo

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
FIELDS = ["--unit", "hoi-nong-dan", "--topic", "van-dong-phong-trao",
          "--author", "Nguyễn Thị Lan", "--event", "13/05/2025 08:00",
          "--submitted", "14/05/2025 07:45"]


def run_import(docx: Path, content: Path, *options: str) -> subprocess.CompletedProcess:
    content.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "invoke", "import-docx", str(docx),
                           "--content", str(content), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def bundles(content: Path) -> list[Path]:
    return sorted(p.parent for p in content.glob("*/*/*/*/index.md"))


def word_document(folder: Path, photos: int = 2) -> tuple[Path, list[Path]]:
    """A Word file as a commune's cadre writes one: heading, lead, photos each
    followed by its caption, a sub-heading, a list and a table."""
    pictures = [make_photo(folder / f"IMG_2025051{i}.jpg", size=(2000, 1333), seed=20 + i)
                for i in range(photos)]
    doc = Document()
    doc.add_heading("Hội Nông dân phường Phú Lợi ra quân làm đường giao thông nông thôn", 1)
    lead = doc.add_paragraph().add_run(
        "Sáng 13/5, Hội Nông dân phường Phú Lợi phối hợp Ủy ban MTTQ phường ra quân sửa chữa "
        "2 km đường giao thông nông thôn.")
    lead.bold = True
    doc.add_paragraph("Tham gia có hơn 150 hội viên, đoàn viên thanh niên và Nhân dân địa phương.")
    if photos:
        doc.add_picture(str(pictures[0]), width=Inches(5))
        doc.add_paragraph("Hội viên nông dân san lấp mặt đường")
    doc.add_heading("Kết quả", 2)
    paragraph = doc.add_paragraph("Công trình có ")
    paragraph.add_run("tổng kinh phí").italic = True
    paragraph.add_run(" hơn 300 triệu đồng, do Nhân dân đóng góp.")
    doc.add_paragraph("Đổ đá cấp phối", style="List Bullet")
    doc.add_paragraph("Trồng cây xanh hai bên đường", style="List Bullet")
    table = doc.add_table(rows=3, cols=2)
    for i, (a, b) in enumerate([("Hạng mục", "Kinh phí"), ("Đá, cát", "200 triệu đồng"),
                                ("Ngày công", "100 triệu đồng")]):
        table.cell(i, 0).text, table.cell(i, 1).text = a, b
    for picture in pictures[1:]:
        doc.add_picture(str(picture), width=Inches(5))
        doc.add_paragraph("Lãnh đạo phường thăm hỏi, động viên bà con")
    path = folder / "Tin Phú Lợi.docx"
    doc.save(path)
    return path, pictures


def test_a_word_file_with_two_photos_becomes_a_bundle_the_check_accepts(tmp_path):
    docx, pictures = word_document(tmp_path)
    content = tmp_path / "content"
    run = run_import(docx, content, *FIELDS)
    assert run.returncode == 0, run.stdout + run.stderr
    [bundle] = bundles(content)
    assert bundle.relative_to(content).as_posix() == \
        "tin/2025/05/hoi-nong-dan-phuong-phu-loi-ra-quan-lam-duong-giao-thong-nong-thon"
    assert str(bundle) in run.stdout and "Đạt" in run.stdout
    # Every photo at its original resolution, byte for byte, under a clean name.
    assert sorted(p.name for p in bundle.iterdir()) == ["anh-1.jpg", "anh-2.jpg", "index.md"]
    for name, original in zip(("anh-1.jpg", "anh-2.jpg"), pictures):
        assert (bundle / name).read_bytes() == original.read_bytes()
    text = (bundle / "index.md").read_text(encoding="utf-8")
    assert text.startswith("Title: Hội Nông dân phường Phú Lợi ra quân làm đường giao thông nông thôn\n")
    assert "Submitted: 2025-05-14 07:45" in text and "Event_date: 2025-05-13 08:00" in text
    assert "Unit: hoi-nong-dan" in text and "Type: tin" in text
    body = text.split("\n\n", 1)[1]
    # In the order of the document: lead, photo 1 and its caption, heading, list, table, photo 2.
    expected = ["**Sáng 13/5, Hội Nông dân phường Phú Lợi",
                "![Hội viên nông dân san lấp mặt đường](anh-1.jpg)", "## Kết quả",
                "*tổng kinh phí*", "- Đổ đá cấp phối", "| Hạng mục | Kinh phí |",
                "| Đá, cát | 200 triệu đồng |",
                "![Lãnh đạo phường thăm hỏi, động viên bà con](anh-2.jpg)"]
    positions = [body.index(part) for part in expected]
    assert positions == sorted(positions)
    assert body.count("Hội viên nông dân san lấp mặt đường") == 1  # a caption, not also a paragraph

    # Published: the editors merge it (its date is then the merge's; here written down).
    (bundle / "index.md").write_text(text.replace("Type: tin\n", "Type: tin\nDate: 2025-05-14 09:00\n"),
                                     encoding="utf-8")
    result = build(content, tmp_path / "output", tmp_path / "cache")
    assert result.ok, result.errors
    item = page(tmp_path / "output", f"tin-bai/{bundle.name}/")
    captions = [c.get_text(strip=True) for c in item.select("figure figcaption")]
    assert captions == ["Hội viên nông dân san lấp mặt đường",
                        "Lãnh đạo phường thăm hỏi, động viên bà con"]
    assert item.select_one("table td").get_text() == "Đá, cát"
    assert item.select_one("h2").get_text() == "Kết quả"


def test_without_the_fields_the_check_names_them_and_accepts_once_they_are_given(tmp_path):
    docx, _ = word_document(tmp_path)
    content = tmp_path / "content"
    run = run_import(docx, content, "--submitted", "14/05/2025 07:45")
    assert run.returncode == 1
    for field in ("Category (chủ đề)", "Unit (đơn vị)", "Author (tác giả)"):
        assert f"Thiếu trường {field}" in run.stdout
    [bundle] = bundles(content)
    index = bundle / "index.md"
    text = index.read_text(encoding="utf-8")
    text = (text.replace("Category:\n", "Category: van-dong-phong-trao\n")
                .replace("Unit:\n", "Unit: hoi-nong-dan\n")
                .replace("Author:\n", "Author: Nguyễn Thị Lan\n"))
    index.write_text(text, encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "invoke", "check", "--path", str(bundle), "--content",
                            str(content)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_the_deadline_is_judged_on_when_the_email_arrived(tmp_path):
    docx, _ = word_document(tmp_path)
    late = run_import(docx, tmp_path / "late", *FIELDS[:-1], "20/05/2025 07:45")
    assert late.returncode == 1 and "deadline.late" in late.stdout
    on_time = run_import(docx, tmp_path / "on-time", *FIELDS)
    assert on_time.returncode == 0 and "[deadline." not in on_time.stdout


def test_a_file_saved_by_libreoffice_imports_with_its_photos_and_table(tmp_path):
    content = tmp_path / "content"
    run = run_import(FIXTURES / "libreoffice-tin.docx", content, *FIELDS[:-4],
                     "--event", "20/05/2025 08:00", "--submitted", "20/05/2025 16:30")
    assert run.returncode == 0, run.stdout + run.stderr
    [bundle] = bundles(content)
    assert bundle.name == "uy-ban-mttq-xa-dai-tam-trao-10-can-nha-dai-doan-ket-cho-ho-ngheo"
    text = (bundle / "index.md").read_text(encoding="utf-8")
    assert "![Lãnh đạo xã trao quyết định hỗ trợ cho các hộ nghèo](anh-1.jpg)" in text
    assert "![Người dân phấn khởi nhận nhà mới](anh-2.jpg)" in text
    assert "| Quỹ Vì người nghèo | 400 triệu đồng |" in text and "- Xây mới 10 căn nhà" in text
    with zipfile.ZipFile(FIXTURES / "libreoffice-tin.docx") as archive:
        embedded = sorted(archive.read(n) for n in archive.namelist() if n.startswith("word/media/"))
    assert sorted((bundle / n).read_bytes() for n in ("anh-1.jpg", "anh-2.jpg")) == embedded


def test_a_photo_without_a_caption_paragraph_gets_an_empty_caption_the_check_asks_for(tmp_path):
    picture = make_photo(tmp_path / "a.jpg", size=(1600, 1067), seed=3)
    doc = Document()
    doc.add_heading("Tọa đàm kỷ niệm Ngày truyền thống Mặt trận", 1)
    doc.add_paragraph("Sáng 18/11, Ủy ban MTTQ tỉnh tổ chức tọa đàm.")
    doc.add_picture(str(picture), width=Inches(4))
    doc.save(tmp_path / "toa-dam.docx")
    run = run_import(tmp_path / "toa-dam.docx", tmp_path / "content", *FIELDS)
    assert run.returncode == 1 and "article.caption_missing" in run.stdout
    assert "chưa có chú thích" in run.stdout
    [bundle] = bundles(tmp_path / "content")
    assert "![](anh-1.jpg)" in (bundle / "index.md").read_text(encoding="utf-8")


# --- bad and hostile input: a Vietnamese message, no traceback, nothing written -----------------

def _refused(run: subprocess.CompletedProcess, content: Path, *words: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.startswith("LỖI: ")
    for word in words:
        assert word in run.stderr, run.stderr
    assert not list(content.rglob("*")), list(content.rglob("*"))


def _docx_with(tmp_path: Path, name: str, replace: dict[str, bytes], extra: dict[str, bytes] = {}):
    """A real python-docx file, with some parts replaced or added."""
    source, _ = word_document(tmp_path, photos=1)
    target = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for filename, data in extra.items():
            new.writestr(filename, data)
    return target


def test_not_a_word_file_is_refused(tmp_path):
    content = tmp_path / "content"
    photo = make_photo(tmp_path / "anh.docx", size=(400, 300))  # a JPEG named .docx
    _refused(run_import(photo, content), content, "không phải tệp Word (.docx)")
    text = tmp_path / "ghi-chu.docx"
    text.write_text("Nội dung tin", encoding="utf-8")
    _refused(run_import(text, content), content, "không phải tệp Word")
    _refused(run_import(tmp_path / "khong-co.docx", content), content, "Không mở được tệp")
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    _refused(run_import(broken, content), content, "bị hỏng")


def test_a_password_protected_file_and_an_old_doc_are_told_apart(tmp_path):
    content = tmp_path / "content"
    _refused(run_import(FIXTURES / "mat-khau.docx", content), content, "được đặt mật khẩu")
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    old = tmp_path / "cu.doc"
    old.write_bytes(header + bytes(4000))
    _refused(run_import(old, content), content, "tệp Word cũ (.doc)")


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path):
    content = tmp_path / "content"
    huge = tmp_path / "rat-lon.docx"
    with huge.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.write(b"PK\x03\x04")
        handle.truncate(200 * 1024 * 1024)
    _refused(run_import(huge, content), content, "nặng 200 MB", "tối đa 50 MB")


def test_a_zip_bomb_is_refused(tmp_path):
    content = tmp_path / "content"
    bomb = _docx_with(tmp_path, "bom.docx", {}, {"word/media/image9.png": bytes(120 * 1024 * 1024)})
    assert bomb.stat().st_size < 2 * 1024 * 1024
    _refused(run_import(bomb, content), content, "nén bất thường")


def test_path_traversal_in_zip_names_is_refused_and_writes_nothing_outside(tmp_path):
    content = tmp_path / "content"
    evil = _docx_with(tmp_path, "duong-dan.docx", {}, {"../../thoat-ra.txt": b"x",
                                                       "/etc/cron.d/x": b"y"})
    _refused(run_import(evil, content), content, "tên phần bên trong bất thường")
    assert not (tmp_path.parent / "thoat-ra.txt").exists()
    assert not (ROOT / "thoat-ra.txt").exists()


def _media_name(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        return next(n for n in archive.namelist() if n.startswith("word/media/"))


def test_an_emf_drawing_is_left_out_with_a_message_and_the_text_still_imported(tmp_path):
    source, _ = word_document(tmp_path, photos=1)
    media = _media_name(source)
    emf = tmp_path / "hinh-ve.docx"
    # The picture becomes an EMF drawing: its part, its relationship and its type.
    emf_bytes = (b"\x01\x00\x00\x00" + b"\x6c\x00\x00\x00" + bytes(32) + b" EMF" + bytes(64))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(emf, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            name = info.filename
            if name == media:
                name, data = media.rsplit(".", 1)[0] + ".emf", emf_bytes
            elif name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = data.replace(media.split("/")[-1].encode(),
                                    (media.split("/")[-1].rsplit(".", 1)[0] + ".emf").encode())
                if name == "[Content_Types].xml":
                    data = data.replace(b"</Types>", b'<Default Extension="emf" '
                                        b'ContentType="image/x-emf"/></Types>')
            new.writestr(name, data)
    content = tmp_path / "content"
    run = run_import(emf, content, *FIELDS)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "EMF/WMF" in run.stdout and "article.no_photo" in run.stdout
    [bundle] = bundles(content)
    assert sorted(p.name for p in bundle.iterdir()) == ["index.md"]
    assert "Tham gia có hơn 150 hội viên" in (bundle / "index.md").read_text(encoding="utf-8")


def test_a_document_without_photos_is_imported_and_told_it_needs_one(tmp_path):
    source, _ = word_document(tmp_path, photos=0)
    run = run_import(source, tmp_path / "content", *FIELDS)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "không có ảnh chụp nào" in run.stdout and "article.no_photo" in run.stdout


def test_a_huge_picture_is_left_out_without_being_decoded(tmp_path):
    big = io.BytesIO()
    Image.new("L", (8000, 8000)).save(big, "PNG")  # 64 million pixels, a few hundred KB
    source, _ = word_document(tmp_path, photos=1)
    media = _media_name(source)
    with zipfile.ZipFile(source) as archive:
        original = archive.read(media)
    # Same name and type as the JPEG it replaces: the picture's bytes decide.
    assert original[:2] == b"\xff\xd8"
    huge = _docx_with(tmp_path, "anh-lon.docx", {media: big.getvalue()})
    run = run_import(huge, tmp_path / "content", *FIELDS)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "triệu điểm ảnh" in run.stdout


@pytest.mark.parametrize("option,value,message", [
    ("--type", "tin-tuc", "--type phải là 'tin' hoặc 'bai'"),
    ("--unit", "khong-co", "Đơn vị 'khong-co' không có"),
    ("--event", "32/13/2025", "Ngày giờ không hợp lệ"),
])
def test_wrong_options_are_explained(tmp_path, option, value, message):
    docx, _ = word_document(tmp_path, photos=1)
    content = tmp_path / "content"
    _refused(run_import(docx, content, option, value), content, message)
