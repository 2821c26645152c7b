"""The pull request's duplicate-photo check on a runner without ``cache/``.

Makes a git repository of N published items with two 2000x1500 photos each
(every photo distinct), then times ``duplicate_photo_problems`` for one new
photo (a copy of a published one) with an empty cache folder: once without
``data/photo-hashes.csv`` (every published photo decoded and hashed) and once
with it (``invoke photo-hashes``: hashes read by git blob id).

    .venv/bin/python bench/duplicate_check.py --items 1000 --out /tmp/dup
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is not part of the installed project

from mttq.commands.check import duplicate_photo_problems  # noqa: E402
from mttq.commands.cli import photo_hashes  # noqa: E402


def make_repo(out: Path, items: int) -> Path:
    content = out / "repo" / "content"
    rnd = random.Random(1)
    for i in range(items):
        folder = content / "tin" / f"{2016 + i % 10}" / f"{1 + i % 12:02d}" / f"tin-{i}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text("Title: x\n\nx\n", encoding="utf-8")
        for k in range(2):
            small = Image.new("RGB", (8, 6))
            small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(48)])
            small.resize((2000, 1500), Image.BILINEAR).save(folder / f"anh-{k}.jpg", quality=85)
    subprocess.run("git init -q -b main && git add -A && "
                   "git -c user.email=b@example.org -c user.name=bench commit -qm bench",
                   shell=True, check=True, cwd=out / "repo")
    return content


def timed(content: Path, photo: Path, cache: Path) -> float:
    shutil.rmtree(cache, ignore_errors=True)
    start = time.perf_counter()
    found = duplicate_photo_problems([photo], content, cache)
    seconds = time.perf_counter() - start
    assert found, "the copy was not found"
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "duplicates")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    content = make_repo(args.out, args.items)
    new = content / "tin" / "2026" / "12" / "tin-moi"
    new.mkdir(parents=True)
    shutil.copy(content / "tin" / "2016" / "01" / "tin-0" / "anh-0.jpg", new / "anh-1.jpg")
    without = timed(content, new / "anh-1.jpg", args.out / "cache")
    photo_hashes(str(content))
    with_index = timed(content, new / "anh-1.jpg", args.out / "cache")
    print(f"{2 * args.items} published photos, no cache/: {without:.2f} s without the index, "
          f"{with_index:.2f} s with data/photo-hashes.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
