"""``invoke serve``'s fast paths render the very bytes a full build renders.

The preview rewrites only the pages that show an edited item, from the last
full build kept in memory (``plugins/mttq_site/selected.py``); a big build
renders item and keyword pages in a second process (``parallel.py``). Both are
compared byte for byte with a plain full build of the same content.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, build
from sitefactory import make_photo, write_item

from mttq.commands.preview import Preview, RewriteResult

TOPICS = ["van-dong-phong-trao", "giam-sat-phan-bien", "dai-doan-ket"]
UNITS = ["my-xuyen", "ke-sach", "vp"]
TAGS = ["Vì người nghèo", "Giám sát", "Nhà đại đoàn kết", "Đối thoại"]
COUNT = 30  # more than a listing page (12): the edited item is not on every first page
EDITED_N = 13
EDITED = f"tin-so-{EDITED_N}"
# Feeds, the search index, the editors' reports and the sitemap wait for the next full build.
NOT_REWRITTEN = ("feeds/", "tim-kiem/", "bien-tap/", "sitemap.xml")


def meta(n: int) -> dict:
    return {"type": "tin" if n % 3 else "bai", "date": f"2025-{1 + n % 6:02d}-{1 + n:02d} 09:00",
            "Category": TOPICS[n % 3], "Unit": UNITS[n % 3],
            "Tags": ", ".join(TAGS[n % 4:n % 4 + 2])}


def write_site(content: Path) -> dict[str, Path]:
    paths = {}
    for n in range(COUNT):
        paths[f"tin-so-{n:02d}"] = write_item(
            content, f"tin-so-{n:02d}", title=f"Tin số {n} về hoạt động Mặt trận", seed=0,
            **meta(n))  # one photo for all: encoded once
    return paths


def expected_pages(n: int) -> set[str]:
    """Pages that show item ``n`` whatever its place: its own, its listings'
    first pages, its neighbours' (previous/next show its title)."""
    item = meta(n)
    tags = {"Vì người nghèo": "vi-nguoi-ngheo", "Giám sát": "giam-sat",
            "Nhà đại đoàn kết": "nha-dai-doan-ket", "Đối thoại": "doi-thoai"}
    by_date = sorted(range(COUNT), key=lambda k: meta(k)["date"])
    place = by_date.index(n)
    return {
        f"tin-bai/tin-so-{n:02d}/index.html", "index.html",
        f"chu-de/{item['Category']}/index.html", f"don-vi/{item['Unit']}/index.html",
        f"luu-tru/{item['date'][:4]}/{item['date'][5:7]}/index.html",
        *(f"tu-khoa/{tags[t]}/index.html" for t in item["Tags"].split(", ")),
        f"tin-bai/tin-so-{by_date[place - 1]:02d}/index.html",
        f"tin-bai/tin-so-{by_date[place + 1]:02d}/index.html",
    }


def site_files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*")
            if p.is_file() and not p.relative_to(output).as_posix().startswith(NOT_REWRITTEN)}


def settings(cache: Path, **extra) -> dict:
    return {"MTTQ_CACHE_DIR": str(cache), "CACHE_PATH": str(cache / "pelican"), **extra}


@pytest.fixture
def preview(tmp_path):
    content = tmp_path / "content"
    paths = write_site(content)
    session = Preview(content, tmp_path / "preview", ROOT / "pelicanconf.py",
                      settings(tmp_path / "cache"))
    assert session.full().ok
    return session, paths, tmp_path


def full_build(tmp_path: Path, name: str) -> Path:
    result = build(tmp_path / "content", tmp_path / name, tmp_path / "cache")
    assert result.ok, result.errors
    return tmp_path / name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.unlink()  # a new file (new mtime), as editors save
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_item_rewrites_its_pages_and_they_match_a_full_build(preview):
    session, paths, tmp_path = preview
    item = paths[EDITED]
    edit(item, "Title: Tin số 13 về hoạt động Mặt trận", "Title: Tin số 13 đã sửa tiêu đề")
    edit(item, "Summary: Tóm tắt ngắn của tin.", "Summary: Tóm tắt mới, dài hơn một chút.")
    edit(item, "Nội dung tin về hoạt động của Mặt trận.", "Nội dung đã sửa: đoạn mới.")

    result = session.rebuild({item})

    assert isinstance(result, RewriteResult) and result.ok, result
    pages = set(result.pages)
    # Its own page, its listings' first pages and the page that holds it, its
    # neighbours (previous/next show its title).
    assert expected_pages(EDITED_N) <= pages
    assert len(pages) < 40  # a handful of pages, not the site
    reference = full_build(tmp_path, "full")
    for name in pages:
        assert (session.output / name).read_bytes() == (reference / name).read_bytes(), name
    # And nothing else of the site is out of date.
    assert site_files(session.output) == site_files(reference)
    page = (session.output / f"tin-bai/{EDITED}/index.html").read_text(encoding="utf-8")
    assert "Tin số 13 đã sửa tiêu đề" in page and "Nội dung đã sửa" in page


def test_a_new_photo_is_placed_and_shown(preview):
    session, paths, tmp_path = preview
    folder = paths[EDITED].parent
    (folder / "anh-1.jpg").unlink()
    make_photo(folder / "anh-1.jpg", size=(1200, 1600), seed=7)  # portrait now

    result = session.rebuild({folder / "anh-1.jpg"})

    assert isinstance(result, RewriteResult), result
    reference = full_build(tmp_path, "full")
    assert site_files(session.output) == site_files(reference)


@pytest.mark.parametrize("old,new", [
    ("Category: giam-sat-phan-bien", "Category: dai-doan-ket"),  # moves to another topic
    ("Date: 2025-02-14 09:00", "Date: 2025-06-30 09:00"),  # moves in every listing
])
def test_an_edit_that_moves_the_item_is_a_full_build(preview, old, new):
    session, paths, tmp_path = preview
    edit(paths[EDITED], old, new)

    result = session.rebuild({paths[EDITED]})

    assert not isinstance(result, RewriteResult) and result.ok
    assert site_files(session.output) == site_files(full_build(tmp_path, "full"))


def test_several_items_or_other_files_are_a_full_build(preview):
    session, paths, _ = preview
    edit(paths["tin-so-01"], "Title: Tin số 1 về", "Title: Tin số một về")
    edit(paths["tin-so-02"], "Title: Tin số 2 về", "Title: Tin số hai về")
    assert not isinstance(session.rebuild({paths["tin-so-01"], paths["tin-so-02"]}),
                          RewriteResult)
    assert not isinstance(session.rebuild({ROOT / "theme" / "templates" / "base.html"}),
                          RewriteResult)


def test_an_item_with_errors_is_refused_by_a_full_build_and_the_site_stays(preview):
    session, paths, _ = preview
    before = site_files(session.output)
    edit(paths[EDITED], "Unit: ke-sach", "Unit: khong-co-don-vi-nay")

    result = session.rebuild({paths[EDITED]})

    assert not result.ok and any("khong-co-don-vi-nay" in e for e in result.errors)
    assert site_files(session.output) == before


def test_pages_rendered_by_a_second_process_are_the_same(tmp_path):
    write_site(tmp_path / "content")
    one = build(tmp_path / "content", tmp_path / "one", tmp_path / "cache",
                MTTQ_PARALLEL_WRITING=False)
    two = build(tmp_path / "content", tmp_path / "two", tmp_path / "cache",
                MTTQ_PARALLEL_MIN_ITEMS=1, MTTQ_WORKERS=2)
    assert one.ok and two.ok, (one.errors, two.errors)
    first, second = site_files(tmp_path / "one"), site_files(tmp_path / "two")
    assert first == second
    assert sum(name.startswith("tin-bai/") for name in second) == COUNT


def test_a_data_file_edited_under_a_running_preview_shows_on_the_page(tmp_path):
    """``invoke serve`` as a real process: edit the topics file, the page changes.

    The registries are remembered for one run only (mttq/core/runs.py); a
    process-wide cache showed the old names after the rebuild."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    content = tmp_path / "content"
    write_item(content, "tin-xem-thu", Category="dai-doan-ket")
    topics = tmp_path / "topics.yaml"
    shutil.copy(ROOT / "data" / "topics.yaml", topics)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mttq.commands.preview import serve_and_rebuild\n"
        "serve_and_rebuild(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), '127.0.0.1', 0,\n"
        "    lambda r: print('BUILD', r.ok, flush=True),\n"
        "    {'MTTQ_TOPICS_FILE': sys.argv[4], 'MTTQ_CACHE_DIR': sys.argv[5],\n"
        "     'CACHE_PATH': sys.argv[5] + '/pelican'})\n")
    server = subprocess.Popen(
        [sys.executable, "-c", script, str(content), str(tmp_path / "out"),
         str(ROOT / "pelicanconf.py"), str(topics), str(tmp_path / "cache")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in server.stdout:
            if line.startswith("Xem trang tại "):
                url = line.split()[3]
                break
        assert url, "the preview did not start"

        def topic_page() -> str:
            with urllib.request.urlopen(f"{url}chu-de/dai-doan-ket/") as response:
                return response.read().decode("utf-8")

        assert "Đại đoàn kết toàn dân tộc" in topic_page()
        text = topics.read_text(encoding="utf-8")
        topics.write_text(text.replace("name: Đại đoàn kết toàn dân tộc",
                                       "name: Khối đại đoàn kết (tên mới)"), encoding="utf-8")
        deadline = time.monotonic() + 90
        while "Khối đại đoàn kết (tên mới)" not in topic_page():
            assert time.monotonic() < deadline, "the page never showed the edited topic name"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
