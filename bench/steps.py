#!/usr/bin/env python3
"""One measured step of the benchmark, run in its own process by ``bench/run``.

Each step prints one JSON line: wall seconds inside the process (``seconds``),
the peak resident memory of this process (``rss_mb``) and of its worker
processes (``workers_rss_mb``, the largest one), and step-specific figures.
A fresh process per step means a cold interpreter, as a user's command has.

    python bench/steps.py ours   --content C --output O --cache K   # our build
    python bench/steps.py publish --content C --output O --cache K  # invoke publish (publishconf.py)
    python bench/steps.py plain  --content C --output O --cache K   # plain Pelican
    python bench/steps.py assess --content C --count 200            # photo checks/s
    python bench/steps.py serve  --content C --output O --cache K   # invoke serve
"""
from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PLAIN_SETTINGS = Path(__file__).resolve().parent / "plainconf.py"


def _peaks() -> dict:
    """Peak resident memory (MB) of this process and of its largest worker."""
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return {"rss_mb": round(own / 2**20, 1), "workers_rss_mb": round(workers / 2**20, 1)}


def ours_overrides(cache: Path) -> dict:
    return {"MTTQ_CACHE_DIR": str(cache), "CACHE_PATH": str(cache / "pelican")}


def _timed(module, name: str, into: dict):
    """Wrap ``module.name`` to add its time (and photo counts) to ``into``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        value = original(*args, **kwargs)
        into[f"{name}_seconds"] = into.get(f"{name}_seconds", 0.0) + time.perf_counter() - started
        if hasattr(value, "encoded_photos"):
            into["photos"] = value.photos
            into["encoded_photos"] = value.encoded_photos
        elif isinstance(value, dict):
            into["audited_photos"] = len(value)
        return value

    setattr(module, name, wrapper)


def step_ours(args, settings_file: Path = ROOT / "pelicanconf.py", overrides=None,
              incremental: bool = True) -> dict:
    """``invoke build``: incremental, as the command is (its page store is in
    ``--cache``, emptied with the rest for the cold build)."""
    import mttq.photos.renditions
    from mttq.commands.build import build_site

    figures: dict = {}
    # Before the plugin imports them by name: time photo encoding and photo checks.
    _timed(mttq.photos.renditions, "publish_renditions", figures)
    try:
        import mttq.photos.audit
    except ImportError:  # a build without the photo audit
        pass
    else:
        _timed(mttq.photos.audit, "audit_photos", figures)
    started = time.perf_counter()
    result = build_site(args.content, args.output, settings_file,
                        overrides or ours_overrides(Path(args.cache)), incremental=incremental)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "ok": result.ok, "errors": result.errors[:5],
            "warnings": len(result.warnings), "pages_rendered": result.pages_rendered,
            "pages_reused": result.pages_reused, **figures}


def step_publish(args) -> dict:
    """``invoke publish``: publishconf.py (the public address, no drafts), its own
    Pelican cache as in the repository (``cache/pelican-publish``), the photo
    renditions' cache shared with the preview builds (``MTTQ_CACHE_DIR``), and
    its page store (incremental, as ``invoke publish`` is)."""
    cache = Path(args.cache)
    return step_ours(args, ROOT / "publishconf.py",
                     {**ours_overrides(cache), "CACHE_PATH": str(cache / "pelican-publish")},
                     incremental=True)


def step_serve(args) -> dict:
    """``invoke serve`` on a free port, until interrupted (SIGINT)."""
    import signal

    from mttq.commands.preview import serve_and_rebuild

    signal.signal(signal.SIGTERM, signal.default_int_handler)

    def report(result):
        print(f"BUILD ok={result.ok} seconds={result.seconds:.2f} errors={result.errors[:2]}",
              flush=True)

    serve_and_rebuild(Path(args.content), Path(args.output), ROOT / "pelicanconf.py",
                      "127.0.0.1", 0, report, ours_overrides(Path(args.cache)))
    return {"seconds": 0.0}


def step_plain(args) -> dict:
    from pelican import Pelican
    from pelican.settings import read_settings

    errors: list[str] = []

    class Count(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    logging.getLogger().addHandler(Count(level=logging.ERROR))
    started = time.perf_counter()
    settings = read_settings(str(PLAIN_SETTINGS), override={
        "PATH": str(Path(args.content).resolve()), "OUTPUT_PATH": str(Path(args.output).resolve()),
        "CACHE_PATH": str(Path(args.cache).resolve()),
    })
    Pelican(settings).run()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "ok": not errors, "errors": errors[:5]}


def step_assess(args) -> dict:
    from mttq.photos.quality import PhotoLimits, assess_photos

    photos = sorted(Path(args.content).glob("*/*/*/*/anh-*.jpg"))
    photos = photos[:: max(1, len(photos) // args.count)][: args.count]  # spread over the years
    started = time.perf_counter()
    reports = assess_photos(photos, PhotoLimits())
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "photos": len(photos), "per_second": len(photos) / seconds,
            "with_problems": sum(1 for r in reports if r.problems)}


def step_check_pr(args) -> dict:
    """``invoke check --changed-from HEAD --format json``, as the pull-request job
    runs it (``mttq.commands.cli.run_check``'s steps), with the photo memos in
    ``--cache`` instead of the repository's ``cache/``."""
    from mttq.commands import cli
    from mttq.commands.build import load_settings
    from mttq.commands.check import check_change, check_data_files

    started = time.perf_counter()
    settings = load_settings(cli.DEV_SETTINGS, {"MTTQ_CACHE_DIR": str(args.cache)})
    data = check_data_files(settings, Path(args.content))
    options = cli.check_options(str(args.content), True, args.submitted_at, settings)
    report = check_change(Path(args.content), "HEAD", options)
    report.files[:0] = data
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
    seconds = time.perf_counter() - started
    files = [f.path for f in report.files]
    return {"seconds": seconds, "passed": report.ok, "files": files,
            "photos": sum(1 for f in files if f.lower().endswith(".jpg")), "bytes": len(text)}


STEPS = {"ours": step_ours, "publish": step_publish, "plain": step_plain, "assess": step_assess, "check-pr": step_check_pr,
         "serve": step_serve}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--content", type=Path)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--submitted-at", default="2026-06-30 10:00")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile (text) here")
    parser.add_argument("--cprofile", type=Path,
                        help="write cProfile statistics (CPU time) here, for pstats")
    args = parser.parse_args(argv)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    if args.cprofile:
        import cProfile

        cpu = cProfile.Profile(time.process_time)
        result = cpu.runcall(STEPS[args.step], args)
        args.cprofile.parent.mkdir(parents=True, exist_ok=True)
        cpu.dump_stats(str(args.cprofile))
    else:
        result = STEPS[args.step](args)
    if profiler is not None:
        profiler.stop()
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    result.update(_peaks())
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
