"""End to end: a branch adds items, the check judges only them, the merge builds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from conftest import build, listed_items, page
from sitefactory import make_photo, write_item

ROOT = Path(__file__).resolve().parent.parent
SUBMITTED = "2025-05-15 10:00"  # when the pull request was opened


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def check(repo: Path, fmt: str = "json"):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--changed-from", "main", "--submitted-at",
         SUBMITTED, "--content", str(repo / "content"), "--format", fmt],
        cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "site"
    (repo / "content").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bbt@example.org")
    git(repo, "config", "user.name", "Ban Biên tập")
    for n, slug in enumerate(["tin-cu-mot", "tin-cu-hai"]):
        write_item(repo / "content", slug, date=f"2025-04-0{n + 1} 08:00", seed=n,
                   Submitted=f"2025-04-0{n + 1} 07:00")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Nội dung ban đầu")
    git(repo, "checkout", "-qb", "them-tin")
    return repo


def add_branch_items(repo: Path):
    content = repo / "content"
    good = write_item(content, "tin-dung-han", date=None, Event_date="2025-05-14 08:00",
                      Category="dai-doan-ket", Unit="ke-sach", seed=11)
    blurry = write_item(content, "tin-anh-mo", date=None, Event_date="2025-05-14 09:00",
                        Unit="tran-de", seed=12)
    photo = blurry.parent / "anh-1.jpg"
    with Image.open(photo) as image:
        image.filter(ImageFilter.GaussianBlur(8)).save(photo, quality=90)
    late = write_item(content, "tin-gui-tre", date=None, Event_date="2025-05-09 08:00",
                      Unit="ke-sach", seed=13)  # Friday: deadline Monday 12/05 23:59:59
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Thêm ba tin")
    return good, blurry, late


def codes_by_file(report):
    return {f["path"]: sorted(p["code"] for p in f["problems"] if p["severity"] == "error")
            for f in report["files"]}


def test_branch_check_then_fix_then_merge_and_build(repo, tmp_path):
    good, blurry, late = add_branch_items(repo)
    result = check(repo)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    errors = codes_by_file(report)
    articles = {p for p in errors if p.endswith("index.md")}
    assert articles == {"content/tin/2025/05/tin-dung-han/index.md",
                        "content/tin/2025/05/tin-anh-mo/index.md",
                        "content/tin/2025/05/tin-gui-tre/index.md"}  # changed files only
    assert errors["content/tin/2025/05/tin-gui-tre/index.md"] == ["deadline.late"]
    assert errors["content/tin/2025/05/tin-dung-han/index.md"] == []
    assert errors["content/tin/2025/05/tin-anh-mo/index.md"] == []
    assert errors["content/tin/2025/05/tin-anh-mo/anh-1.jpg"] == ["photo.blurry"]
    assert errors["content/tin/2025/05/tin-dung-han/anh-1.jpg"] == []

    text = check(repo, "text")
    assert text.returncode == 1 and "LỖI [photo.blurry]" in text.stdout
    github = check(repo, "github").stdout.splitlines()
    assert any(l.startswith("::error file=content/tin/2025/05/tin-anh-mo/anh-1.jpg,")
               and "title=photo.blurry" in l for l in github)
    assert any("file=content/tin/2025/05/tin-gui-tre/index.md" in l and "deadline.late" in l
               for l in github)
    markdown = check(repo, "markdown").stdout
    assert markdown.startswith("## ❌") and "`photo.blurry`" in markdown

    # Fixes: a sharp photo, and the editor accepts the late item with a reason.
    make_photo(blurry.parent / "anh-1.jpg", seed=21)
    late.write_text(late.read_text().replace(
        "\n\n", "\nDeadline_waiver: Sự kiện kéo dài hai ngày, Ban Biên tập đồng ý\n\n", 1))
    git(repo, "commit", "-qam", "Sửa ảnh, ghi lý do trễ")
    fixed = check(repo)
    assert fixed.returncode == 0, fixed.stdout
    warnings = {p["code"] for f in json.loads(fixed.stdout)["files"] for p in f["problems"]}
    assert "deadline.waived" in warnings

    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "them-tin", "-m", "Hợp nhất: thêm ba tin")
    site = build(repo / "content", tmp_path / "out", tmp_path / "cache")
    assert site.ok, site.errors
    topic = listed_items(page(tmp_path / "out", "chu-de/dai-doan-ket/"))
    assert topic == ["/tin-bai/tin-dung-han/"]
    unit = listed_items(page(tmp_path / "out", "don-vi/ke-sach/"))
    assert set(unit) == {"/tin-bai/tin-dung-han/", "/tin-bai/tin-gui-tre/"}
    # Items without Date are dated by the merge commit that brought them to main:
    # the three merged together one second apart, none after the merge.
    import datetime as dt

    merged_at = dt.datetime.fromisoformat(git(repo, "log", "-1", "--format=%cI").strip())
    shown = [dt.datetime.fromisoformat(page(tmp_path / "out", f"tin-bai/{slug}/").select_one(
        ".item-facts time")["datetime"]) for slug in ("tin-anh-mo", "tin-dung-han", "tin-gui-tre")]
    assert [merged_at - t for t in shown] == [dt.timedelta(seconds=n) for n in range(3)]


def test_a_deleted_photo_still_referenced_is_caught(repo):
    folder = repo / "content" / "tin" / "2025" / "04" / "tin-cu-mot"
    (folder / "anh-1.jpg").unlink()
    result = check(repo)  # uncommitted changes count too
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert codes_by_file(report) == {
        "content/tin/2025/04/tin-cu-mot/index.md": ["article.photo_missing"]}


def test_a_registry_change_rechecks_every_item(repo):
    units = repo / "data" / "units.yaml"
    units.parent.mkdir()
    units.write_text("- {key: vp, name: Văn phòng, kind: department}\n", encoding="utf-8")
    # A change outside content/ that can break items elsewhere: all items are checked.
    result = check(repo)
    paths = {f["path"] for f in json.loads(result.stdout)["files"]}
    assert {"content/tin/2025/04/tin-cu-mot/index.md",
            "content/tin/2025/04/tin-cu-hai/index.md"} <= paths
