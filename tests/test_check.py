"""``invoke check``: the right problem codes, for every file, in every format."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path


from mttq.commands.check import CheckOptions, check_items, collect_targets
from mttq.settings import registries_from_settings
from sitefactory import make_photo, write_item

ROOT = Path(__file__).resolve().parent.parent


def run_check(content: Path, *targets: Path, photos: bool = False):
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_photos=photos)
    items, loose = collect_targets(list(targets or [content]))
    report = check_items(items, loose, options)
    return {Path(f.path).parent.name if f.kind == "article" else f.path:
            sorted(p.code for p in f.problems) for f in report.files}, report


def codes_of(report, slug):
    return next(f for f in report.files if f.kind == "article" and f"/{slug}/" in f.path).problems


def test_good_item_has_no_problems(tmp_path):
    write_item(tmp_path, "tin-tot", Submitted="2025-05-14 08:00")
    codes, report = run_check(tmp_path)
    assert codes == {"tin-tot": []} and report.ok


def test_bad_metadata_is_reported_with_codes_fields_and_lines(tmp_path):
    write_item(tmp_path, "thieu-truong", Author=None, Summary=None)
    write_item(tmp_path, "sai-chu-de", Category="phong-trao")
    write_item(tmp_path, "sai-don-vi", Unit="my-xuyenn")
    write_item(tmp_path, "sai-ngay", date=None, extra={"Date": "31/02/2025"})
    write_item(tmp_path, "sai-loai", extra={"Type": "tin-tuc"})
    write_item(tmp_path, "go-nham-truong", extra={"Catgory": "x"})
    _, report = run_check(tmp_path)
    missing = codes_of(report, "thieu-truong")
    assert {(p.code, p.field) for p in missing} == {("meta.missing", "author"),
                                                    ("meta.missing", "summary")}
    topic = codes_of(report, "sai-chu-de")
    assert [(p.code, p.field) for p in topic] == [("meta.invalid", "category")]
    assert "van-dong-phong-trao" in topic[0].hint  # suggests the closest key
    unit = codes_of(report, "sai-don-vi")[0]
    assert (unit.code, unit.field) == ("meta.invalid", "unit") and "my-xuyen" in unit.hint
    date = codes_of(report, "sai-ngay")[0]
    assert (date.code, date.field, date.line) == ("meta.invalid", "date", 7)
    assert [p.code for p in codes_of(report, "sai-loai")] == ["meta.invalid"]
    typo = codes_of(report, "go-nham-truong")[0]
    assert (typo.code, typo.severity) == ("meta.unknown_key", "warning")
    assert "Category" in typo.hint
    # Six bad files, six reports: one bad file never hides the others.
    assert len(report.files) == 6 and not report.ok


def test_photo_reference_problems(tmp_path):
    text = "Nội dung tin về hoạt động của Mặt trận.\n\n"
    write_item(tmp_path, "khong-anh", photos=(), body=text)
    write_item(tmp_path, "anh-thieu", body=text + "![Ảnh](khong-co.jpg)", photos=())
    write_item(tmp_path, "anh-ngoai", body=text + "![Ảnh](../khong-anh/x.jpg)", photos=())
    write_item(tmp_path, "anh-web", body=text + "![Ảnh](https://example.com/a.jpg)", photos=())
    write_item(tmp_path, "khong-chu-thich", body=text + "![](anh-1.jpg)")
    folder = write_item(tmp_path, "anh-thua").parent
    make_photo(folder / "anh-9.jpg")
    codes, _ = run_check(tmp_path)
    assert codes["khong-anh"] == ["article.no_photo"]
    assert codes["anh-thieu"] == ["article.photo_missing"]
    assert codes["anh-ngoai"] == ["article.photo_outside"]
    assert codes["anh-web"] == ["article.photo_external"]
    assert codes["khong-chu-thich"] == ["article.caption_missing"]
    assert codes["anh-thua"] == ["article.photo_unreferenced"]


def test_symlinked_photo_escaping_the_bundle_is_refused(tmp_path):
    secret = tmp_path / "secret.jpg"
    make_photo(secret)
    folder = write_item(tmp_path / "content", "lien-ket", body="![Ảnh](anh-1.jpg)", photos=()).parent
    (folder / "anh-1.jpg").symlink_to(secret)
    codes, _ = run_check(tmp_path / "content")
    assert "article.photo_outside" in codes["lien-ket"]


def test_duplicate_slug_and_wrong_location(tmp_path):
    write_item(tmp_path, "trung-ten", date="2025-04-01 08:00")
    write_item(tmp_path, "trung-ten", date="2025-05-01 08:00")
    write_item(tmp_path, "Ten_Co_Dau")
    codes, report = run_check(tmp_path)
    dup = [f for f in report.files if "/trung-ten/" in f.path]
    assert len(dup) == 2
    assert all([p.code for p in f.problems] == ["article.duplicate_slug"] for f in dup)
    assert codes["Ten_Co_Dau"] == ["article.bad_slug"]


def test_duplicate_slug_is_found_when_checking_only_the_new_item(tmp_path):
    write_item(tmp_path, "da-co", date="2025-04-01 08:00")
    new = write_item(tmp_path, "da-co", type="bai", date="2025-05-01 08:00")
    codes, _ = run_check(tmp_path, new.parent)
    assert codes == {"da-co": ["article.duplicate_slug"]}


def test_unit_that_no_longer_existed_on_the_date(tmp_path):
    write_item(tmp_path, "don-vi-da-giai-the", date="2025-08-01 08:00", Unit="my-xuyen")
    _, report = run_check(tmp_path)
    problem = codes_of(report, "don-vi-da-giai-the")[0]
    assert problem.field == "unit" and "30/06/2025" in problem.message


def test_nfd_text_is_normalised_and_legacy_encodings_are_refused(tmp_path):
    from mttq.content.item import read_item

    index = write_item(tmp_path, "chu-nfd", title="Mặt trận")
    index.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", index.read_text()).replace(
        "\n", "\r\n").encode("utf-8"))
    item = read_item(index, registries_from_settings({}))
    assert item.meta.title == unicodedata.normalize("NFC", "Mặt trận") and item.ok
    legacy = write_item(tmp_path, "bang-ma-cu")
    legacy.write_bytes(legacy.read_text().replace("Tin thử nghiệm", "Tin th\u1eed").encode("cp1258",
                                                                                        "replace"))
    codes, _ = run_check(tmp_path)
    assert codes["bang-ma-cu"] == ["article.encoding"]


def invoke(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_cli_exit_codes_and_json_contract(tmp_path):
    write_item(tmp_path, "tot", Submitted="2025-05-14 08:00")
    write_item(tmp_path, "xau", Unit="khong-co")
    ok = invoke("check", "--no-photos", "--content", str(tmp_path),
                "--path", str(tmp_path / "tin/2025/05/tot"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = invoke("check", "--no-photos", "--format", "json", "--content", str(tmp_path),
                 "--path", str(tmp_path))
    assert bad.returncode == 1
    data = json.loads(bad.stdout)
    assert data["ok"] is False and set(data) == {"ok", "notes", "files"}
    for file in data["files"]:
        assert set(file) == {"path", "kind", "ok", "problems", "metrics"}
        assert file["kind"] in ("article", "page", "photo", "change")
        for problem in file["problems"]:
            assert {"code", "severity", "message", "hint"} <= set(problem)
    by_name = {Path(f["path"]).parent.name: f for f in data["files"]}
    assert by_name["tot"]["ok"] and not by_name["xau"]["ok"]
    usage = invoke("check", "--path", str(tmp_path / "khong-co-thu-muc-nay"))
    assert usage.returncode == 2 and "khong-co-thu-muc-nay" in usage.stderr
    assert "Traceback" not in usage.stderr + bad.stderr


def test_the_mttq_command_checks_several_paths_given_as_they_are(tmp_path):
    write_item(tmp_path, "mot", Submitted="2025-05-14 08:00")
    write_item(tmp_path, "hai", Unit="khong-co")
    write_item(tmp_path, "ba", Category="khong-co")
    mttq = Path(sys.executable).with_name("mttq")
    out = subprocess.run([str(mttq), "check", "--no-photos", "--format", "json", "--content",
                          str(tmp_path), str(tmp_path / "tin/2025/05/mot"),
                          str(tmp_path / "tin/2025/05/hai")], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert sorted(Path(f["path"]).parent.name for f in json.loads(out.stdout)["files"]) == [
        "hai", "mot"]
    helped = subprocess.run([str(mttq), "check", "--help"], capture_output=True, text=True)
    assert "cách dùng: mttq check" in helped.stdout and "--submitted-at" in helped.stdout


def test_cli_text_report_is_vietnamese_and_grouped_by_file(tmp_path):
    write_item(tmp_path, "xau", Unit="khong-co", photos=(), body="Không ảnh.")
    out = invoke("check", "--no-photos", "--content", str(tmp_path), "--path", str(tmp_path))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].endswith("xau/index.md")
    assert any("LỖI [article.no_photo]" in l for l in lines)
    assert any("Cách sửa:" in l for l in lines)
    assert "Chưa đạt" in lines[-1]


def test_a_photo_already_published_in_another_item_is_a_duplicate(tmp_path):

    from PIL import Image

    content = tmp_path / "content"
    old = write_item(content, "tin-cu", date="2025-04-01 08:00", seed=3)
    new = write_item(content, "tin-moi", photos=(), body="![Ảnh tư liệu](anh-1.jpg)")
    # The same photo, resized and recompressed, as a contributor's copy would be.
    with Image.open(old.parent / "anh-1.jpg") as image:
        image.resize((1200, 800)).save(new.parent / "anh-1.jpg", quality=80)
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           cache_dir=tmp_path / "cache")
    items, loose = collect_targets([new.parent])
    report = check_items(items, loose, options)
    photo = next(f for f in report.files if f.kind == "photo")
    duplicate = [p for p in photo.problems if p.code == "photo.duplicate"]
    assert duplicate and duplicate[0].severity == "warning" and "tin-cu" in duplicate[0].message
    # A different photo is not a duplicate.
    make_photo(new.parent / "anh-1.jpg", seed=77)
    report = check_items(items, loose, options)
    assert not [p for f in report.files for p in f.problems if p.code == "photo.duplicate"]
