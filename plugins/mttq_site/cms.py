"""The web form for contributors, ``/soan-tin/`` (Decap CMS), written with the site.

A thin adapter: :mod:`mttq.intake.cms_config` makes the form's configuration
from the data files; this generator writes it beside the form's page and
scripts, and registers every file in the build's manifest. Decap's JavaScript
comes from the npm registry (``cms/package.json``, pinned, with its lock file;
``./dev demo`` and ``./dev test`` run ``npm ci`` there) and is served by the
site itself, under ``/soan-tin/`` only: no reader page loads it.
"""
from __future__ import annotations

import html
import logging
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from mttq.outputs import manifest
from mttq.intake.cms_config import CMS_DIR, cms_config, config_yaml
from mttq.reports.quota import today_from_setting
from mttq.settings import registries_from_settings, with_defaults

log = logging.getLogger(__name__)

DECAP_DIST = CMS_DIR / "node_modules" / "decap-cms" / "dist"
# Our own files of the form (cms/): the page, its script (Vietnamese phrases,
# clean photo names, phone layout) and its stylesheet.
OWN_FILES = ("soan-tin.js", "soan-tin.css")
NOT_INSTALLED = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gửi tin, bài</title></head>
<body><main><h1>Biểu mẫu gửi tin, bài chưa được cài</h1>
<p>Bản dựng này thiếu Decap CMS. Trên máy dựng trang, chạy <code>./dev demo</code>
(hoặc <code>npm ci --prefix cms</code>) rồi dựng lại.</p></main></body></html>
"""


def decap_files(dist: Path = DECAP_DIST) -> list[Path]:
    """The files of Decap's build a browser loads: the main script, the chunks it
    loads on demand, its WebAssembly modules and the licence notice (no source maps,
    nor the second copy of everything named ``cms.js``)."""
    files = [dist / "decap-cms.js", dist / "decap-cms.js.LICENSE.txt"]
    files += sorted(dist.glob("*.decap-cms.js")) + sorted(dist.glob("*.wasm"))
    return [f for f in files if f.is_file()]


class CmsGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        settings = with_defaults(self.settings)
        folder = settings["MTTQ_CMS_PATH"].strip("/")
        out = Path(self.output_path) / folder
        out.mkdir(parents=True, exist_ok=True)
        outputs = manifest.current()

        def put(name: str, data: bytes | None = None, source: Path | None = None):
            target = out / name
            if source is not None:
                shutil.copyfile(source, target)
            else:
                target.write_bytes(data)
            if outputs is not None:
                outputs.add(os.path.relpath(target, self.output_path))

        if not (DECAP_DIST / "decap-cms.js").is_file():
            log.warning("Biểu mẫu gửi tin, bài (/%s/) chưa có Decap CMS (%s): chạy ./dev demo "
                        "hoặc npm ci --prefix cms rồi dựng lại.", folder, DECAP_DIST)
            put("index.html", NOT_INSTALLED.encode("utf-8"))
            return
        registries = registries_from_settings(settings)
        config = cms_config(registries, settings["MTTQ_CMS_BACKEND"],
                            today_from_setting(settings["MTTQ_TODAY"]))
        # The site's logo on the login page. No `site_url`: Decap would print it in the
        # editor's toolbar, where a phone has no room.
        siteurl = settings.get("SITEURL", "")
        if settings.get("SITELOGO"):
            config["logo_url"] = f"{siteurl}/{settings['SITELOGO'].lstrip('/')}"
        put("config.yml", config_yaml(config).encode("utf-8"))
        page = (CMS_DIR / "index.html").read_text(encoding="utf-8")
        put("index.html", page.replace("{{ SITENAME }}", html.escape(settings.get("SITENAME", "")))
            .encode("utf-8"))
        for name in OWN_FILES:
            put(name, source=CMS_DIR / name)
        for source in decap_files():
            put(source.name, source=source)


def get_generators(pelican):
    return CmsGenerator
