"""The stored index of published photos' perceptual hashes (data/photo-hashes.csv).

A pull request's duplicate check takes published photos' hashes from the index
by git blob id instead of decoding the site; it must give the verdicts that
hashing every photo gives, whatever state the index is in. Real git, real
photos, a fresh cache folder each time (a runner without ``cache/``).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mttq.commands.check import duplicate_photo_problems
from mttq.photos.quality import perceptual_hash
from sitefactory import make_photo, write_item

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def photo_hashes(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", "photo-hashes", "--content",
                           str(repo / "content")], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def site(tmp_path):
    """A repository with two published items and their index, and two new photos:
    ``same`` (the bytes of the first item's photo) and ``other`` (unlike any)."""
    repo = tmp_path / "repo"
    content = repo / "content"
    first = write_item(content, "tin-da-dang", seed=11).parent
    write_item(content, "tin-khac", seed=12)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bbt@example.org")
    git(repo, "config", "user.name", "Ban Biên tập")
    commit(repo, "Hai tin đã đăng")
    assert photo_hashes(repo).returncode == 0
    commit(repo, "Mã nhận dạng ảnh")
    new = write_item(content, "tin-moi", seed=0, photos=()).parent
    shutil.copy(first / "anh-1.jpg", new / "trung.jpg")
    make_photo(new / "khac.jpg", seed=99)
    return repo, first, new


def verdicts(repo: Path, new: Path, cache: Path) -> dict[str, str]:
    """New photo name -> the message of its ``photo.duplicate``, if any."""
    found = duplicate_photo_problems([new / "trung.jpg", new / "khac.jpg"], repo / "content",
                                     cache)
    return {path.name: problem.message for path, problem in found.items()
            if problem.code == "photo.duplicate"}


def test_the_index_lists_every_committed_photo_once_and_is_stable(site):
    repo, _, _ = site
    index = repo / "data" / "photo-hashes.csv"
    rows = index.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "blob,phash,path"
    assert sorted(r.split(",")[2] for r in rows[1:]) == [
        "tin/2025/05/tin-da-dang/anh-1.jpg", "tin/2025/05/tin-khac/anh-1.jpg"]
    before = index.read_bytes()
    again = photo_hashes(repo)
    assert again.returncode == 0 and "(0 ảnh mới tính mã)" in again.stdout, again.stdout
    assert index.read_bytes() == before


def test_a_copy_of_a_published_photo_is_found_and_a_new_photo_is_not(site, tmp_path):
    repo, _, new = site
    found = verdicts(repo, new, tmp_path / "cache")
    assert set(found) == {"trung.jpg"}
    assert "tin-da-dang" in found["trung.jpg"]


def test_the_check_takes_published_hashes_from_the_index_by_blob(site, tmp_path):
    """An index that says the published photo looks like ``khac.jpg`` is believed
    (so it was not decoded): the verdicts follow the index, not the pixels."""
    repo, first, new = site
    index = repo / "data" / "photo-hashes.csv"
    blob = git(repo, "rev-parse", "HEAD:content/tin/2025/05/tin-da-dang/anh-1.jpg").strip()
    lied = f"{perceptual_hash(str(new / 'khac.jpg')):016x}"
    lines = [f"{blob},{lied},tin/2025/05/tin-da-dang/anh-1.jpg" if line.startswith(blob)
             else line for line in index.read_text(encoding="utf-8").splitlines()]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert set(verdicts(repo, new, tmp_path / "cache")) == {"khac.jpg"}


def test_a_photo_replaced_in_place_is_judged_by_its_new_pixels(site, tmp_path):
    repo, first, new = site
    make_photo(first / "anh-1.jpg", seed=99)  # now the image of khac.jpg; the index is stale
    commit(repo, "Thay ảnh")
    found = verdicts(repo, new, tmp_path / "cache")
    assert set(found) == {"khac.jpg"} and "tin-da-dang" in found["khac.jpg"]


def test_a_deleted_photo_is_no_longer_a_duplicate(site, tmp_path):
    repo, first, new = site
    shutil.rmtree(first)
    commit(repo, "Gỡ tin")
    assert verdicts(repo, new, tmp_path / "cache") == {}


@pytest.mark.parametrize("damage", ["missing", "garbled", "uncommitted edit"])
def test_a_missing_or_damaged_index_gives_the_same_verdicts(site, tmp_path, damage):
    repo, first, new = site
    index = repo / "data" / "photo-hashes.csv"
    if damage == "missing":
        index.unlink()
    elif damage == "garbled":
        index.write_bytes(b"blob,phash\n\xff\xfe,zz,\n" + b"x" * 300 + b"\n,,,,\n")
    else:  # the published photo edited but not committed: its blob row no longer applies
        make_photo(first / "anh-1.jpg", seed=99)
    found = verdicts(repo, new, tmp_path / "cache")
    assert set(found) == ({"khac.jpg"} if damage == "uncommitted edit" else {"trung.jpg"})


def test_outside_git_every_published_photo_is_hashed(tmp_path):
    content = tmp_path / "content"
    first = write_item(content, "tin-da-dang", seed=11).parent
    new = write_item(content, "tin-moi", seed=0, photos=()).parent
    shutil.copy(first / "anh-1.jpg", new / "trung.jpg")
    make_photo(new / "khac.jpg", seed=99)
    assert set(verdicts(tmp_path, new, tmp_path / "cache")) == {"trung.jpg"}
