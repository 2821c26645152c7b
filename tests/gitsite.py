"""A site in a real git repository, with commits and merges at chosen times.

Used by the tests of feeds over time (tests/test_feeds_over_time.py) and of
polling through nginx (tests/browser/test_feed_polling.py).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build
from sitefactory import make_photo, write_item
from mttq.core.times import LOCAL_TZ

PUBLISH = ROOT / "publishconf.py"
SITEURL = "https://mttq.example.vn"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


class Repo:
    """A site repository whose commits are made at chosen times."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "bbt@example.org")
        self.git("config", "user.name", "Ban Biên tập")
        self.builds = 0

    def git(self, *args: str, when: dt.datetime | None = None) -> str:
        env = dict(os.environ)
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
        return subprocess.run(["git", "-C", str(self.root), *args], check=True,
                              capture_output=True, text=True, env=env).stdout

    def commit(self, message: str, when: dt.datetime) -> None:
        self.git("add", "-A")
        self.git("commit", "-qm", message, when=when)

    def merge(self, branch: str, when: dt.datetime, change, message: str = "") -> None:
        """``change()`` on a new branch (committed an hour before), merged --no-ff at ``when``."""
        self.git("checkout", "-qb", branch)
        change()
        self.commit(f"Đề xuất: {branch}", when - dt.timedelta(hours=1))
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", branch, "-m", message or f"Hợp nhất: {branch}",
                 when=when)

    def build(self, today: str, output: str = "output", cache: str = "cache",
              siteurl: str = SITEURL, **settings):
        result = build(self.content, self.root.parent / output, self.root.parent / cache,
                       settings_file=PUBLISH, SITEURL=siteurl, MTTQ_TODAY=today, **settings)
        assert result.ok, result.errors
        return self.root.parent / output

    def check(self, base: str = "main") -> dict:
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "check", "--changed-from", base, "--no-photos",
             "--submitted-at", "2025-07-01 08:00", "--content", str(self.content),
             "--format", "json"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode in (0, 1), result.stderr
        return json.loads(result.stdout)


def item_folder(repo: Repo, slug: str) -> Path:
    return next(repo.content.glob(f"*/*/*/{slug}"))


def edit_body(repo: Repo, slug: str, old: str, new: str) -> None:
    path = item_folder(repo, slug) / "index.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_field(repo: Repo, slug: str, key: str, value: str) -> None:
    path = item_folder(repo, slug) / "index.md"
    head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    path.write_text("\n".join(lines + [f"{key}: {value}"]) + "\n\n" + body, encoding="utf-8")


def small_photo(folder: Path, seed: int) -> None:
    """A small photo (640 px: two renditions per format), so that bursts build quickly."""
    folder.mkdir(parents=True, exist_ok=True)
    make_photo(folder / "anh-1.jpg", size=(640, 427), seed=seed)


def add_item(repo: Repo, slug: str, seed: int, **meta) -> Path:
    small_photo(repo.content / "tin" / "2025" / "05" / slug, seed)
    meta.setdefault("Unit", "ban-pt-tg")  # active until 30/06/2025 (undated: judged at its commit)
    return write_item(repo.content, slug, date=None, seed=seed, folder_month="2025-05", **meta)


def new_repo(root: Path) -> Repo:
    """A repository with one commit (an empty item section), on 01/05/2025."""
    repo = Repo(root)
    (repo.content / "tin").mkdir()
    (repo.content / "tin" / ".gitkeep").write_text("")
    repo.commit("Khởi tạo", at("2025-05-01 08:00"))
    return repo
