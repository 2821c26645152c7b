"""Shared fixtures: real content trees built into real sites with Pelican."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mttq.commands.build import build_site
from mttq.core.paths import REPO_ROOT as ROOT


def build(content: Path, output: Path, cache: Path, settings_file=None,
          skip_refused_files=False, **overrides):
    """Build like the tasks do, with caches kept inside the test's folder."""
    settings = {"MTTQ_CACHE_DIR": str(cache), "CACHE_PATH": str(cache / "pelican"), **overrides}
    return build_site(content, output, settings_file, settings,
                      skip_refused_files=skip_refused_files)


def page(output: Path, relative: str) -> BeautifulSoup:
    path = output / relative
    if path.is_dir() or relative.endswith("/"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed_items(soup: BeautifulSoup) -> list[str]:
    """Item URLs listed as cards on a listing page, in order."""
    return [a["href"] for a in soup.select(".card-title a")]


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """A small site whose every count is known (see tests/fixture_content.py)."""
    from fixture_content import write_fixture_content

    base = tmp_path_factory.mktemp("fixture-site")
    expected = write_fixture_content(base / "content")
    result = build(base / "content", base / "output", base / "cache")
    return base, result, expected


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo-site")
    result = build(ROOT / "content", base / "output", base / "cache")
    return base, result
