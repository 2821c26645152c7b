"""The index files themselves (plain Python; the browser tests read them with search.js)."""
from __future__ import annotations

import json
import unicodedata

from mttq.outputs.search_index import SearchDoc, build_index, fold, html_text, words


def postings(index, term: str) -> dict[int, tuple]:
    meta = json.loads(index.files["meta.json"])
    chunk = max((c for c in meta["chunks"] if c[0] <= term), key=lambda c: c[0])
    entry = json.loads(index.files[f"t/{chunk[1]}.json"])[term]
    stride = 3 if entry[0] else 2
    result, doc = {}, 0
    for i in range(1, len(entry), stride):
        doc += entry[i]
        result[doc] = tuple(entry[i + 1:i + stride])
    return result


def test_folding_drops_marks_and_maps_đ_whatever_the_normal_form():
    assert fold("Mặt trận Tổ quốc ĐOÀN đoạn Ưu") == "mat tran to quoc doan doan uu"
    # Composed (NFC) or decomposed (NFD, as from macOS), the key is the same.
    assert fold(unicodedata.normalize("NFD", "Mặt trận")) == fold("Mặt trận") == "mat tran"
    assert words("Hội nghị, lần 2!") == [("hoi", "hội"), ("nghi", "nghị"), ("lan", "lần"), ("2", "2")]


def test_postings_keep_doc_ids_weights_and_the_forms_each_doc_uses():
    docs = [SearchDoc(url="/a/", title="Đoàn đại biểu", body="Đoàn công tác."),
            SearchDoc(url="/b/", title="Sửa đoạn đường", body="Đoạn đường mới."),
            SearchDoc(url="/c/", title="Tin khác", body="Không có từ đó.")]
    index = build_index(docs, chunk_bytes=60)  # tiny chunks: lookups cross chunk borders
    meta = json.loads(index.files["meta.json"])
    assert meta["n"] == 3 and len(meta["chunks"]) > 3
    doan = postings(index, "doan")
    assert set(doan) == {0, 1}
    variants = json.loads(next(b for p, b in index.files.items()
                               if p.startswith("t/") and b'"doan":' in b))["doan"][0]
    assert sorted(variants) == ["đoàn", "đoạn"]
    assert doan[0][1] == 1 << variants.index("đoàn") and doan[1][1] == 1 << variants.index("đoạn")
    assert doan[0][0] > 1  # title and body, boosted
    assert set(postings(index, "doan duong")) == {1}  # adjacent syllables
    assert "tac khong" not in str(index.files)  # no pair across documents or phrases


def test_the_folder_name_is_the_content_hash():
    docs = [SearchDoc(url="/a/", title="Một", body="Hai ba.")]
    assert build_index(docs).version == build_index(docs).version
    assert build_index(docs).version != build_index([*docs, SearchDoc(url="/b/", title="Bốn")]).version


def test_html_text_keeps_captions_and_ends_phrases_at_blocks():
    text = html_text('<p>Ngày 5/3 &amp; 6/3</p><figure><img alt="x"><figcaption>Lễ trao quà</figcaption>'
                     '</figure><script>var a=1</script><p>Hết</p>')
    assert text == "Ngày 5/3 & 6/3\nLễ trao quà\nHết"
