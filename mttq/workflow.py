"""The pull-request job, in one place for the forge's workflow and ``invoke pr-check``.

``.github/workflows/pr-check.yml`` runs exactly these commands (a test holds
them equal), and ``invoke pr-check`` replays them locally with the same
environment variables, so a contributor or editor sees what CI will say.
"""
from __future__ import annotations

PR_JOB_ENV = ("BASE_REF", "PR_OPENED_AT", "GITHUB_STEP_SUMMARY")

PR_JOB_COMMANDS = (
    "python -m pip install -r requirements.txt",
    'python -m invoke check --changed-from "$BASE_REF" --submitted-at "$PR_OPENED_AT"'
    " --format github",
    'python -m invoke check --changed-from "$BASE_REF" --submitted-at "$PR_OPENED_AT"'
    ' --format markdown >> "$GITHUB_STEP_SUMMARY"',
)

PUBLISH_JOB_COMMANDS = (
    "python -m pip install -r requirements.txt",
    # Decap CMS for the web form /soan-tin/, pinned by cms/package-lock.json.
    "npm ci --prefix cms --no-audit --no-fund",
    "python -m invoke publish",
)
