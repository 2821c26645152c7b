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
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from . import problems as P
from .problems import FileReport

PR_FOLDER = "pr"  # the pull request's files, read as data only
ITEM_FOLDERS = ("tin", "bai")  # under the content folder: what contributors send
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
    "python -m invoke publish",
    'python -m invoke deploy --to "$MTTQ_DEPLOY_TO"',
)


# --- changes a maintainer must review ---------------------------------------------

def changed_paths(content_root: Path, ref: str) -> tuple[Path, list[str]]:
    """The repository's top folder and every path changed since the merge base
    of ``ref`` and HEAD (committed or not, untracked included; a rename counts
    as a deletion and an addition, so a file moved out of ``theme/`` shows)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=top,
                              capture_output=True, text=True, check=True).stdout

    top = Path(content_root).resolve()
    top = Path(git("rev-parse", "--show-toplevel").strip())
    base = git("merge-base", ref, "HEAD").strip()
    names = git("diff", "--name-only", "--no-renames", base, "--").splitlines()
    names += git("ls-files", "--others", "--exclude-standard").splitlines()
    return top, sorted(set(names))


def maintainer_review_reports(content_root: Path, ref: str) -> list[FileReport]:
    """``review.maintainer`` for each changed file that is not part of an item.

    Items are folders under ``<content>/tin`` and ``<content>/bai``; the
    checker judges those. Anything else can change every page (a script in
    the theme), publish files (a setting), or run code in the publish job (a
    plugin, ``tasks.py``, a requirement): no automatic check can clear it.
    """
    top, names = changed_paths(content_root, ref)
    root = Path(content_root).resolve()
    item_roots = [root / folder for folder in ITEM_FOLDERS]
    reports = []
    for name in names:
        path = top / name
        if any(path.parent == r or r in path.parents for r in item_roots):
            continue
        reports.append(FileReport(name, "change", [P.error(
            REVIEW_CODE,
            f"Thay đổi ngoài thư mục tin, bài ({name}): giao diện, mã nguồn, cấu hình, danh mục "
            "hoặc quy trình. Máy kiểm tra không đánh giá được thay đổi này; nó có thể ảnh hưởng "
            "đến mọi trang và đến việc đăng trang.",
            "Ban Biên tập: không hợp nhất; chuyển cho người quản trị kỹ thuật, người đọc từng "
            "dòng thay đổi rồi mới hợp nhất. Cộng tác viên: chỉ gửi index.md và ảnh trong "
            "content/tin/ hoặc content/bai/; bỏ tệp này khỏi pull request.")]))
    return reports


# --- the same job on this machine ----------------------------------------------------

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
