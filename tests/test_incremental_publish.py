"""``invoke publish`` (and ``invoke build``) render only the pages whose inputs
changed, and the site is byte for byte the site a full build makes
(``mttq/outputs/page_store.py``).

A site is published, then changed step by step at random (items added,
edited, deleted, retitled, moved to another topic or unit, given a photo, and
the build's "today" moved), and after each step the incremental publish is
compared, file by file and byte for byte, with a full build of the same
content into a fresh folder.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from sitefactory import make_photo, write_item

from mttq.commands.build import build_site

TOPICS = ["van-dong-phong-trao", "giam-sat-phan-bien", "dai-doan-ket"]
UNITS = ["my-xuyen", "ke-sach", "vp"]
TAGS = ["Vì người nghèo", "Giám sát", "Nhà đại đoàn kết", "Đối thoại"]
COUNT = 28  # more than two listing pages (12 each): pages shift when an item comes
PUBLISH = ROOT / "publishconf.py"
PREVIEW = ROOT / "pelicanconf.py"
# The second page-writing process, forced on a small site (it starts from 200
# items): the first build forks with an empty store, the later ones do not.
TWO_PROCESSES = {"MTTQ_PARALLEL_MIN_ITEMS": 1, "MTTQ_WORKERS": 2}


def _meta(n: int, rng: random.Random) -> dict:
    return {"type": rng.choice(["tin", "tin", "bai"]),
            "date": f"2025-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d} {rng.randint(7, 17):02d}:00",
            "Category": rng.choice(TOPICS), "Unit": rng.choice(UNITS),
            "Tags": ", ".join(rng.sample(TAGS, 2))}


class Site:
    def __init__(self, base: Path, seed: int, settings: Path = PUBLISH, extra: dict | None = None):
        self.base = base
        self.settings = settings
        self.extra = dict(extra or {})
        self.content = base / "content"
        self.rng = random.Random(seed)
        self.items: dict[str, Path] = {}
        self.made = 0
        self.today = "2025-07-01"
        for _ in range(COUNT):
            self.add()

    def add(self) -> str:
        n = self.made
        self.made += 1
        slug = f"tin-so-{n:02d}"
        self.items[slug] = write_item(self.content, slug, title=f"Tin số {n} về hoạt động Mặt trận",
                                      seed=0, **_meta(n, self.rng))
        return f"add {slug}"

    def _pick(self) -> tuple[str, Path]:
        slug = self.rng.choice(sorted(self.items))
        return slug, self.items[slug]

    def _replace(self, path: Path, field: str, value: str) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in lines]
        path.unlink()  # a new file, as an editor's save makes
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def edit(self) -> str:
        slug, path = self._pick()
        text = path.read_text(encoding="utf-8")
        path.unlink()
        path.write_text(text + f"\nĐoạn bổ sung số {self.rng.randint(1, 999)}.\n", encoding="utf-8")
        return f"edit {slug}"

    def retitle(self) -> str:
        slug, path = self._pick()
        self._replace(path, "Title", f"Tiêu đề mới {self.rng.randint(1, 999)} của {slug}")
        return f"retitle {slug}"

    def move_topic(self) -> str:
        slug, path = self._pick()
        self._replace(path, "Category", self.rng.choice(TOPICS))
        return f"topic {slug}"

    def change_unit(self) -> str:
        slug, path = self._pick()
        self._replace(path, "Unit", self.rng.choice(UNITS))
        return f"unit {slug}"

    def delete(self) -> str:
        slug, path = self._pick()
        shutil.rmtree(path.parent)
        del self.items[slug]
        return f"delete {slug}"

    def add_photo(self) -> str:
        slug, path = self._pick()
        make_photo(path.parent / "anh-them.jpg", seed=self.rng.randint(1, 50))
        text = path.read_text(encoding="utf-8")
        path.unlink()
        path.write_text(text + "\n![Ảnh thêm của hoạt động](anh-them.jpg)\n", encoding="utf-8")
        return f"photo {slug}"

    def replace_photo(self) -> str:
        """Another photo of the same size under the same name: no word of the
        item changes, but its renditions (and their sizes in the feeds) do."""
        slug, path = self._pick()
        photo = path.parent / "anh-1.jpg"
        photo.unlink()
        make_photo(photo, seed=self.rng.randint(51, 99))
        return f"replace photo {slug}"

    def move_today(self) -> str:
        self.today = "2025-07-%02d" % self.rng.randint(2, 28)
        return f"today {self.today}"

    def build(self, output: Path, incremental: bool):
        return build_site(self.content, output, self.settings, {
            "MTTQ_CACHE_DIR": str(self.base / "cache"),
            "CACHE_PATH": str(self.base / "cache" / "pelican"),
            "MTTQ_TODAY": self.today, **self.extra}, incremental=incremental)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_site(published: Path, reference: Path, step: str) -> None:
    ours, full = tree(published), tree(reference)
    assert sorted(ours) == sorted(full), step
    different = [name for name in full if ours[name] != full[name]]
    assert not different, f"after '{step}': {different[:10]}"


STEPS = ("add", "edit", "retitle", "move_topic", "change_unit", "delete", "add_photo",
         "replace_photo")


@pytest.mark.parametrize("seed, settings, extra", [
    (7, PUBLISH, {}),
    (2026, PREVIEW, TWO_PROCESSES),  # invoke build: drafts shown, editors' pages
], ids=["publish", "preview-two-processes"])
def test_random_changes_publish_the_bytes_of_a_full_build(tmp_path, seed, settings, extra):
    site = Site(tmp_path, seed, settings, extra)
    published = tmp_path / "public"
    first = site.build(published, incremental=True)
    assert first.ok, first.errors
    assert first.pages_reused == 0  # nothing stored yet: every page rendered

    rng = random.Random(seed)
    steps = [*STEPS, *rng.choices(STEPS, k=3)]
    rng.shuffle(steps)
    steps.insert(rng.randrange(1, len(steps)), "move_today")
    reused_total = rendered_total = 0
    for number, name in enumerate(steps):
        step = getattr(site, name)()
        result = site.build(published, incremental=True)
        assert result.ok, (step, result.errors)
        reference = tmp_path / f"full-{number}"
        full = site.build(reference, incremental=False)
        assert full.ok, (step, full.errors)
        assert_same_site(published, reference, step)
        shutil.rmtree(reference)
        # Pages that do not show the change are linked from the store, not rendered.
        assert result.pages_reused > 0, step
        reused_total += result.pages_reused
        rendered_total += result.pages_rendered
    # Over the series, most pages were as they were (on this small site one
    # item is on a good part of the pages: listings, neighbours, related items).
    assert reused_total > rendered_total


def test_a_theme_change_renders_every_page_again(tmp_path):
    """A change the store cannot follow (the theme, code, settings, data) gives
    a full render, not stale pages."""
    site = Site(tmp_path, 1)
    published = tmp_path / "public"
    assert site.build(published, incremental=True).ok
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</footer>", "<p>Chân trang mới</p></footer>"), encoding="utf-8")
    result = build_site(site.content, published, PUBLISH, {
        "MTTQ_CACHE_DIR": str(tmp_path / "cache"), "CACHE_PATH": str(tmp_path / "cache" / "pelican"),
        "MTTQ_TODAY": site.today, "THEME": str(theme)}, incremental=True)
    assert result.ok, result.errors
    assert result.pages_reused == 0 and result.pages_rendered > COUNT
    home = (published / "index.html").read_text(encoding="utf-8")
    assert "Chân trang mới" in home
    page = next(published.glob("tin-bai/*/index.html")).read_text(encoding="utf-8")
    assert "Chân trang mới" in page


def test_a_template_edited_in_place_is_seen_by_the_next_build(tmp_path):
    """Compiled templates are kept in ``cache/jinja`` and the names templates
    read in the page store: editing a template file where it is (same path)
    must still show in the next build's pages, twice in a row."""
    site = Site(tmp_path, 2)
    published = tmp_path / "public"
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    settings = {"MTTQ_CACHE_DIR": str(tmp_path / "cache"), "CACHE_PATH": str(tmp_path / "cache" / "pelican"),
                "MTTQ_TODAY": site.today, "THEME": str(theme)}
    assert build_site(site.content, published, PUBLISH, settings, incremental=True).ok
    assert any((tmp_path / "cache" / "jinja").iterdir())
    for footer in ("Chân trang thứ nhất", "Chân trang thứ hai"):
        base.write_text(original.replace("</footer>", f"<p>{footer}</p></footer>"), encoding="utf-8")
        result = build_site(site.content, published, PUBLISH, settings, incremental=True)
        assert result.ok, result.errors
        page = next(published.glob("tin-bai/*/index.html")).read_text(encoding="utf-8")
        assert footer in page and footer in (published / "index.html").read_text(encoding="utf-8")
    reference = tmp_path / "full"
    settings["MTTQ_CACHE_DIR"] = str(tmp_path / "cache-full")
    settings["CACHE_PATH"] = str(tmp_path / "cache-full" / "pelican")
    assert build_site(site.content, reference, PUBLISH, settings, incremental=False).ok
    assert_same_site(published, reference, "template edited in place")


def test_a_missing_store_only_means_rendering_again(tmp_path):
    """The store names pages by their inputs; an entry is written once, by a
    build, and the published copy is a link to it. Removing the store only
    means rendering again."""
    site = Site(tmp_path, 3)
    published = tmp_path / "public"
    assert site.build(published, incremental=True).ok
    shutil.rmtree(tmp_path / "cache" / "pages")
    site.edit()
    result = site.build(published, incremental=True)
    assert result.ok and result.pages_reused == 0
    reference = tmp_path / "full"
    assert site.build(reference, incremental=False).ok
    assert_same_site(published, reference, "store removed")


def test_a_build_gives_the_cycle_collector_back_as_it_found_it(tmp_path):
    """The build pauses Python's cycle collector (its objects live until its
    end); a long-running process (``invoke serve``) must get it back, and one
    that had turned it off keeps it off."""
    import gc

    site = Site(tmp_path, 3)
    assert gc.isenabled()
    assert site.build(tmp_path / "public", incremental=True).ok
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # the build's objects can be collected again
    gc.disable()
    try:
        assert site.build(tmp_path / "public", incremental=True).ok
        assert not gc.isenabled()
    finally:
        gc.enable()
