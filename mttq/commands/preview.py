"""``invoke serve``: a local preview server that rebuilds when files change.

An edit of one item — its ``index.md`` or a photo beside it — rewrites only
the pages that show it, in place, from the context of the last full build
kept in memory (``plugins/mttq_site/selected.py``): the item's page, the pages
of items linking it, the listing pages that hold it and their first pages.
That takes well under a second at 5,000 items, where a full build takes ~20 s.
Feeds, the search index, the editors' reports and the sitemap wait for the
next full build.

Anything else is a full build, swapped in only when it succeeds
(:func:`mttq.commands.build.build_site`): a new, deleted or moved item; an edit that
changes an item's date, topic, unit, tags or status (it moves between
listings); several items at once; pages; the theme, data, plugins or code; an
item the reader refuses (the full build reports its errors and keeps the
previous site).
"""
from __future__ import annotations

import functools
import http.server
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from mttq.commands.build import BuildResult, _lines, build_site
from mttq.core import runs
from mttq.core.problems import ProblemCollector
from mttq.core.paths import REPO_ROOT

WATCHED = ("theme", "data", "plugins", "mttq", "pelicanconf.py")
ITEM_SECTIONS = ("tin", "bai")

log = logging.getLogger(__name__)


@dataclass
class RewriteResult(BuildResult):
    pages: list[str] = field(default_factory=list)  # rewritten, relative to the output


class PreviewSession:
    """Receives from the plugin, during a full build, the rebuilder of its items."""

    def __init__(self):
        self.rebuilder = None

    def attach(self, rebuilder) -> None:
        self.rebuilder = rebuilder


class Preview:
    """Full builds, and in-place rewrites of one edited item's pages."""

    def __init__(self, content: Path, output: Path, settings_file: Path,
                 overrides: dict | None = None):
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.settings_file = settings_file
        self.overrides = dict(overrides or {})
        self.rebuilder = None  # of the site now in ``output``

    def full(self) -> BuildResult:
        session = PreviewSession()
        result = build_site(self.content, self.output, self.settings_file,
                            {**self.overrides, "MTTQ_PREVIEW": session})
        if result.ok:  # a failed build leaves the previous site, and its rebuilder
            self.rebuilder = session.rebuilder
            if self.rebuilder is not None:
                self.rebuilder.prepare()
        return result

    def item_of(self, path: Path) -> Path | None:
        """The ``index.md`` of the item folder ``path`` is in, if any."""
        try:
            parts = Path(path).resolve().relative_to(self.content).parts
        except ValueError:
            return None
        if len(parts) < 5 or parts[0] not in ITEM_SECTIONS:
            return None
        return self.content.joinpath(*parts[:4], "index.md")

    def rewrite_item(self, index: Path) -> RewriteResult | None:
        """Rewrite the pages of one edited item; None when a full build is needed."""
        if self.rebuilder is None or not index.is_file():
            return None
        result = RewriteResult(output=self.output)
        run = runs.current()
        run.problems = ProblemCollector()  # this rewrite's problems only
        started = time.perf_counter()
        try:
            pages = self.rebuilder(index, self.output)
        except Exception as exc:  # a refused item, say: the full build reports it properly
            log.debug("rewrite of %s failed: %s", index, exc)
            pages = None
        if pages is None or run.problems.errors():
            return None
        result.seconds = time.perf_counter() - started
        result.warnings = _lines(run.problems.warnings())
        result.pages = pages
        result.ok = True
        return result

    def rebuild(self, changed) -> BuildResult:
        """After files changed: rewrite one item's pages, or build everything."""
        items = {self.item_of(Path(p)) for p in changed}
        if len(items) == 1 and None not in items:
            result = self.rewrite_item(items.pop())
            if result is not None:
                return result
        return self.full()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the console for build messages
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404:  # show the site's own 404 page, as a real host does
            page = Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().send_error(code, message, explain)


def data_files(settings_file: Path, overrides: dict | None) -> list[Path]:
    """The data files the settings name (they may live outside ``data/``)."""
    from mttq.commands.build import load_settings
    from mttq.settings import with_defaults

    settings = with_defaults(load_settings(settings_file, dict(overrides or {})))
    keys = ("MTTQ_TOPICS_FILE", "MTTQ_UNITS_FILE", "MTTQ_ANNIVERSARIES_FILE", "MTTQ_COLUMNS_DIR")
    return [Path(settings[key]).resolve() for key in keys if settings.get(key)]


def serve_and_rebuild(content: Path, output: Path, settings_file: Path, bind: str, port: int,
                      report, overrides: dict | None = None) -> None:
    from watchfiles import watch

    preview = Preview(content, output, settings_file, overrides)
    report(preview.full())
    handler = functools.partial(_Handler, directory=str(preview.output))
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Xem trang tại http://{bind}:{server.server_address[1]}/ (Ctrl+C để dừng)", flush=True)
    paths = [Path(content), *(REPO_ROOT / p for p in WATCHED), *data_files(settings_file, overrides)]
    try:
        for changes in watch(*[p for p in paths if p.exists()]):
            result = preview.rebuild({path for _, path in changes})
            if isinstance(result, RewriteResult):
                print(f"Đã cập nhật {len(result.pages)} trang trong {result.seconds:.2f} giây.",
                      flush=True)
                for warning in result.warnings:
                    print(f"CẢNH BÁO: {warning}", flush=True)
            else:
                report(result)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
