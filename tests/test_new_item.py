"""`invoke new`: a contributor gets a folder and a template that the check explains,
and that the check refuses until every text of the template is replaced."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sitefactory import make_photo

ROOT = Path(__file__).resolve().parent.parent

# What a contributor writes in place of the template (a real news item, ~60 words).
REAL_BODY = (
    "Sáng 13/5/2025, Ủy ban MTTQ Việt Nam tỉnh phối hợp với Hội Nông dân tỉnh trao 50 phần "
    "quà cho hộ nghèo ở xã Đại Tâm. Mỗi phần quà gồm gạo, dầu ăn và 500.000 đồng tiền mặt. "
    "Dịp này, các nhà hảo tâm cũng đăng ký hỗ trợ xây dựng 3 căn nhà Đại đoàn kết cho các "
    "hộ còn khó khăn về nhà ở."
)


def invoke(*args, input_text=None):
    """The command as a contributor runs it; without ``input_text`` there is no terminal
    and nothing to read (as in a script, or a CMS calling it)."""
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT,
                          input=input_text, stdin=None if input_text else subprocess.DEVNULL,
                          capture_output=True, text=True)


def check_codes(content: Path, folder: Path, photos=False) -> tuple[int, list[str]]:
    args = ["check", "--format", "json", "--content", str(content), "--path", str(folder)]
    result = invoke(*args, *([] if photos else ["--no-photos"]))
    files = json.loads(result.stdout)["files"]
    return result.returncode, sorted(p["code"] for f in files for p in f["problems"]
                                     if p["severity"] == "error")


def new_item(content: Path, *extra) -> Path:
    result = invoke("new", "--type", "tin", "--unit", "ct-hoi-nong-dan", "--topic", "dai-doan-ket",
                    "--title", "Trao quà cho hộ nghèo xã Đại Tâm", "--content", str(content),
                    *extra)
    assert result.returncode == 0, result.stderr
    [index] = list(content.glob("tin/*/*/trao-qua-cho-ho-ngheo-xa-dai-tam/index.md"))
    return index


def test_new_item_without_event_or_author_and_without_a_terminal_is_created(tmp_path):
    """The event time and the author are optional: a script (no terminal) is not asked."""
    index = new_item(tmp_path)
    text = index.read_text(encoding="utf-8")
    assert "Title: Trao quà cho hộ nghèo xã Đại Tâm" in text and "Unit: ct-hoi-nong-dan" in text
    assert "Event_date" not in text  # no event: no deadline


def test_new_item_without_required_options_and_without_a_terminal_names_what_is_missing(tmp_path):
    result = invoke("new", "--type", "tin", "--content", str(tmp_path))
    assert result.returncode == 2
    assert "--unit" in result.stderr and "--topic" in result.stderr and "--title" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_the_untouched_template_is_refused_even_with_a_photo_and_a_one_word_summary(tmp_path):
    """Case 1 of issue #19: before, this said "Đạt" and the page went live with the template."""
    index = new_item(tmp_path, "--author", "Trần Văn C")
    make_photo(index.parent / "anh-1.jpg")
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace(text.split("Summary: ")[1].split("\n")[0], "Tóm tắt."),
                     encoding="utf-8")
    code, errors = check_codes(tmp_path, index.parent, photos=True)
    assert code == 1
    assert errors == ["article.placeholder", "article.placeholder", "meta.invalid"]
    report = invoke("check", "--content", str(tmp_path), "--path", str(index.parent)).stdout
    assert "Đạt:" not in report and "chữ mẫu" in report and "`Summary`" in report


def test_every_text_of_the_template_must_be_replaced_and_then_the_item_passes(tmp_path):
    index = new_item(tmp_path)
    make_photo(index.parent / "anh-1.jpg")
    template = index.read_text(encoding="utf-8")
    code, errors = check_codes(tmp_path, index.parent)
    # summary, author, body and caption: each one is the template's text.
    assert code == 1 and errors == ["article.placeholder"] * 4

    head, _, body = template.partition("\n\n")
    lines = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    filled_head = head.replace(lines["Author"], "Trần Văn C").replace(
        lines["Summary"], "Hội Nông dân tỉnh trao 50 phần quà cho hộ nghèo xã Đại Tâm.")
    [instructions, photo_line] = [part for part in body.split("\n\n") if part.strip()]
    caption = photo_line[2:photo_line.index("]")]
    real_photo_line = photo_line.replace(caption, "Đại diện Hội Nông dân trao quà cho hộ nghèo")

    # Half of the instructions left above the real text: still refused.
    first_sentence = instructions.split(". ")[0] + "."
    index.write_text(f"{filled_head}\n\n{REAL_BODY}\n\n{instructions.replace(first_sentence, '')}"
                     f"\n\n{real_photo_line}\n", encoding="utf-8")
    assert check_codes(tmp_path, index.parent) == (1, ["article.placeholder"])

    # The caption left as the template's: refused.
    index.write_text(f"{filled_head}\n\n{REAL_BODY}\n\n{photo_line}\n", encoding="utf-8")
    assert check_codes(tmp_path, index.parent) == (1, ["article.placeholder"])

    # Everything replaced: the item passes.
    index.write_text(f"{filled_head}\n\n{REAL_BODY}\n\n{real_photo_line}\n", encoding="utf-8")
    assert check_codes(tmp_path, index.parent) == (0, [])


def test_a_body_of_a_few_words_is_refused_with_the_advised_length(tmp_path):
    index = new_item(tmp_path, "--author", "Trần Văn C")
    make_photo(index.parent / "anh-1.jpg")
    head = index.read_text(encoding="utf-8").partition("\n\n")[0]
    head = head.replace(head.split("Summary: ")[1].split("\n")[0],
                        "Hội Nông dân tỉnh trao 50 phần quà cho hộ nghèo.")
    index.write_text(f"{head}\n\nTrao quà.\n\n![Trao quà cho hộ nghèo](anh-1.jpg)\n",
                     encoding="utf-8")
    result = invoke("check", "--no-photos", "--format", "json", "--content", str(tmp_path),
                    "--path", str(index.parent))
    [problem] = [p for f in json.loads(result.stdout)["files"] for p in f["problems"]]
    assert problem["code"] == "article.too_short" and "2 chữ" in problem["message"]
    assert "150–400 chữ" in problem["hint"]


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
    assert result.returncode == 2 and "hoi-nong-dan" in result.stderr
    assert not any(tmp_path.iterdir())


def test_a_unit_that_was_wound_up_is_refused_at_once_with_the_active_units(tmp_path):
    """my-xuyen (a district committee) ended on 30/06/2025 (data/units.yaml): the check
    would refuse the item, so `invoke new` says so before anything is written."""
    result = invoke("new", "--type", "tin", "--unit", "my-xuyen", "--topic", "dai-doan-ket",
                    "--title", "Tin của huyện", "--content", str(tmp_path))
    assert result.returncode == 2
    message = result.stderr
    assert "my-xuyen" in message and "30/06/2025" in message
    active = [key.strip(" .\n") for key in message.split("đang hoạt động:")[1].split(",")]
    assert "ct-hoi-nong-dan" in active and "my-xuyen" not in active
    assert not any(tmp_path.iterdir())
    # Asked in a terminal, the list of units to choose from has only the active ones.
    answers = "tin\ndai-doan-ket\nct-van-phong\nTin của văn phòng\n\nLê Thị D\n"
    asked = invoke("new", "--content", str(tmp_path), input_text=answers)
    assert asked.returncode == 0, asked.stderr
    assert " ct-hoi-nong-dan " in asked.stdout and " my-xuyen " not in asked.stdout
    shutil.rmtree(tmp_path / "tin")
