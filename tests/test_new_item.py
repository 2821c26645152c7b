"""`invoke new`: a contributor gets a folder and a template that the check explains."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args, input_text=None):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, input=input_text,
                          capture_output=True, text=True)


def test_new_item_from_options_then_check_says_what_is_missing(tmp_path):
    result = invoke("new", "--type", "bai", "--unit", "hoi-nong-dan", "--topic", "dai-doan-ket",
                    "--title", "Nông dân Sóc Trăng đoàn kết làm giàu", "--event", "",
                    "--author", "Trần Văn C", "--content", str(tmp_path))
    assert result.returncode == 0, result.stderr
    [index] = list(tmp_path.glob("bai/*/*/nong-dan-soc-trang-doan-ket-lam-giau/index.md"))
    text = index.read_text(encoding="utf-8")
    assert "Title: Nông dân Sóc Trăng đoàn kết làm giàu" in text and "Unit: hoi-nong-dan" in text
    assert "Event_date" not in text  # no event: no deadline
    assert str(index.parent) in result.stdout and "mttq check" in result.stdout
    check = invoke("check", "--no-photos", "--format", "json", "--content", str(tmp_path), "--path",
                   str(index.parent))
    import json

    codes = sorted(p["code"] for f in json.loads(check.stdout)["files"] for p in f["problems"])
    assert codes == ["article.photo_missing", "meta.missing"]  # the photo and the summary


def test_new_item_asks_questions_and_never_overwrites(tmp_path):
    answers = "tin\nvan-dong-phong-trao\nvp\nTrao quà cho hộ nghèo\n2025-05-13 08:00\nLê Thị D\n"
    first = invoke("new", "--content", str(tmp_path), input_text=answers)
    second = invoke("new", "--content", str(tmp_path), input_text=answers)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    folders = sorted(p.parent.name for p in tmp_path.glob("tin/*/*/*/index.md"))
    assert folders == ["trao-qua-cho-ho-ngheo", "trao-qua-cho-ho-ngheo-2"]
    assert "Event_date: 2025-05-13 08:00" in (
        next(tmp_path.glob("tin/*/*/trao-qua-cho-ho-ngheo/index.md")).read_text())


def test_new_item_rejects_unknown_unit_with_the_list(tmp_path):
    result = invoke("new", "--type", "tin", "--unit", "khong-co", "--topic", "dai-doan-ket",
                    "--title", "X", "--event", "", "--author", "A", "--content", str(tmp_path))
    assert result.returncode == 2 and "my-xuyen" in result.stderr
    assert not any(tmp_path.iterdir())
