"""One submission time per item: the pull request's verdict is the report's verdict.

A real git history: an item about an event of Monday 12/05/2025 (due by the
end of Tuesday 13/05) is committed on Monday evening but its pull request is
opened on Wednesday 14/05. The pull-request check says "late"; after the merge
job records the opening time, the monthly report and the editors' page say
"late" too. Without the record the report falls back to the commit time and
says so ("guessed").
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build, page
from sitefactory import write_item

ROOT = Path(__file__).resolve().parent.parent
MONDAY_COMMIT = "2025-05-12T18:00:00+07:00"
WEDNESDAY_OPENED = "2025-05-14T09:00:00+07:00"
MERGED = "2025-05-14T15:00:00+07:00"


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = dict(os.environ)
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def run(*args: str):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.fixture
def merged_repo(tmp_path):
    repo = tmp_path / "site"
    content = repo / "content"
    content.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bbt@example.org")
    git(repo, "config", "user.name", "Ban Biên tập")
    write_item(content, "tin-cu", date="2025-05-02 08:00", Submitted="2025-05-02 07:00",
               Unit="ke-sach")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Nội dung ban đầu", when="2025-05-02T08:00:00+07:00")
    git(repo, "checkout", "-qb", "tin-thu-hai")
    write_item(content, "tin-gui-thu-tu", date=None, Event_date="2025-05-12 08:00",
               Unit="ke-sach", seed=4)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Tin trao quà", when=MONDAY_COMMIT)
    return repo


def pr_check(repo: Path):
    result = run("check", "--changed-from", "main", "--submitted-at", WEDNESDAY_OPENED,
                 "--no-photos", "--format", "json", "--content", str(repo / "content"))
    return result.returncode, json.loads(result.stdout)


def merge(repo: Path):
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "tin-thu-hai", "-m", "Hợp nhất #7", when=MERGED)


def quota_may(repo: Path) -> dict:
    result = run("quota", "--month", "2025-05", "--format", "json", "--content",
                 str(repo / "content"))
    assert result.returncode == 0, result.stderr
    return next(u for u in json.loads(result.stdout)["units"] if u["unit"] == "ke-sach")


def test_late_on_the_pull_request_is_late_in_the_monthly_report(merged_repo, tmp_path):
    repo = merged_repo
    code, report = pr_check(repo)
    item = next(f for f in report["files"] if f["path"].endswith("tin-gui-thu-tu/index.md"))
    assert code == 1 and "deadline.late" in [p["code"] for p in item["problems"]]
    assert item["metrics"]["submitted_source"] == "pull_request"

    merge(repo)
    recorded = run("record-submissions", "--pull-request", "7", "--opened-at", WEDNESDAY_OPENED,
                   "--content", str(repo / "content"))
    assert recorded.returncode == 0, recorded.stderr
    ledger = (repo / "data" / "submissions.csv").read_text(encoding="utf-8")
    assert "tin-gui-thu-tu,2025-05-14T09:00:00+07:00,7," in ledger
    assert "tin-cu" not in ledger  # only what the pull request brought

    row = quota_may(repo)
    assert row["late"] == 1 and row["guessed"] == 0
    assert row["late_items"] == [{"slug": "tin-gui-thu-tu", "type": "tin",
                                  "submitted": WEDNESDAY_OPENED, "submitted_source": "ledger",
                                  "waived": False, "working_days_late": 1}]
    # The site's editors' page, built from the merged branch, agrees.
    site = build(repo / "content", tmp_path / "out", tmp_path / "cache", MTTQ_TODAY="2025-05-31")
    assert site.ok, site.errors
    late = page(tmp_path / "out", "bien-tap/2025/05/").select_one('li[data-slug="tin-gui-thu-tu"]')
    assert late is not None and late["data-kind"] == "late"
    assert late.select_one(".source")["data-source"] == "ledger"
    # Recording the same merge again writes nothing new.
    again = run("record-submissions", "--pull-request", "7", "--opened-at", WEDNESDAY_OPENED,
                "--content", str(repo / "content"))
    assert again.returncode == 0
    assert (repo / "data" / "submissions.csv").read_text(encoding="utf-8") == ledger


def test_without_a_record_the_report_guesses_from_git_and_says_so(merged_repo):
    merge(merged_repo)
    row = quota_may(merged_repo)
    # Monday's commit was before the deadline: on time, but only by a guess.
    assert row["late"] == 0 and row["guessed"] == 1
