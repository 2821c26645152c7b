"""The Pelican internals our speed corner relies on (``plugins/mttq_site/speed.py``).

Each is checked by the behaviour we use, on the Pelican installed from
``pyproject.toml``'s range: a Pelican release that renames or changes one fails
here, by name, instead of a build writing empty pages or serving stale items.
"""
from __future__ import annotations

import datetime
import importlib
import inspect
import os
import re
from pathlib import Path

import pelican
from jinja2 import Environment
from packaging.specifiers import SpecifierSet
from pelican.contents import Page
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG

from plugins.mttq_site import speed

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_pelican_is_one_the_project_supports():
    declared = re.search(r'"pelican([<>=!~][^"]*)"', (ROOT / "pyproject.toml").read_text())
    assert declared, "pyproject.toml names no Pelican range"
    assert pelican.__version__ in SpecifierSet(declared.group(1))


def test_every_internal_named_in_the_speed_corner_exists_with_its_parameters():
    for dotted, parameters in speed.INTERNALS.items():
        module_name, owner, attribute = dotted.rsplit(".", 2)
        cls = getattr(importlib.import_module(module_name), owner)
        if parameters is None:  # an instance attribute, set by an __init__ of the class
            assert any(f"self.{attribute} =" in inspect.getsource(base)
                       for base in cls.__mro__[:-1]), dotted
            continue
        found = tuple(inspect.signature(getattr(cls, attribute)).parameters)
        assert found == parameters, f"{dotted}{found}"


def test_a_gated_writer_writes_the_pages_it_accepts_and_no_file_for_the_others(tmp_path):
    class OnlyFirst(speed.GatedWriter):
        def renders(self, localcontext, template, kwargs):
            return localcontext["output_file"] == "mot/index.html"

    settings = {**DEFAULT_CONFIG, "OUTPUT_PATH": str(tmp_path)}
    writer = OnlyFirst(str(tmp_path), settings=settings)
    template = Environment().from_string("<p>{{ title }}</p>")
    for name in ("mot/index.html", "hai/index.html"):
        writer.write_file(name, template, {}, title=f"Trang {name[:3]}")
    assert (tmp_path / "mot" / "index.html").read_text(encoding="utf-8") == "<p>Trang mot</p>"
    assert not (tmp_path / "hai" / "index.html").exists()


def test_the_writer_cuts_listings_with_the_paginator_named_in_its_module(tmp_path):
    """``stable_pagination`` replaces ``pelican.writers.Paginator``: the writer must
    still look the name up there at each call and walk ``page(1..num_pages)``."""
    from pelican.paginator import PaginationRule

    speed.stable_pagination()
    settings = {**DEFAULT_CONFIG, "OUTPUT_PATH": str(tmp_path), "PAGINATED_TEMPLATES": {"index": 2},
                "PAGINATION_PATTERNS": [PaginationRule(1, "{url}", "{save_as}"),
                                       PaginationRule(2, "{base_name}/trang/{number}/",
                                                      "{base_name}/trang/{number}/index.html")]}
    writer = speed.KeyedWriter(str(tmp_path), settings=settings)
    template = Environment().from_string("{% for a in articles_page.object_list %}{{ a }} {% endfor %}")
    items = ["e", "d", "c", "b", "a"]  # newest first
    writer.write_file("index.html", template, {}, paginated={"articles": items},
                      template_name="index", url="")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "e d "
    assert (tmp_path / "trang" / "1" / "index.html").read_text(encoding="utf-8") == "c b a "
    assert not (tmp_path / "trang" / "2").exists()


def _reader(tmp_path: Path) -> Readers:
    settings = {**DEFAULT_CONFIG, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
                "CACHE_PATH": str(tmp_path / "cache"), "PATH": str(tmp_path / "content")}
    return Readers(settings, cache_name="contract")


def _write_keeping_mtime(path: Path, text: str, mtime: float) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))  # Pelican's own stamp (mtime) cannot see the edit


def _read(readers: Readers, content: Path) -> str:
    return readers.read_file(base_path=str(content), path="a.md", content_class=Page).title


def test_the_reader_cache_consults_the_extended_stamp_and_forgets_one_read(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    source = content / "a.md"
    source.write_text("Title: Một\n\nNội dung.\n", encoding="utf-8")
    mtime = source.stat().st_mtime

    plain = _reader(tmp_path)
    assert _read(plain, content) == "Một"
    _write_keeping_mtime(source, "Title: Hai\n\nNội dung.\n", mtime)
    assert _read(plain, content) == "Một"  # the cache trusted Pelican's stamp

    extra = {"value": 0}
    extended = _reader(tmp_path)
    speed.extend_reader_stamp(extended, lambda filename, own: (own, extra["value"]))
    assert _read(extended, content) == "Hai"
    _write_keeping_mtime(source, "Title: Ba\n\nNội dung.\n", mtime)
    assert _read(extended, content) == "Hai"  # nothing beside it changed: still cached
    extra["value"] = 1  # e.g. a photo beside index.md replaced
    assert _read(extended, content) == "Ba"

    _write_keeping_mtime(source, "Title: Bốn\n\nNội dung.\n", mtime)
    speed.forget_read(extended, str(source))
    assert _read(extended, content) == "Bốn"


def test_the_reader_cache_is_written_only_when_a_build_changed_it(tmp_path):
    """A build that read nothing again leaves Pelican's cache file as it was
    (same bytes, same time); one that read a file writes it, and the next
    build reads back what was cached (gzip at level 1 is still gzip)."""
    import gzip
    import pickle

    speed.lean_cache_saves()
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Title: Một\n\nNội dung.\n", encoding="utf-8")
    (content / "b.md").write_text("Title: Hai\n\nNội dung.\n", encoding="utf-8")
    cache_file = tmp_path / "cache" / "contract"

    first = _reader(tmp_path)
    assert _read(first, content) == "Một"
    first.save_cache()
    assert set(pickle.loads(gzip.decompress(cache_file.read_bytes()))) == {str(content / "a.md")}
    os.utime(cache_file, (1_000_000, 1_000_000))
    before = cache_file.read_bytes()

    unchanged = _reader(tmp_path)
    assert _read(unchanged, content) == "Một"  # from the cache
    unchanged.save_cache()
    assert cache_file.stat().st_mtime == 1_000_000 and cache_file.read_bytes() == before

    forgetting = _reader(tmp_path)
    speed.forget_read(forgetting, str(content / "a.md"))
    forgetting.save_cache()
    assert pickle.loads(gzip.decompress(cache_file.read_bytes())) == {}

    grown = _reader(tmp_path)
    assert _read(grown, content) == "Một" and grown.read_file(
        base_path=str(content), path="b.md", content_class=Page).title == "Hai"
    grown.save_cache()
    assert set(pickle.loads(gzip.decompress(cache_file.read_bytes()))) == {
        str(content / "a.md"), str(content / "b.md")}

    cache_file.unlink()  # a cache deleted since it was loaded is written again
    again = _reader(tmp_path)
    again.save_cache()
    assert cache_file.exists()


def test_no_other_module_touches_these_internals():
    names = {dotted.rsplit(".", 1)[1] for dotted in speed.INTERNALS
             if not dotted.endswith(".__init__")}  # every class has one: its wrapper is in speed
    users = {str(path.relative_to(ROOT)) for folder in ("plugins", "mttq")
             for path in (ROOT / folder).rglob("*.py")
             if any(re.search(rf"\.{name}\b", path.read_text(encoding="utf-8")) for name in names)}
    assert users == {"plugins/mttq_site/speed.py"}


def test_period_archives_list_the_same_items_as_pelicans_own(tmp_path):
    """The month and year archives keep Pelican's lists, found by identity:
    items have no ``__eq__`` of their own, so ``in`` on a list is identity."""
    from pelican.contents import Article, Content
    from pelican.generators import ArticlesGenerator

    assert Content.__eq__ is object.__eq__ and Article.__eq__ is object.__eq__
    settings = {**DEFAULT_CONFIG, "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html"}
    items = [Article(f"Nội dung {n}", metadata={
        "title": f"Tin {n}", "date": datetime.datetime(2024 + n % 2, 1 + n % 3, 1 + n)})
        for n in range(12)]
    items.append(items[0])  # the same item twice in the site's list: kept twice
    dates = sorted(items, key=lambda a: a.date, reverse=True)
    speed.fast_period_archives()
    fast = ArticlesGenerator._build_period_archives
    assert getattr(fast, "_mttq_fast", False)  # the build uses this one
    generator = object.__new__(ArticlesGenerator)
    expected = _pelicans_own(generator, dates, items, settings)
    found = fast(generator, dates, items, settings)
    assert {k: [(a["save_as"], [id(x) for x in a["articles"]]) for a in v] for k, v in found.items()} \
        == {k: [(a["save_as"], [id(x) for x in a["articles"]]) for a in v] for k, v in expected.items()}
    assert sum(len(a["articles"]) for a in found["year"]) == len(items)


def _pelicans_own(generator, dates, items, settings):
    """What Pelican's method gives, from its own definition in pelican.generators."""
    import types

    source = inspect.getsource(importlib.import_module("pelican.generators"))
    module = importlib.import_module("pelican.generators")
    namespace = dict(vars(module))
    start = source.index("    def _build_period_archives(")
    end = source.index("\n    def ", start + 10)
    exec(inspect.cleandoc("\n" + source[start:end]), namespace)
    return types.MethodType(namespace["_build_period_archives"], generator)(dates, items, settings)
