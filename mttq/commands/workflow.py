"""The pull-request job, in one place for the forge's workflow and ``invoke pr-check``.

Anyone who can open a pull request is untrusted, so the verdict must not be
written by the pull request:

- The forge runs the workflow of the **base** branch (``pull_request_target``),
  checks the base branch out as the workspace, and installs and runs only its
  requirements, ``tasks.py`` and ``mttq/``.
- The pull request's head is checked out into ``pr/`` (:data:`PR_FOLDER`),
  without credentials, and is only **read** as data: its items and photos
  (``--content pr/content``) and its git history (what changed). Nothing in it
  is installed, imported or run.
- Every changed file outside ``content/tin`` and ``content/bai`` (theme,
  plugins, code, settings, registries, workflows) is reported as
  ``review.maintainer``, an error: the checker cannot judge such a change, a
  maintainer must read it before it is merged.

``.github/workflows/pr-check.yml`` runs exactly :data:`PR_JOB_COMMANDS` (a test
holds them equal), and ``invoke pr-check`` replays them locally in the same
layout (:func:`pr_workspace`): the base branch's files as the workspace, the
branch being checked as ``pr/``.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from mttq.core import git
from mttq.core import problems as P
from mttq.core.paths import ITEM_SECTIONS
from mttq.core.problems import FileReport

PR_FOLDER = "pr"  # the pull request's files, read as data only
REVIEW_CODE = "review.maintainer"

PR_JOB_ENV = ("BASE_REF", "PR_OPENED_AT", "GITHUB_STEP_SUMMARY")

_CHECK = (f'python -m invoke check --changed-from "$BASE_REF" --content {PR_FOLDER}/content'
          ' --submitted-at "$PR_OPENED_AT"')
PR_JOB_COMMANDS = (
    "python -m pip install -r requirements.txt",  # the base branch's requirements
    f"{_CHECK} --format github",
    f'{_CHECK} --format markdown >> "$GITHUB_STEP_SUMMARY"',
)

PUBLISH_JOB_COMMANDS = (
    "python -m pip install -r requirements.txt",
    # Decap CMS for the web form /soan-tin/, pinned by cms/package-lock.json.
    "npm ci --prefix cms --no-audit --no-fund",
    "python -m invoke publish",
    'python -m invoke deploy --to "$MTTQ_DEPLOY_TO"',
)


# --- changes a maintainer must review ---------------------------------------------

def maintainer_review_reports(content_root: Path, ref: str, change=None) -> list[FileReport]:
    """``review.maintainer`` for each changed file that is not part of an item.

    Items are folders under ``<content>/tin`` and ``<content>/bai``; the
    checker judges those. Anything else can change every page (a script in
    the theme), publish files (a setting), or run code in the publish job (a
    plugin, ``tasks.py``, a requirement): no automatic check can clear it.
    ``change``: :func:`git.changed_since` of it, when the caller has it.
    """
    top, changed, _ = change if change is not None else git.changed_since(content_root, ref)
    root = Path(content_root).resolve()
    item_roots = [root / folder for folder in ITEM_SECTIONS]
    reports = []
    for path in sorted(changed):
        if any(path.parent == r or r in path.parents for r in item_roots):
            continue
        name = path.relative_to(top).as_posix()
        reports.append(FileReport(name, "change", [P.error(
            REVIEW_CODE,
            f"Thay đổi ngoài thư mục tin, bài (`{name}`): giao diện, mã nguồn, cấu hình, danh mục "
            "hoặc quy trình. Máy kiểm tra không đánh giá được thay đổi này; nó có thể ảnh hưởng "
            "đến mọi trang và đến việc đăng trang.",
            "Ban Biên tập: không hợp nhất; chuyển cho người quản trị kỹ thuật, người đọc từng "
            "dòng thay đổi rồi mới hợp nhất. Cộng tác viên: chỉ gửi `index.md` và ảnh trong "
            "`content/tin/` hoặc `content/bai/`; bỏ tệp này khỏi pull request.")]))
    return reports


# --- the same job on this machine ----------------------------------------------------

_ANNOTATION = re.compile(r"^::(error|warning) (?P<props>[^:]*)::(?P<text>.*)$")


def readable_annotation(line: str) -> str:
    """A workflow command (``::error file=…,line=…::text``) as a person reads it
    in a terminal: the forge decodes ``%25``, ``%0A``; a terminal does not."""
    match = _ANNOTATION.match(line)
    if not match:
        return line

    def unescape(text: str) -> str:
        return text.replace("%0A", "\n").replace("%0D", "").replace("%3A", ":").replace(
            "%2C", ",").replace("%25", "%")

    props = dict(part.split("=", 1) for part in match["props"].split(",") if "=" in part)
    where = unescape(props.get("file", ""))
    if props.get("line"):
        where += f" (dòng {props['line']})"
    label = "LỖI" if match.group(1) == "error" else "CẢNH BÁO"
    return f"{label} [{unescape(props.get('title', ''))}] {where}: {unescape(match['text'])}"

@contextmanager
def pr_workspace(repo: Path, base: str):
    """A folder laid out like the forge's workspace for ``invoke pr-check``:
    the files of ``base`` (extracted with ``git archive``: data, no git
    metadata), and ``pr/`` = the working tree being checked (a symbolic link,
    so uncommitted changes count, as ``invoke check --changed-from`` does)."""
    repo = Path(repo).resolve()
    archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", base],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise ValueError(f"Không lấy được nhánh '{base}' bằng git: "
                         f"{archive.stderr.decode(errors='replace').strip()}")
    folder = Path(tempfile.mkdtemp(prefix="pr-check-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        os.symlink(repo, folder / PR_FOLDER)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
