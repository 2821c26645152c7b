#!/usr/bin/env python3
"""Draw the feeds' PNG images from the emblem of ``theme/static/img/logo.svg``.

Feeds cannot use the SVG logo: RSS ``<image>`` must be GIF, JPEG or PNG and at
most 144 px wide, Atom's ``icon`` should be square and its ``logo`` twice as
wide as tall. The emblem (red disc, yellow ring, yellow five-pointed star) is
painted here with Pillow at 8x and downsampled, so the files are the same at
every run; they are committed under ``theme/static/img/`` and the build copies
them like every theme file.

Usage::

    .venv/bin/python tools/feed_images.py   # writes feed-icon.png, feed-logo.png
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "theme" / "static" / "img"
RED = (200, 16, 46)
YELLOW = (255, 205, 0)
SCALE = 8


def emblem(size: int) -> Image.Image:
    """The logo.svg emblem (viewBox 100x100) as an RGBA image ``size`` px square."""
    big = size * SCALE
    unit = big / 100
    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([2 * unit, 2 * unit, 98 * unit, 98 * unit], fill=RED)
    ring = 1.5 * unit  # stroke-width 3 around r=40
    draw.ellipse([10 * unit - ring, 10 * unit - ring, 90 * unit + ring, 90 * unit + ring],
                 fill=YELLOW)
    draw.ellipse([10 * unit + ring, 10 * unit + ring, 90 * unit - ring, 90 * unit - ring],
                 fill=RED)
    points = []
    for n in range(10):  # the SVG's star: outer radius 32, inner ~13, centred at (50, 50)
        radius = 32 if n % 2 == 0 else 13.2
        angle = -math.pi / 2 + n * math.pi / 5
        points.append((50 * unit + radius * unit * math.cos(angle),
                       52 * unit + radius * unit * math.sin(angle)))
    draw.polygon(points, fill=YELLOW)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon = Image.new("RGB", (144, 144), (255, 255, 255))
    mark = emblem(136)
    icon.paste(mark, (4, 4), mark)
    icon.save(OUT / "feed-icon.png", optimize=True)
    logo = Image.new("RGB", (288, 144), (255, 255, 255))
    mark = emblem(128)
    logo.paste(mark, (80, 8), mark)
    logo.save(OUT / "feed-logo.png", optimize=True)
    print(f"{OUT / 'feed-icon.png'} (144x144), {OUT / 'feed-logo.png'} (288x144)")


if __name__ == "__main__":
    main()
