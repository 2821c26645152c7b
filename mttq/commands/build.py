"""Run a Pelican build safely: into a fresh folder, swapped in only on success.

Pelican writes straight into its output folder and only logs a file it could
not read, so a failed or half-done build would leave a broken site where the
published one was. Here Pelican builds into a sibling temporary folder; its
warnings and errors are collected, and the new folder replaces the old one
only when the build finished without errors.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mttq.core import collector, runs
from mttq.core.paths import REPO_ROOT
from mttq.core.problems import CheckReport
from mttq.deploy.atomic import folder_lock
from mttq.outputs import manifest, page_store
from mttq.settings import SettingsError, with_defaults
from mttq.outputs.stable_times import keep_unchanged_times, record_path


@dataclass
class BuildResult:
    output: Path
    ok: bool = False
    errors: list[str] = field(default_factory=list)  # one line per problem or failure
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # refused files left out (forced build)
    problems: CheckReport = field(default_factory=CheckReport)  # every problem, as data
    refused: list[str] = field(default_factory=list)  # files left out of the site
    seconds: float = 0.0
    articles: int = 0
    pages_rendered: int | None = None  # a publish build: pages rendered, and
    pages_reused: int | None = None  # pages taken unchanged from the page store


def _lines(problems: dict[str, list]) -> list[str]:
    return [f"{path}: [{p.code}] {p.message}" + (f"\n      → {p.hint}" if p.hint else "")
            for path, found in problems.items() for p in found]


class _UnexpectedErrors(logging.Handler):
    """Errors logged during the build that are not a refused file's (a template
    error, a crash in a plugin). A file our reader refused is known already,
    with its problems (:mod:`mttq.core.runs`); Pelican's English "Could not
    process" line about it is not repeated to anyone."""

    def __init__(self, content_root: Path, run):
        super().__init__(level=logging.ERROR)
        self.content_root = content_root
        self.run = run
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exception = record.exc_info[1] if record.exc_info else None
        if record.msg == "Could not process %s" and record.args:
            source = os.path.abspath(self.content_root / str(record.args[0]))
            if source in self.run.problems.refused_sources:
                return
        message = record.getMessage()
        if exception is not None:
            message = f"{message}\n{type(exception).__name__}: {exception}"
        self.errors.append(f"Lỗi khi dựng trang: {message}")


def _forget_unfinished_sitemap() -> None:
    """Reset pelican-sitemap after a run.

    The plugin remembers the first Pelican instance of a run until that run's
    ``finalized`` signal; a run that failed before it would silence the
    sitemap of every later build in the same process (``invoke serve``, tests).
    """
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


def load_settings(settings_file: str | os.PathLike | None, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    from mttq.settings import settings_problems

    settings_file = Path(settings_file or REPO_ROOT / "pelicanconf.py")
    settings = read_settings(str(settings_file), override=overrides or {})
    problems = settings_problems(settings)
    if problems:
        raise SettingsError("\n".join(problems))
    return settings


# A detached remover that has not finished within this time is taken to have died.
REMOVAL_GRACE_SECONDS = 3600


def _remove_later(path: Path, target: Path) -> None:
    """Delete a replaced site without making the build wait for it.

    A site of ten years has ~100,000 files (most of them hard links to cached
    photo renditions); unlinking them takes seconds that nobody needs to wait
    for once the new site is in place. A detached ``rm -rf`` does it where
    there is one (started by a shell that returns at once); elsewhere it is
    done here. The folder is first renamed ``.<target>.removing-…``, so that
    the next build, started while ``rm`` still runs (a merge right after
    another), leaves it to ``rm`` instead of deleting the same tree itself:
    at 20,000 items that was ~6 s of its time (:func:`_clean_stale`).
    """
    if os.name == "posix" and shutil.which("rm") and shutil.which("sh"):
        removing = target.with_name(f"{_staging_prefixes(target)[2]}{int(time.time())}-{os.getpid()}")
        try:
            os.replace(path, removing)
            path = removing
        except OSError:
            pass
        try:
            subprocess.run(["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(path)],
                           stdin=subprocess.DEVNULL, start_new_session=True, check=True)
            return
        except (OSError, subprocess.CalledProcessError):
            pass
    shutil.rmtree(path, ignore_errors=True)


def _pause_point(name: str) -> None:
    """Stop here for ever when ``MTTQ_TEST_PAUSE_AT`` names this point.

    Lets a test kill a real build (SIGKILL) at the moments that matter: it
    waits for the file ``MTTQ_TEST_PAUSED_FILE`` to appear, then kills.
    """
    if os.environ.get("MTTQ_TEST_PAUSE_AT") != name:
        return
    Path(os.environ["MTTQ_TEST_PAUSED_FILE"]).write_text(name)
    while True:
        time.sleep(60)


def _staging_prefixes(target: Path) -> tuple[str, str, str]:
    return f".{target.name}.building-", f".{target.name}.old-", f".{target.name}.removing-"


def _clean_stale(target: Path) -> None:
    """Repair what a killed build left: the site first, then stale folders.

    Called with the build lock held, so no live build's folder is touched. A
    build killed between the two renames of the fallback switch left no
    ``target`` but its old copy: that copy is put back before anything else.
    """
    building, old, removing = _staging_prefixes(target)
    olds = sorted((p for p in target.parent.glob(f"{old}*") if p.is_dir()),
                  key=lambda p: p.stat().st_mtime_ns)
    if not target.exists() and not target.is_symlink() and olds:
        os.replace(olds.pop(), target)
    # Removed now, not in the background: a caller (or test) may count on them
    # being gone once this build has run. A kill is rare; this costs only then.
    # A replaced site handed to a detached ``rm`` (``removing-<time>-<pid>``) is
    # left to it, unless that ``rm`` must have died (handed over an hour ago).
    abandoned = []
    for folder in target.parent.glob(f"{removing}*"):
        handed = folder.name[len(removing):].split("-")[0]
        if not handed.isdigit() or time.time() - int(handed) > REMOVAL_GRACE_SECONDS:
            abandoned.append(folder)
    for stale in [*target.parent.glob(f"{building}*"), *olds, *abandoned]:
        shutil.rmtree(stale, ignore_errors=True)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` in one step: readers get the old site or
    the new one, never none (see :mod:`mttq.deploy.atomic`)."""
    from mttq.deploy.atomic import ExchangeUnsupported, exchange

    if not target.exists() and not target.is_symlink():
        os.replace(new, target)  # nothing published yet: one rename
        return
    _pause_point("switch")
    try:
        exchange(new, target)  # ``new`` now holds the previous site
        replaced = new
    except ExchangeUnsupported:
        # Two renames; a kill between them is repaired by the next build (_clean_stale).
        replaced = target.with_name(f"{_staging_prefixes(target)[1]}{os.getpid()}-{time.monotonic_ns()}")
        os.replace(target, replaced)
        _pause_point("between-renames")
        os.replace(new, target)
    _pause_point("switched")
    _remove_later(replaced, target)


def build_site(
    content: str | os.PathLike | None = None,
    output: str | os.PathLike | None = None,
    settings_file: str | os.PathLike | None = None,
    overrides: dict | None = None,
    skip_refused_files: bool = False,
    incremental: bool = False,
) -> BuildResult:
    """Build ``content`` into ``output`` atomically; see the module docstring.

    ``skip_refused_files``: an editor's forced publish — files refused for
    their errors are left out (and listed in ``skipped``) instead of failing.
    ``incremental``: render only the pages whose inputs changed since an
    earlier such build of ``output``; the others are linked from the page
    store (:mod:`mttq.outputs.page_store`). The output is the same bytes.
    """
    overrides = dict(overrides or {})
    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    try:
        settings = load_settings(settings_file, overrides)
    except SettingsError as exc:  # said in Vietnamese; the previous site stays
        return BuildResult(output=Path(output or REPO_ROOT / "output"), errors=str(exc).splitlines())
    except ValueError as exc:  # Pelican's own refusal of its settings
        return BuildResult(output=Path(output or REPO_ROOT / "output"),
                           errors=[f"Thiết lập của Pelican không dùng được: {exc}"])
    target = Path(output).resolve() if output else Path(settings["OUTPUT_PATH"])
    target.parent.mkdir(parents=True, exist_ok=True)
    result = BuildResult(output=target)
    content_dir = Path(settings["PATH"])
    if not content_dir.is_dir():
        result.errors.append(f"Không có thư mục nội dung '{content_dir}'.")
        return result
    if not any(content_dir.glob("*/*/*/*/index.md")):
        result.errors.append(
            f"Thư mục nội dung '{content_dir}' chưa có tin, bài nào "
            "(content/<tin|bai>/<năm>/<tháng>/<tên>/index.md). Trang cũ được giữ nguyên.")
        return result
    with folder_lock(target.parent):  # one build at a time into ``target``
        _clean_stale(target)
        store = None
        if incremental:
            store = page_store.PageStore(
                page_store.store_folder(with_defaults(dict(settings))["MTTQ_CACHE_DIR"], target),
                page_store.build_signature(settings, settings_file))
        page_store.begin(store)
        try:
            with collector.paused():
                return _build_locked(settings, target, result, skip_refused_files, store)
        finally:
            page_store.begin(None)


def _build_locked(settings: dict, target: Path, result: BuildResult,
                  skip_refused_files: bool, store: "page_store.PageStore | None" = None) -> BuildResult:
    from pelican import Pelican

    staging = Path(tempfile.mkdtemp(prefix=_staging_prefixes(target)[0], dir=target.parent))
    # mkdtemp makes a private (0700) folder; a web server must be able to read the site.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    settings["OUTPUT_PATH"] = str(staging)
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    manifest.reset()
    run = runs.begin()
    unexpected = _UnexpectedErrors(Path(settings["PATH"]), run)
    root = logging.getLogger()
    root.addHandler(unexpected)
    started = time.perf_counter()
    try:
        pelican = Pelican(settings)
        pelican.run()
    except Exception as exc:  # any crash must leave the published site alone
        unexpected.errors.append(f"Lỗi khi dựng trang: {type(exc).__name__}: {exc}")
    finally:
        root.removeHandler(unexpected)
        _forget_unfinished_sitemap()
        result.seconds = time.perf_counter() - started
    collected = run.problems
    result.problems = collected.report()
    result.refused = sorted(collected.refused)
    refused_problems = {path: found for path, found in collected.errors().items()
                        if path in collected.refused}
    other_errors = {path: found for path, found in collected.errors().items()
                    if path not in collected.refused}
    if skip_refused_files:
        result.skipped = _lines(refused_problems)
        result.errors = _lines(other_errors)
    else:
        result.errors = _lines(refused_problems) + _lines(other_errors)
    result.errors += unexpected.errors
    result.warnings = _lines(collected.warnings())
    outputs = manifest.current()
    if not result.errors:
        strays = outputs.strays(staging) if outputs is not None else ["(không có danh sách tệp)"]
        if strays:
            shown = ", ".join(strays[:10]) + (f" và {len(strays) - 10} tệp khác" if len(strays) > 10 else "")
            result.errors.append(
                f"[build.stray_output] Bản dựng có {len(strays)} tệp không phải trang, ảnh thu "
                f"nhỏ hay tệp của giao diện: {shown}. Không đăng; trang cũ được giữ nguyên.\n"
                "      → Báo cho người quản trị: một thay đổi (cấu hình, plugin, nội dung) đã "
                "đưa tệp lạ vào trang.")
    _pause_point("staging-written")
    if result.errors:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    # Unchanged bytes keep their time, so ETag/Last-Modified survive (partners' 304s).
    keep_unchanged_times(staging, target, record_path(with_defaults(settings)["MTTQ_CACHE_DIR"], target))
    if store is not None:
        store.keep(staging)
        result.pages_rendered = len(store.fresh) + store.unkeyed
        result.pages_reused = len(store.reused)
    _swap_in(staging, target)
    result.ok = True
    return result
