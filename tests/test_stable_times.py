"""mttq/stable_times.py on real folders: a file's time is when its bytes last changed."""
from __future__ import annotations

import os
from pathlib import Path

from mttq.outputs.stable_times import keep_unchanged_times, record_path

OLD = 1_700_000_000_000_000_000  # ns: the time the previous build wrote its files


def site(root: Path, files: dict[str, bytes], mtime_ns: int | None = None) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if mtime_ns is not None:
            os.utime(path, ns=(mtime_ns, mtime_ns))
    return root


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def test_unchanged_files_keep_the_replaced_sites_time_and_changed_ones_do_not(tmp_path):
    old = site(tmp_path / "old", {"feeds/all.rss.xml": b"<rss/>", "a/index.html": b"old page",
                                  "b/index.html": b"same size 1"}, OLD)
    new = site(tmp_path / "new", {"feeds/all.rss.xml": b"<rss/>", "a/index.html": b"new page!",
                                  "b/index.html": b"same size 2", "c/index.html": b"added"})
    written = mtime(new / "a" / "index.html")
    stats = keep_unchanged_times(new, old, tmp_path / "record.json")
    assert mtime(new / "feeds" / "all.rss.xml") == OLD
    assert mtime(new / "a" / "index.html") == written != OLD  # other bytes
    assert mtime(new / "b" / "index.html") != OLD  # same size, other bytes
    assert mtime(new / "c" / "index.html") != OLD
    assert (stats.kept, stats.changed) == (1, 3)


def test_without_the_replaced_site_the_record_in_the_cache_gives_the_times(tmp_path):
    record = record_path(tmp_path / "cache", tmp_path / "output")
    first = site(tmp_path / "first", {"feeds/all.atom.xml": b"<feed/>"}, OLD)
    keep_unchanged_times(first, None, record)  # the build that wrote the deployed site
    fresh = site(tmp_path / "fresh", {"feeds/all.atom.xml": b"<feed/>", "x.html": b"x"})
    stats = keep_unchanged_times(fresh, tmp_path / "missing", record)  # a fresh CI runner
    assert mtime(fresh / "feeds" / "all.atom.xml") == OLD
    assert (stats.kept, stats.changed) == (1, 1)
    changed = site(tmp_path / "changed", {"feeds/all.atom.xml": b"<feed>new</feed>"})
    keep_unchanged_times(changed, None, record)
    assert mtime(changed / "feeds" / "all.atom.xml") != OLD


def test_hard_links_of_the_rendition_cache_are_left_alone(tmp_path):
    cached = site(tmp_path / "cache", {"r.jpg": b"jpeg"}, OLD + 5) / "r.jpg"
    old = site(tmp_path / "old", {"anh/x/r.jpg": b"jpeg"}, OLD)
    new = tmp_path / "new" / "anh" / "x"
    new.mkdir(parents=True)
    os.link(cached, new / "r.jpg")
    stats = keep_unchanged_times(tmp_path / "new", old, None)
    assert mtime(cached) == OLD + 5  # the cache's own time, untouched
    assert stats.linked == 1 and stats.kept == 0
