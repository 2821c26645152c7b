"""The search index after an edit: items tokenised by an earlier build are taken
from the cache, and the index is the one a build with no cache writes."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT
from sitefactory import write_item

from mttq.commands.build import build_site


def _build(content: Path, output: Path, cache: Path):
    result = build_site(content, output, ROOT / "publishconf.py", {
        "MTTQ_CACHE_DIR": str(cache), "CACHE_PATH": str(cache / "pelican"), "MTTQ_TODAY": "2025-06-30"})
    assert result.ok, result.errors
    return result


def _index(output: Path) -> tuple[str, dict[str, bytes]]:
    (folder,) = [p for p in (output / "tim-kiem").iterdir() if p.is_dir()]
    return folder.name, {p.relative_to(folder).as_posix(): p.read_bytes()
                         for p in sorted(folder.rglob("*")) if p.is_file()}


def _terms(files: dict[str, bytes]) -> dict:
    terms = {}
    for name, data in files.items():
        if name.startswith("t/"):
            terms.update(json.loads(data))
    return terms


def test_an_edited_item_is_found_by_its_new_words_and_the_index_equals_an_uncached_one(tmp_path):
    content = tmp_path / "content"
    items = [write_item(content, f"tin-{n}", title=f"Hội nghị số {n} của Mặt trận xã",
                        date=f"2025-05-{n + 1:02d} 09:00") for n in range(8)]
    cache = tmp_path / "cache"
    _build(content, tmp_path / "first", cache)
    _, before = _index(tmp_path / "first")
    assert "khinh khi cau" not in _terms(before)

    edited = items[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "Nội dung tin về hoạt động", "Khinh khí cầu bay qua hội trường, nội dung tin về hoạt động"),
        encoding="utf-8")
    _build(content, tmp_path / "second", cache)  # seven items' tokens from the cache
    name, after = _index(tmp_path / "second")
    terms = _terms(after)
    assert "khinh khi cau" not in terms  # pairs only, not triples
    assert "khinh khi" in terms and "khi cau" in terms
    assert terms["khinh"][0] == ["khinh"]  # the exact form kept for ranking
    # One doc holds the new words: the edited item (its id: a delta from 0).
    doc_id = terms["khinh"][1]
    shown = json.loads(after[f"f/{doc_id}.json"])
    assert shown["u"].endswith("/tin-bai/tin-3/")

    fresh_name, fresh = _index(tmp_path / "third") if _build(
        content, tmp_path / "third", tmp_path / "empty-cache") else (None, None)
    assert (name, after) == (fresh_name, fresh)
    assert before != after
