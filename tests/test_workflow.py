"""The forge workflows are valid and run exactly what `invoke pr-check` replays."""
from __future__ import annotations

from pathlib import Path

import yaml

from mttq.commands.workflow import PR_JOB_COMMANDS, PR_JOB_ENV, PUBLISH_JOB_COMMANDS

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    return data, data.get("on", data.get(True))


def run_lines(job):
    return tuple(step["run"] for step in job["steps"] if "run" in step)


def test_pull_request_workflow_runs_the_pr_check_commands():
    data, triggers = load("pr-check.yml")
    assert set(triggers["pull_request"]["paths"]) == {"content/**", "data/**"}
    job = data["jobs"]["check"]
    assert run_lines(job) == PR_JOB_COMMANDS
    # Every variable the commands use is set by the job, from the pull request.
    assert set(job["env"]) | {"GITHUB_STEP_SUMMARY"} == set(PR_JOB_ENV)
    assert "pull_request.created_at" in job["env"]["PR_OPENED_AT"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # --changed-from needs the base branch


def test_publish_workflow_publishes_and_uploads_the_site():
    data, triggers = load("publish.yml")
    assert triggers["push"]["branches"] == ["main"]
    job = data["jobs"]["publish"]
    assert run_lines(job) == PUBLISH_JOB_COMMANDS
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "output/"
