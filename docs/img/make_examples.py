#!/usr/bin/env python3
"""Ảnh minh họa “ảnh đạt / ảnh lỗi” cho docs/huong-dan-cong-tac-vien.md.

Good/bad photo examples for the contributor guide. One good photo is drawn by
``tools/demo_photos.py`` (the project's own generator: no third-party photo),
then each defect the photo check reports is applied to it with Pillow.

    .venv/bin/python docs/img/make_examples.py          # (re)write the JPEGs
    .venv/bin/python docs/img/make_examples.py --check  # also run the photo
                                                        # check on each one

Every file is at most 800 px wide and 120 KB. With ``--check`` the script
exits 1 when an example no longer gets the problem code it illustrates (for
instance after the thresholds in ``mttq/photo_quality.py`` change). All the
examples are 800 px wide, so each also gets the ``photo.too_small`` warning
(recommended long side 1200 px): that one is expected and ignored.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tools.demo_photos import render  # noqa: E402

WIDTH, HEIGHT = 800, 533
MAX_BYTES = 120 * 1024
SEED = "docs/img/anh-tot"
BANNER = ("ỦY BAN MTTQ VIỆT NAM", "BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT")


def tilted(im: Image.Image, degrees: float) -> Image.Image:
    """Rotate, then crop the largest centred rectangle of the same shape
    (no black corners: it looks like a photo taken with the phone tilted)."""
    w, h = im.size
    a = math.radians(abs(degrees))
    k = 1 / (math.cos(a) + (max(w, h) / min(w, h)) * math.sin(a))
    cw, ch = int(w * k), int(h * k)
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    turned = im.rotate(degrees, resample=Image.Resampling.BICUBIC)
    return turned.crop((x0, y0, x0 + cw, y0 + ch)).resize((w, h), Image.Resampling.LANCZOS)


def washed_out(im: Image.Image) -> Image.Image:
    """Greyish haze: what a dirty lens or shooting through glass gives."""
    return Image.blend(im, Image.new("RGB", im.size, (170, 170, 165)), 0.68)


def examples() -> dict[str, tuple[Image.Image, str | None]]:
    """file name -> (image, the problem code it must get; None = no problem)."""
    big = render(SEED, (2 * WIDTH, 2 * HEIGHT), "house", BANNER)
    good = big.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    # A 4:1 strip across the people, as a careless crop or a panorama gives.
    strip = big.crop((0, 300, 2 * WIDTH, 300 + WIDTH // 2)).resize(
        (WIDTH, WIDTH // 4), Image.Resampling.LANCZOS)
    return {
        "anh-tot.jpg": (good, None),
        "anh-mo.jpg": (good.filter(ImageFilter.GaussianBlur(3.2)), "photo.blurry"),
        "anh-toi.jpg": (ImageEnhance.Brightness(good).enhance(0.28), "photo.too_dark"),
        "anh-chay-sang.jpg": (ImageEnhance.Brightness(good).enhance(1.9), "photo.too_bright"),
        "anh-nhat.jpg": (washed_out(good), "photo.low_contrast"),
        "anh-nghieng.jpg": (tilted(good, 5), "photo.tilted"),
        "anh-dai-hep.jpg": (strip, "photo.bad_aspect"),
    }


def write(name: str, im: Image.Image) -> Path:
    path = HERE / name
    for quality in (82, 75, 68, 60):
        im.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
        if path.stat().st_size <= MAX_BYTES:
            break
    if path.stat().st_size > MAX_BYTES or im.width > WIDTH:
        raise SystemExit(f"{name}: quá lớn ({im.width} px, {path.stat().st_size} byte)")
    return path


def main(argv: list[str]) -> int:
    check = "--check" in argv
    failed = False
    for name, (im, expected) in examples().items():
        path = write(name, im)
        line = f"{name:18} {im.width}×{im.height} px {path.stat().st_size // 1024:3} KB"
        if check:
            from mttq.photos.quality import assess_photo

            codes = sorted({p.code for p in assess_photo(path).problems} - {"photo.too_small"})
            wanted = [expected] if expected else []
            ok = codes == wanted
            failed = failed or not ok
            line += f"  {', '.join(codes) or 'đạt'}" + ("" if ok else f"  ← cần: {wanted or 'đạt'}")
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
