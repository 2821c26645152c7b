"""The forge workflows are valid, run exactly what `invoke pr-check` replays,
and give the pull request no way to write its own verdict."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from mttq.commands.workflow import PR_FOLDER, PR_JOB_COMMANDS, PR_JOB_ENV, PUBLISH_JOB_COMMANDS

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    return data, data.get("on", data.get(True))


def run_lines(job):
    return tuple(step["run"] for step in job["steps"] if "run" in step)


def uses(job, action):
    return [s for s in job["steps"] if s.get("uses", "").startswith(action)]


def test_pull_request_workflow_runs_the_pr_check_commands():
    data, triggers = load("pr-check.yml")
    job = data["jobs"]["check"]
    assert run_lines(job) == PR_JOB_COMMANDS
    # Every variable the commands use is set by the job, from the pull request.
    assert set(job["env"]) | {"GITHUB_STEP_SUMMARY"} == set(PR_JOB_ENV)
    assert "pull_request.created_at" in job["env"]["PR_OPENED_AT"]


def test_every_pull_request_is_checked_by_the_base_branchs_checker():
    data, triggers = load("pr-check.yml")
    # The base branch's copy of this file runs, for every pull request (no
    # paths: filter lets a change of the theme or of the checker go unchecked).
    assert list(triggers) == ["pull_request_target"]
    assert not (triggers["pull_request_target"] or {}).get("paths")
    job = data["jobs"]["check"]
    base, head = uses(job, "actions/checkout")
    assert "ref" not in base.get("with", {}) and "path" not in base.get("with", {})
    assert head["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert head["with"]["path"] == PR_FOLDER
    assert head["with"]["fetch-depth"] == 0  # --changed-from needs the base branch
    # The head comes from the base repository (refs/pull/N/head), so origin/<base>
    # is the real base branch, not a fork's.
    assert "repository" not in head["with"]
    # Nothing from the pull request is run: no step works in its folder, no
    # local action, no requirement file of it, no untrusted text in a script.
    for step in job["steps"]:
        assert PR_FOLDER not in str(step.get("working-directory", ""))
        assert not step.get("uses", "").startswith(".")
        run = step.get("run", "")
        assert "${{" not in run
        assert f"{PR_FOLDER}/" not in run.replace(f"--content {PR_FOLDER}/content", "")
    assert all(f"--content {PR_FOLDER}/content" in line for line in PR_JOB_COMMANDS[1:])


def test_both_workflows_hold_no_credentials_and_share_no_cache():
    for name, job_name in (("pr-check.yml", "check"), ("publish.yml", "publish")):
        data, _ = load(name)
        assert data["permissions"] == {"contents": "read"}, name
        job = data["jobs"][job_name]
        assert "permissions" not in job, name
        for checkout in uses(job, "actions/checkout"):
            assert checkout["with"]["persist-credentials"] is False, name
        for step in job["steps"]:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]) if "uses" in step else True
    pr, _ = load("pr-check.yml")
    assert not uses(pr["jobs"]["check"], "actions/cache")  # nothing a publish could restore
    assert "secrets." not in (WORKFLOWS / "pr-check.yml").read_text(encoding="utf-8")
    publish, _ = load("publish.yml")
    cache = uses(publish["jobs"]["publish"], "actions/cache")[0]["with"]
    assert cache["key"].startswith("mttq-publish-") and cache["restore-keys"] == "mttq-publish-"


def test_publish_workflow_publishes_one_at_a_time_and_deploys():
    data, triggers = load("publish.yml")
    assert triggers["push"]["branches"] == ["main"]
    assert data["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    job = data["jobs"]["publish"]
    assert run_lines(job) == PUBLISH_JOB_COMMANDS
    upload = uses(job, "actions/upload-artifact")[0]
    # The folder `invoke publish` builds (publishconf.py), not the preview's output/.
    from mttq.commands.cli import publish_output

    assert upload["with"]["path"] == f"{publish_output().name}/" == "public/"
    # Secrets reach the deploy step only, never the build (which reads contributed files).
    for step in job["steps"]:
        text = yaml.safe_dump(step)
        assert ("secrets." in text) == ("invoke deploy" in step.get("run", "")), step
    assert "secrets" not in yaml.safe_dump({k: v for k, v in job.items() if k != "steps"})
