"""The web form /soan-tin/ as the build writes it (the browser tests use it in Chromium)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import yaml

from conftest import ROOT

from mttq.intake.cms_config import CMS_DIR, cms_config
from mttq.registry.registries import load_topics, load_units
from mttq.content.item import Registries
from mttq.core.times import LOCAL_TZ

DECAP_DIST = CMS_DIR / "node_modules" / "decap-cms" / "dist"


def _form_config(output: Path) -> dict:
    return yaml.safe_load((output / "soan-tin" / "config.yml").read_text(encoding="utf-8"))


def _choices(config: dict, field: str) -> list[tuple[str, str]]:
    fields = config["collections"][0]["fields"]
    return [(o["value"], o["label"]) for o in next(f for f in fields if f["name"] == field)["options"]]


def test_the_forms_choices_come_from_the_data_files(fixture_site):
    base, result, _ = fixture_site
    assert result.ok, result.errors
    config = _form_config(base / "output")
    topics = load_topics(ROOT / "data" / "topics.yaml")
    assert _choices(config, "category") == [(k, t.name) for k, t in topics.items()]
    units = load_units(ROOT / "data" / "units.yaml")
    today = dt.datetime.now(LOCAL_TZ).date()  # the build judges today in Vietnam
    offered = dict(_choices(config, "unit"))
    assert offered == {k: u.name for k, u in units.items() if u.active_on(today)}
    # The district committees ended on 30/6/2025: none of them is offered any more.
    assert "my-xuyen" in units and "my-xuyen" not in offered


def test_only_units_active_on_the_day_of_the_build_are_offered(tmp_path):
    units_file = tmp_path / "units.yaml"
    units_file.write_text(
        "- {key: cu, name: Đơn vị đã giải thể, kind: district, valid_until: 2025-06-30}\n"
        "- {key: nay, name: Ủy ban MTTQ phường Phú Lợi, kind: district, valid_from: 2025-07-01}\n"
        "- {key: sau, name: Đơn vị thành lập sau, kind: member, valid_from: 2027-01-01}\n",
        encoding="utf-8")
    registries = Registries(topics=load_topics(ROOT / "data" / "topics.yaml"),
                            units=load_units(units_file))
    config = cms_config(registries, {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1"},
                        dt.date(2026, 12, 1))
    assert _choices(config, "unit") == [("nay", "Ủy ban MTTQ phường Phú Lợi")]
    assert config["backend"]["name"] == "proxy"
    early = cms_config(registries, {"name": "proxy"}, dt.date(2025, 6, 30))
    assert _choices(early, "unit") == [("cu", "Đơn vị đã giải thể")]


def test_the_form_saves_bundles_where_the_check_reads_them(fixture_site):
    collection = _form_config(fixture_site[0] / "output")["collections"][0]
    assert collection["folder"] == "content"
    assert collection["path"] == "{{type}}/{{year}}/{{month}}/{{slug}}/index"
    assert collection["media_folder"] == "" and collection["format"] == "frontmatter"
    assert _form_config(fixture_site[0] / "output")["publish_mode"] == "editorial_workflow"
    photos = next(f for f in collection["fields"] if f["name"] == "photos")
    assert [f["name"] for f in photos["fields"]] == ["image", "caption"] and photos["min"] == 1


def test_decap_is_served_by_the_site_from_the_pinned_npm_package(fixture_site):
    output = fixture_site[0] / "output" / "soan-tin"
    lock = json.loads((CMS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/decap-cms"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned["version"]) and pinned["integrity"]
    package = json.loads((CMS_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["decap-cms"] == pinned["version"]
    served = hashlib.sha256((output / "decap-cms.js").read_bytes()).hexdigest()
    assert served == hashlib.sha256((DECAP_DIST / "decap-cms.js").read_bytes()).hexdigest()
    page = (output / "index.html").read_text(encoding="utf-8")
    # Our script first (it holds Decap back until the Vietnamese phrases are in).
    assert page.index('src="soan-tin.js"') < page.index('src="decap-cms.js"')
    assert "noindex" in page and not list(output.glob("*.map"))


def test_no_reader_page_loads_the_forms_scripts(fixture_site):
    output = fixture_site[0] / "output"
    pages = [p for p in output.rglob("*.html") if "soan-tin" not in p.relative_to(output).parts]
    assert len(pages) > 10
    for page in pages:
        scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", page.read_text(encoding="utf-8"))
        assert not [s for s in scripts if "soan-tin" in s or "decap" in s], page


def test_the_forms_status_is_the_one_the_pull_request_workflow_sets():
    from mttq.commands.build import load_settings

    backend = load_settings(ROOT / "publishconf.py")["MTTQ_CMS_BACKEND"]
    assert backend["name"] in ("github", "gitlab")  # the forges whose Decap backend opens PRs
    check = yaml.safe_load((ROOT / ".github" / "workflows" / "pr-check.yml").read_text(
        encoding="utf-8"))
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "form-status.yml").read_text(
        encoding="utf-8"))
    step = workflow["jobs"]["form-status"]["steps"][0]
    assert f'\\"context\\": \\"{backend["preview_context"]}\\"' in step["run"]
    # Started when the check completes (YAML reads the key `on` as True).
    assert workflow[True]["workflow_run"]["workflows"] == [check["name"]]
