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

from . import manifest
from .paths import REPO_ROOT
from .stable_times import keep_times_of_build


@dataclass
class BuildResult:
    output: Path
    ok: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # refused files left out (forced build)
    seconds: float = 0.0
    articles: int = 0


class _Collector(logging.Handler):
    """Pelican's warnings and errors; a refused file's are set apart when allowed."""

    def __init__(self, skip_refused_files: bool):
        super().__init__(level=logging.WARNING)
        self.skip_refused_files = skip_refused_files
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.skipped: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}\n{record.exc_info[1]}"
        refused = getattr(record, "rejected_file", False) or record.msg == "Could not process %s"
        if refused and self.skip_refused_files:
            self.skipped.append(message)
        elif record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            self.warnings.append(message)


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

    settings_file = Path(settings_file or REPO_ROOT / "pelicanconf.py")
    return read_settings(str(settings_file), override=overrides or {})


def _remove_later(path: Path) -> None:
    """Delete a replaced site without making the build wait for it.

    A site of ten years has ~100,000 files (most of them hard links to cached
    photo renditions); unlinking them takes seconds that nobody needs to wait
    for once the new site is in place. A detached ``rm -rf`` does it where
    there is one (started by a shell that returns at once); elsewhere it is
    done here.
    """
    if os.name == "posix" and shutil.which("rm") and shutil.which("sh"):
        try:
            subprocess.run(["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(path)],
                           stdin=subprocess.DEVNULL, start_new_session=True, check=True)
            return
        except (OSError, subprocess.CalledProcessError):
            pass
    shutil.rmtree(path, ignore_errors=True)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (never a half-written tree)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        _remove_later(old)


def build_site(
    content: str | os.PathLike | None = None,
    output: str | os.PathLike | None = None,
    settings_file: str | os.PathLike | None = None,
    overrides: dict | None = None,
    skip_refused_files: bool = False,
) -> BuildResult:
    """Build ``content`` into ``output`` atomically; see the module docstring.

    ``skip_refused_files``: an editor's forced publish — files refused for
    their errors are left out (and listed in ``skipped``) instead of failing.
    """
    from pelican import Pelican

    overrides = dict(overrides or {})
    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    settings = load_settings(settings_file, overrides)
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
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    # mkdtemp makes a private (0700) folder; a web server must be able to read the site.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    settings["OUTPUT_PATH"] = str(staging)
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    collector = _Collector(skip_refused_files)
    root = logging.getLogger()
    root.addHandler(collector)
    started = time.perf_counter()
    manifest.reset()
    try:
        pelican = Pelican(settings)
        pelican.run()
    except Exception as exc:  # any crash must leave the published site alone
        collector.errors.append(f"Lỗi khi dựng trang: {type(exc).__name__}: {exc}")
    finally:
        root.removeHandler(collector)
        _forget_unfinished_sitemap()
        result.seconds = time.perf_counter() - started
    result.errors, result.warnings = collector.errors, collector.warnings
    result.skipped = collector.skipped
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
    if result.errors:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    keep_times_of_build(staging, target, settings)  # unchanged bytes keep their time (ETag)
    _swap_in(staging, target)
    result.ok = True
    return result
