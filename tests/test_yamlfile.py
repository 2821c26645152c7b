"""The editors' YAML data files: read fast (libyaml), never expanded by aliases."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mttq.core.yamlfile import DataFileError, NoAliasLoader, load_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = sorted((ROOT / "data").rglob("*.yaml"))

BILLION_LAUGHS = """\
units:
  - &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  - &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""


def test_the_data_files_read_the_same_as_pyyamls_own_parser():
    assert len(DATA_FILES) >= 5
    for path in DATA_FILES:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=NoAliasLoader), path  # noqa: S506


def test_an_alias_bomb_is_refused_with_its_line_before_anything_is_expanded():
    with pytest.raises(DataFileError) as refused:
        load_yaml(BILLION_LAUGHS)
    assert str(refused.value).startswith("dòng 3: không dùng bí danh YAML")


def test_broken_yaml_is_said_with_its_line_and_column():
    with pytest.raises(DataFileError) as refused:
        load_yaml("don_vi:\n  - ten: Xã A\n    ma: [1, 2\n")
    assert "không phải YAML hợp lệ" in str(refused.value)
    assert str(refused.value).startswith("dòng 4")


def test_dates_can_stay_text():
    assert load_yaml("ngay: 2026-12-03\n", dates_as_text=True) == {"ngay": "2026-12-03"}
    assert str(load_yaml("ngay: 2026-12-03\n")["ngay"]) == "2026-12-03"
