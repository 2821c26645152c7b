#!/usr/bin/env python3
"""The benchmark: plain Pelican and our build, side by side on the same content.

    bench/run                          # 300 items x 2 photos (a few minutes)
    bench/run --items 5000 --photos 2  # ten years of a province (~35 min, see README)
    bench/run --items 20000 --shared-photos 24  # the scale case: the page pipeline

Steps, each in a fresh process (``bench/steps.py``), on one generated tree
(``bench/generate.py``, kept in ``bench/out/`` for the next run):

- plain Pelican (``bench/plainconf.py``) and ours: cold build (empty output and
  caches: every photo encoded), warm rebuild (nothing changed), rebuild after
  adding one item (two new photos), after editing one item's text;
- photo checks per second (``assess_photos`` on a sample of the photos);
- the pull-request check of one new item with five 12-MP photos, as the job
  runs it (``invoke check --changed-from HEAD``, a fresh process);
- the preview: ``invoke serve`` running, an item's ``index.md`` is saved, and
  the time until its page on disk shows the edit is measured.

- ``invoke publish`` (publishconf.py): a full publish (its Pelican cache empty,
  the photo renditions cached by the builds before), then one item merged
  (two new photos) and published again.

With ``--shared-photos K`` (the 20,000- and 40,000-item cases) the tree has K
distinct photos linked into every item (``bench/generate.py``): the photo
figures (checks per second, encoding per photo) and the preview are not
measured there, and the pull-request check only with ``--pr-check``.

Prints a table (seconds, ours / plain Pelican), then the rows of issue #20,
and writes ``bench/out/results-<N>[-shared<K>].json``. The machine's load average is recorded before
every step: figures taken while other work runs are not comparable.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import generate  # noqa: E402  (bench/generate.py)

OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
STEPS = ROOT / "bench" / "steps.py"


def load() -> float:
    return round(os.getloadavg()[0], 2)


def run_step(step: str, *args: str, label: str) -> dict:
    """Run one step in a new process; its JSON, its wall time and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    load_before = load()
    process = subprocess.run([PYTHON, str(STEPS), step, *args], capture_output=True, text=True,
                             cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        sys.stderr.write(process.stdout[-3000:] + process.stderr[-3000:])
        raise SystemExit(f"bench: step {label} failed (exit {process.returncode})")
    figures = json.loads(lines[-1])
    figures.update(wall=round(wall, 2), load=load_before,
                   cpu=round((after.ru_utime - before.ru_utime)
                             + (after.ru_stime - before.ru_stime), 1))
    if figures.get("ok") is False:
        raise SystemExit(f"bench: {label}: build failed: {figures.get('errors')}")
    print(f"  {label:<34} {wall:7.2f} s   (load {load_before})", flush=True)
    return figures


def wait_for_deletions(folder: Path, timeout: float = 120) -> None:
    """A build deletes the site it replaced in the background: let it finish,
    so that one step's cleanup does not slow the next step down."""
    deadline = time.monotonic() + timeout
    while any(p.name.startswith(".output.old-") for p in folder.iterdir()):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)


def edit_text(index: Path) -> str:
    """An editor's correction: one more sentence in the body; returns the old text."""
    text = index.read_text(encoding="utf-8")
    index.write_text(text.rstrip("\n") + " Bài viết được Ban Biên tập bổ sung thông tin.\n",
                     encoding="utf-8")
    return text


def build_sequence(kind: str, content: Path, base: Path, tree: dict, seed: int,
                   photos: int) -> dict:
    """Cold, warm, one item added, one item edited; the content is restored."""
    output, cache = base / "output", base / "cache"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    paths = ["--content", str(content), "--output", str(output), "--cache", str(cache)]
    results = {}
    label = "ours" if kind == "ours" else "plain Pelican"
    results["cold"] = run_step(kind, *paths, label=f"{label}: cold build")
    wait_for_deletions(base)
    results["warm"] = run_step(kind, *paths, label=f"{label}: warm, nothing changed")
    wait_for_deletions(base)
    added = generate.add_item(content, len(tree["items"]), generate.DEFAULT_END + dt.timedelta(
        hours=10), photos, seed)
    edited = content / tree["items"][len(tree["items"]) // 2]["folder"] / "index.md"
    try:
        results["add"] = run_step(kind, *paths, label=f"{label}: one item added")
        wait_for_deletions(base)
        original = edit_text(edited)
        try:
            results["edit"] = run_step(kind, *paths, label=f"{label}: one item edited")
            wait_for_deletions(base)
        finally:
            edited.write_text(original, encoding="utf-8")
    finally:
        shutil.rmtree(added.parent)
    return results


def publish_sequence(content: Path, base: Path, tree: dict, seed: int, photos: int) -> dict:
    """``invoke publish``: a full publish, then one item merged and published again
    (the item is removed afterwards). Caches: ours' (``base/cache``), so the
    photo renditions are those of the builds before, as on the publishing machine."""
    output, cache = base / "public", base / "cache"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache / "pelican-publish", ignore_errors=True)
    shutil.rmtree(cache / "pages", ignore_errors=True)  # the page store: the full publish fills it
    paths = ["--content", str(content), "--output", str(output), "--cache", str(cache)]
    results = {"full": run_step("publish", *paths, label="publish: full (photos cached)")}
    wait_for_deletions(base)
    added = generate.add_item(content, len(tree["items"]) + 1, generate.DEFAULT_END
                              + dt.timedelta(hours=11), photos, seed)
    try:
        results["add"] = run_step("publish", *paths, label="publish: one item merged")
        wait_for_deletions(base)
    finally:
        shutil.rmtree(added.parent)
    shutil.rmtree(output, ignore_errors=True)
    return results


def pull_request_check(content: Path, base: Path, seed: int) -> dict:
    """The pull-request check of one new item with five 12-MP photos
    (``invoke check --changed-from HEAD``): first with empty photo memos (a CI
    runner without the cache: every published photo's perceptual hash is
    computed for ``photo.duplicate``), then with the memos it left (a runner
    that keeps ``cache/``, as our workflows do)."""
    _, big = generate.ensure_pool(seed, 24, os.cpu_count() or 1, big=5)
    # The published photos' hashes as the repository keeps them (the merge
    # workflow refreshes data/photo-hashes.csv): written before the pull request.
    subprocess.run([PYTHON, "-c", "import sys; from mttq.commands.cli import photo_hashes; "
                    "photo_hashes(sys.argv[1])", str(content)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    index = generate.add_item(content, 10**6, generate.DEFAULT_END, 5, seed, sources=big)
    # A runner's fresh clone has an index whose stat data match its files. A
    # tree kept from an earlier run has not, when its shared photos were linked
    # into another tree since (a new link changes the inode's ctime): git would
    # then compare the contents of every photo again (110 s at 20,000 items).
    subprocess.run(["git", "-C", str(content), "update-index", "-q", "--refresh"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = base / "pr-check-cache"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        event = re.search(r"^Event_date: (.+)$", index.read_text(encoding="utf-8"), re.M)
        arguments = ["--content", str(content), "--cache", str(cache),
                     "--submitted-at", event.group(1) if event else "2026-06-30 10:00"]
        cold = run_step("check-pr", *arguments, label="pull-request check, no cache")
        warm = run_step("check-pr", *arguments, label="pull-request check (5 x 12 MP)")
        return {"cold_cache": cold, "warm": warm, "wall": warm["wall"], "load": warm["load"],
                "passed": warm["passed"], "photos": warm["photos"]}
    finally:
        shutil.rmtree(index.parent)


def preview_loop(content: Path, base: Path, cache: Path, tree: dict, edits: int = 3) -> dict:
    """``invoke serve``: save an item, time until its page on disk shows the edit.

    ``invoke serve`` also watches the theme, data and code: a change there (by
    someone else working in the same checkout) makes a full build, which would
    be timed instead of the preview's rewrite. Such an attempt is recorded in
    ``full_builds`` and retried with another item.
    """
    import queue
    import threading

    output = base / "preview"
    shutil.rmtree(output, ignore_errors=True)
    process = subprocess.Popen(
        [PYTHON, str(STEPS), "serve", "--content", str(content), "--output", str(output),
         "--cache", str(cache)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=ROOT)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()

    def next_report(timeout: float = 180) -> str:
        """The serve process's next report: "partial" (pages rewritten) or "full"."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            log.append(line)
            if line.startswith("Đã cập nhật"):
                return "partial"
            if line.startswith("BUILD"):
                return "full"
        raise SystemExit("bench: invoke serve reported nothing:\n" + "".join(log[-30:]))

    log: list[str] = []
    started = time.perf_counter()
    next_report()  # the first full build
    first_build = time.perf_counter() - started
    time.sleep(1.0)  # the watcher is set up after the server
    latencies, full_builds, attempt = [], 0, 0
    items = tree["items"]
    try:
        while len(latencies) < edits and attempt < edits + 5:
            attempt += 1
            item = items[attempt * len(items) // (edits + 7)]
            index = content / item["folder"] / "index.md"
            page = output / "tin-bai" / item["slug"] / "index.html"
            marker = f"Sửa lúc xem thử {attempt}"
            original = index.read_text(encoding="utf-8")
            load_before = load()
            saved = time.perf_counter()
            save(index, original.replace("\n\n", f"\n\n{marker}. ", 1))
            try:
                while marker not in page.read_text(encoding="utf-8", errors="replace"):
                    if time.perf_counter() - saved > 180:
                        raise SystemExit(f"bench: the preview never showed the edit of {index}")
                    time.sleep(0.005)
                latency = round(time.perf_counter() - saved, 3)
                kind = next_report()
            finally:
                save(index, original)
            next_report()  # the restored file is rewritten too
            if kind == "full":
                full_builds += 1
                print(f"  {'preview: (a full build, retried)':<34} {latency:7.2f} s", flush=True)
                continue
            latencies.append(latency)
            print(f"  {'preview: save -> page updated':<34} {latency:7.2f} s   "
                  f"(load {load_before})", flush=True)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    time.sleep(0.2)
    while not lines.empty():
        log.append(lines.get())
    shutil.rmtree(output, ignore_errors=True)
    final = [json.loads(line) for line in log if line.startswith("{")]
    pages = [int(m.group(1)) for line in log for m in [re.search(r"cập nhật (\d+) trang", line)]
             if m]
    return {"latencies": latencies, "pages": pages, "full_builds": full_builds,
            "first_full_build": round(first_build, 2),
            "max": max(latencies) if latencies else None,
            "rss_mb": final[-1]["rss_mb"] if final else None}


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one (never half written)."""
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def table(results: dict) -> str:
    plain, ours = results["plain"], results["ours"]
    rows = [("Cold full build", "cold"), ("Warm rebuild, nothing changed", "warm"),
            ("Rebuild after adding one item", "add"), ("Rebuild after editing one item", "edit")]
    lines = [f"{'':<34} {'plain Pelican':>14} {'ours':>10} {'ours/plain':>11}  load",
             "-" * 80]
    for title, key in rows:
        lines.append(f"{title:<34} {plain[key]['wall']:>12.2f} s {ours[key]['wall']:>8.2f} s "
                     f"{ratio(ours[key]['wall'], plain[key]['wall']):>11}  "
                     f"{plain[key]['load']}/{ours[key]['load']}")
    cold = ours["cold"]
    lines += [
        "-" * 80,
        f"{'Add / warm (ours)':<34} {ratio(ours['add']['wall'], ours['warm']['wall']):>25}",
        f"{'Photos encoded (cold)':<34} {cold.get('encoded_photos', 0):>25} in "
        f"{cold.get('publish_renditions_seconds', 0):.1f} s = {results['encode_per_second']:.1f}/s"
        + (f" ({cold.get('photos', 0)} photos in the items)" if results.get("shared_photos") else ""),
        f"{'Photo checks in the cold build':<34} {cold.get('audited_photos', 0):>25} in "
        f"{cold.get('audit_photos_seconds', 0):.1f} s",
    ]
    if "assess" in results:
        lines.append(f"{'Photo checks per second':<34} {results['assess']['per_second']:>25.1f} "
                     f"({results['assess']['photos']} photos)")
    if "publish" in results:
        lines.append(f"{'Publish: full / one item merged':<34} "
                     f"{results['publish']['full']['wall']:>13.2f} s {results['publish']['add']['wall']:>8.2f} s")
    if "pr_check" in results:
        lines.append(f"{'Pull-request check (5 x 12 MP)':<34} {results['pr_check']['wall']:>23.2f} s "
                     f"(photo memos kept; {results['pr_check']['cold_cache']['wall']:.1f} s without)")
    if "preview" in results:
        lines.append(f"{'Preview: save -> page updated':<34} {results['preview']['max']:>23.2f} s "
                     f"(max of {results['preview']['latencies']})")
    lines.append(f"{'Peak memory, build process':<34} {results['peak_rss_mb']:>21.0f} MB "
                 f"(workers {results['peak_workers_rss_mb']:.0f} MB)")
    return "\n".join(lines)


def issue_table(results: dict) -> str:
    """The rows of issue #20 this run measures: ours, plain Pelican in the same run,
    the ratio and the target."""
    plain, ours, n = results["plain"], results["ours"], results["items"]
    rows = []

    def row(title, mine, theirs, fmt="{:.2f} s", target="", note=""):
        cells = [fmt.format(mine) if mine is not None else "—",
                 fmt.format(theirs) if theirs is not None else "—",
                 ratio(mine, theirs) if mine is not None and theirs else "—"]
        rows.append(f"{title:<44} {cells[0]:>10} {cells[1]:>10} {cells[2]:>7}  {target:<8} {note}")

    row(f"Warm rebuild, {n} items (ours / plain)", ours["warm"]["wall"], plain["warm"]["wall"],
        target="<= 1.2")
    row("One item added (ours / our warm rebuild)", ours["add"]["wall"], ours["warm"]["wall"],
        target="<= 1.2", note=f"plain Pelican {plain['add']['wall']:.2f} s")
    if "publish" in results:
        pub = results["publish"]
        row("Publish one merged item (/ full publish)", pub["add"]["wall"], pub["full"]["wall"],
            note=f"plain Pelican rebuilds all: {plain['add']['wall']:.2f} s; "
                 f"ours / plain {ratio(pub['add']['wall'], plain['add']['wall'])}")
    photos = ours["cold"].get("photos", 0)
    if photos and not results.get("shared_photos"):
        # Plain Pelican does nothing with photos: its cold build is a reference, not a ratio.
        row(f"Cold build per photo ({photos} distinct)", ours["cold"]["wall"] / photos, None,
            fmt="{:.3f} s", note=f"(ours - plain) / photo "
            f"{(ours['cold']['wall'] - plain['cold']['wall']) / photos:.3f} s; encoding + checks "
            f"{ours['cold'].get('publish_renditions_seconds', 0) / photos:.3f} s; plain Pelican's "
            f"cold build {plain['cold']['wall']:.2f} s in all")
    if "pr_check" in results:
        pr = results["pr_check"]
        row("Pull-request check, 5 x 12 MP, no cache/", pr["cold_cache"]["wall"], None,
            target="<= 3 s", note=f"with cache/: {pr['wall']:.2f} s")
    own = max(s["rss_mb"] for s in ours.values())
    theirs = max(s["rss_mb"] for s in plain.values())
    row(f"Peak memory, {n} items, build process", own, theirs, fmt="{:.0f} MB", target="< 2 GB",
        note=f"+ largest worker {results['peak_workers_rss_mb']:.0f} MB")
    head = f"{'Issue #20':<44} {'ours':>10} {'plain/ref':>10} {'ratio':>7}  {'target':<8}"
    loads = sorted({s["load"] for k in ("plain", "ours") for s in results[k].values()})
    return "\n".join([head, "-" * 100, *rows, "-" * 100,
                      f"load before the steps: {loads[0]}–{loads[-1]}"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shared-photos", type=int, default=0, metavar="K",
                        help="only K distinct photos, linked into every item (the scale cases: "
                             "no photo figures, no preview)")
    parser.add_argument("--pr-check", action="store_true",
                        help="with --shared-photos: the pull-request check too")
    parser.add_argument("--skip-plain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--show", type=Path, metavar="RESULTS",
                        help="only print the tables of a results file")
    args = parser.parse_args(argv)
    if args.show:
        results = json.loads(args.show.read_text())
        print(table(results), issue_table(results), sep="\n\n")
        return 0
    started = time.perf_counter()
    shared = args.shared_photos
    suffix = f"-sh{shared}" if shared else ""
    base = OUT / f"n{args.items}-p{args.photos}-s{args.seed}{suffix}"
    content = base / "content"
    print(f"Nội dung: {args.items} tin, bài x {args.photos} ảnh"
          + (f", {shared} ảnh khác nhau" if shared else "") + f" ({content})", flush=True)
    made = time.perf_counter()
    tree = generate.generate(content, args.items, args.photos, args.seed, git=True, shared=shared)
    results: dict = {
        "items": args.items, "photos_per_item": args.photos, "seed": args.seed,
        "shared_photos": shared, "generate": {"seconds": round(time.perf_counter() - made, 1),
                                              "first_time": tree.get("seconds"),
                                              "timings": tree.get("timings")},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "load_at_start": load()},
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }
    print("Plain Pelican:", flush=True)
    results["plain"] = build_sequence("plain", content, base / "plain", tree, args.seed,
                                      args.photos)
    print("Ours:", flush=True)
    results["ours"] = build_sequence("ours", content, base / "ours", tree, args.seed, args.photos)
    cold = results["ours"]["cold"]
    encoded = cold.get("encoded_photos", 0)
    results["encode_per_second"] = encoded / cold["publish_renditions_seconds"] if encoded else 0.0
    print("Publish:", flush=True)
    results["publish"] = publish_sequence(content, base / "ours", tree, args.seed, args.photos)
    if not shared:
        print("Photos and checks:", flush=True)
        results["assess"] = run_step("assess", "--content", str(content), "--count", "200",
                                     label="photo checks (200 photos)")
    if not shared or args.pr_check:
        results["pr_check"] = pull_request_check(content, base, args.seed)
    if not shared:
        print("Preview:", flush=True)
        results["preview"] = preview_loop(content, base / "ours", base / "ours" / "cache", tree)
    steps = [*results["ours"].values(), *results["publish"].values()]
    results["peak_rss_mb"] = max(s["rss_mb"] for s in steps)
    results["peak_workers_rss_mb"] = max(s["workers_rss_mb"] for s in steps)
    results["load_at_end"] = load()
    results["seconds"] = round(time.perf_counter() - started, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"results-{args.items}{suffix.replace('-sh', '-shared')}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print()
    print(table(results))
    print()
    print(issue_table(results))
    print(f"\n{target} ({results['seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
