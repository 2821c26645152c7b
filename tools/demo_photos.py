#!/usr/bin/env python3
"""Deterministic generator of photo-like demo JPEGs for the MTTQ demo content.

Every photo of the demo items under ``content/`` is drawn by this script: no
photo is copied from anywhere, so all of them can be published under the
project's own licence (see ``content/PHOTO_SOURCES.md``).

The scenes are painted with Pillow and numpy at twice the output size and
downsampled (sharp, anti-aliased edges), then get fractal textures, a level
horizon, soft shadows, a gentle tone curve, vignetting and light sensor grain,
so that they look like ordinary, well exposed phone photos of the events the
items report: a meeting hall with a red backdrop, a house handover, a gift
ceremony, rice fields, a rural road, a Khmer pagoda, a town street.

Usage::

    .venv/bin/python tools/demo_photos.py            # (re)generate every photo
    .venv/bin/python tools/demo_photos.py --only SLUG # one item
    .venv/bin/python tools/demo_photos.py --missing   # only photos not written yet
    .venv/bin/python tools/demo_photos.py --list      # show the plan only
    .venv/bin/python tools/demo_photos.py --sample out/ --count 7

API (used by benchmarks and tests)::

    from tools.demo_photos import make_photo
    make_photo("x.jpg", seed=42)                          # 2000x1500, random scene
    make_photo("x.jpg", "some-slug/anh-1.jpg", size=(1600, 1067), scene="meeting",
               banner=("ỦY BAN MTTQ VIỆT NAM", "HỘI NGHỊ"), gps=(9.60, 105.97),
               taken="2025-05-08 08:30", orientation=6)

The same ``seed`` (int or str), ``size``, ``scene`` and options always give the
same pixels (given the same Pillow/numpy versions and the DejaVu font).
"""
from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import unicodedata
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SCENES: tuple[str, ...] = ("meeting", "house", "gift", "field", "road", "pagoda", "street")
SS = 2  # supersampling factor: scenes are drawn at SS x the output size

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

FONT_CANDIDATES = {
    True: [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/Library/Fonts/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
    ],
    False: [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ],
}
_FONT_CACHE: dict[tuple[int, bool], ImageFont.ImageFont] = {}


def font(size: int, bold: bool = True):
    key = (int(size), bold)
    if key not in _FONT_CACHE:
        f = None
        for cand in FONT_CANDIDATES[bold]:
            try:
                f = ImageFont.truetype(cand, int(size))
                break
            except OSError:
                continue
        if f is None:  # Pillow's bundled font (may lack some Vietnamese glyphs)
            f = ImageFont.load_default(size=int(size))
        _FONT_CACHE[key] = f
    return _FONT_CACHE[key]


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def seed_int(seed) -> int:
    """A stable 64-bit integer from an int or a string (e.g. an item slug)."""
    if isinstance(seed, (int, np.integer)):
        return int(seed) & ((1 << 63) - 1)
    text = unicodedata.normalize("NFC", str(seed))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def clamp8(v) -> int:
    return int(max(0, min(255, round(v))))


def shade(c, f: float):
    return tuple(clamp8(x * f) for x in c)


def mix(a, b, t: float):
    return tuple(clamp8(x * (1 - t) + y * t) for x, y in zip(a, b))


def jitter(rng, c, amount: float = 0.08):
    f = 1 + rng.uniform(-amount, amount)
    return tuple(clamp8(x * f * (1 + rng.uniform(-amount / 3, amount / 3))) for x in c)


def noise2(rng, w: int, h: int, cellx: float, celly: float | None = None,
           octaves: int = 4, persistence: float = 0.5) -> np.ndarray:
    """Fractal value noise in [0, 1], shape (h, w), float32."""
    celly = cellx if celly is None else celly
    w, h = max(1, int(w)), max(1, int(h))
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        cx = max(2.0, cellx / (2 ** o))
        cy = max(2.0, celly / (2 ** o))
        gw, gh = int(w / cx) + 3, int(h / cy) + 3
        g = rng.random((gh, gw), dtype=np.float32)
        # crop a little of the grid border so that edges don't look clamped
        big = Image.fromarray(g, "F").resize((w + int(2 * cx), h + int(2 * cy)), Image.BICUBIC)
        a = np.asarray(big)[int(cy):int(cy) + h, int(cx):int(cx) + w]
        out += amp * a
        total += amp
        amp *= persistence
    out /= total
    lo, hi = float(out.min()), float(out.max())
    if hi - lo < 1e-6:
        return np.full((h, w), 0.5, np.float32)
    return (out - lo) / (hi - lo)


def patch(rng, w: int, h: int, color, amp: float = 0.08, cell: float = 60,
          octaves: int = 4, grain: float = 3.0, vgrad: tuple[float, float] = (1.0, 1.0),
          hgrad: tuple[float, float] = (1.0, 1.0), cell_y: float | None = None) -> Image.Image:
    """A textured RGB patch of a base colour (fractal mottling + fine grain)."""
    w, h = max(1, int(w)), max(1, int(h))
    n = noise2(rng, w, h, cell, cell_y, octaves) - 0.5
    f = 1.0 + 2 * amp * n
    if vgrad != (1.0, 1.0):
        f = f * np.linspace(vgrad[0], vgrad[1], h, dtype=np.float32)[:, None]
    if hgrad != (1.0, 1.0):
        f = f * np.linspace(hgrad[0], hgrad[1], w, dtype=np.float32)[None, :]
    arr = np.asarray(color, np.float32)[None, None, :] * f[:, :, None]
    if grain:
        arr += rng.normal(0, grain, (h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def rotated_ellipse(cx, cy, rx, ry, angle, n: int = 28):
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def fit_font(draw, text: str, max_w: float, max_h: float, bold: bool = True):
    size = max(8, int(max_h))
    while size > 8:
        f = font(size, bold)
        l, t, r, b = draw.textbbox((0, 0), text, font=f)
        if r - l <= max_w and b - t <= max_h * 1.05:
            return f
        size = int(size * 0.93)
    return font(8, bold)


def draw_text_center(draw, cx, cy, text, max_w, max_h, fill, bold=True):
    f = fit_font(draw, text, max_w, max_h, bold)
    l, t, r, b = draw.textbbox((0, 0), text, font=f)
    draw.text((cx - (r - l) / 2 - l, cy - (b - t) / 2 - t), text, font=f, fill=fill)


# --------------------------------------------------------------------------
# the canvas and its building blocks
# --------------------------------------------------------------------------

SKIN = [(224, 180, 140), (206, 156, 112), (190, 140, 98), (172, 122, 84), (214, 170, 128)]
HAIR = [(20, 18, 17), (30, 26, 24), (42, 36, 32), (120, 118, 115), (180, 178, 172)]
SHIRTS = [(238, 238, 232), (240, 240, 236), (150, 186, 222), (60, 100, 170), (225, 225, 210),
          (110, 150, 110), (200, 70, 60), (230, 200, 120), (90, 90, 110), (170, 200, 230)]
PANTS = [(40, 42, 50), (30, 32, 40), (70, 70, 78), (55, 60, 80), (110, 100, 85)]
BABA = [(120, 60, 110), (60, 90, 150), (150, 60, 60), (40, 110, 100), (200, 160, 90), (90, 70, 60)]
MEETING_SHIRTS = [(238, 238, 232), (240, 240, 236), (236, 236, 228), (150, 186, 222), (170, 200, 230),
                  (60, 100, 170), (90, 90, 110), (225, 225, 210), (120, 60, 110), (110, 130, 90)]
AODAI = [(40, 90, 180), (200, 40, 60), (150, 60, 150), (240, 240, 245), (230, 120, 150)]


class ODraw:
    """ImageDraw on a small layer, taking canvas coordinates (offset applied)."""

    def __init__(self, layer: Image.Image, ox: float, oy: float):
        self._d = ImageDraw.Draw(layer)
        self.ox, self.oy = ox, oy

    def _t(self, xy):
        if xy and isinstance(xy[0], (tuple, list)):
            return [(p[0] - self.ox, p[1] - self.oy) for p in xy]
        return [v - (self.ox if i % 2 == 0 else self.oy) for i, v in enumerate(xy)]

    def __getattr__(self, name):
        fn = getattr(self._d, name)

        def call(xy, *a, **kw):
            return fn(self._t(xy), *a, **kw)
        return call


class Canvas:
    def __init__(self, w: int, h: int, rng: np.random.Generator):
        self.w, self.h, self.rng = w, h, rng
        self.img = Image.new("RGB", (w, h), (128, 128, 128))
        self.d = ImageDraw.Draw(self.img)
        self.shadow = Image.new("L", (w, h), 0)
        self.sd = ImageDraw.Draw(self.shadow)
        self.sun = -1 if rng.random() < 0.65 else 1  # light from left (-1) or right (1)

    # -- compositing ------------------------------------------------------
    def paste_poly(self, p: Image.Image, x0: int, y0: int, pts) -> None:
        mask = Image.new("L", p.size, 0)
        ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pts], fill=255)
        self.img.paste(p, (int(x0), int(y0)), mask)

    def tex_rect(self, x0, y0, x1, y1, color, **kw) -> None:
        x0, y0, x1, y1 = int(x0), int(y0), int(math.ceil(x1)), int(math.ceil(y1))
        if x1 <= x0 or y1 <= y0:
            return
        self.img.paste(patch(self.rng, x1 - x0, y1 - y0, color, **kw), (x0, y0))

    def tex_poly(self, pts, color, **kw) -> None:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, y0 = int(max(0, min(xs))), int(max(0, min(ys)))
        x1, y1 = int(min(self.w, max(xs) + 1)), int(min(self.h, max(ys) + 1))
        if x1 <= x0 or y1 <= y0:
            return
        self.paste_poly(patch(self.rng, x1 - x0, y1 - y0, color, **kw), x0, y0, pts)

    def apply_shadows(self, strength: float = 0.45) -> None:
        m = self.shadow.filter(ImageFilter.GaussianBlur(max(2, self.w // 900)))
        dark = Image.eval(self.img, lambda v: int(v * (1 - strength)))
        self.img = Image.composite(dark, self.img, m)
        self.d = ImageDraw.Draw(self.img)
        self.shadow = Image.new("L", (self.w, self.h), 0)
        self.sd = ImageDraw.Draw(self.shadow)

    # -- sky and landscape -----------------------------------------------
    def sky(self, horizon: int, cloudy: float | None = None) -> None:
        rng, w = self.rng, self.w
        hy = max(2, int(horizon))
        cloudy = rng.uniform(0.25, 0.65) if cloudy is None else cloudy
        top = np.array(jitter(rng, (62, 122, 200), 0.07), np.float32)
        bottom = np.array(jitter(rng, (196, 218, 238), 0.03), np.float32)
        t = np.linspace(0, 1, hy, dtype=np.float32)[:, None, None] ** 0.75
        col = top[None, None, :] * (1 - t) + bottom[None, None, :] * t
        col = np.broadcast_to(col, (hy, w, 3)).copy()
        # flattened cumulus clouds with shaded undersides
        n = noise2(rng, w, hy, w / 4.0, hy / 2.0, octaves=5, persistence=0.45)
        thr = 0.74 - 0.36 * cloudy
        c = np.clip((n - thr) / 0.14, 0, 1) ** 0.8
        c *= np.linspace(1.0, 0.5, hy, dtype=np.float32)[:, None]
        sh = np.roll(n, -max(2, hy // 40), axis=0) - n
        light = np.clip(1.0 - sh * 2.2, 0.8, 1.0)
        cloud = np.stack([248 * light, 248 * light, 250 * light + 2], -1)
        col = col * (1 - c[:, :, None]) + cloud * c[:, :, None]
        self.img.paste(Image.fromarray(np.clip(col, 0, 255).astype(np.uint8), "RGB"), (0, 0))

    def treeline(self, base: int, height: float, color=(58, 92, 52), haze: float = 0.35,
                 palms: int = 8) -> None:
        rng, w = self.rng, self.w
        hz = (170, 190, 200)
        prof = noise2(rng, w, 1, w / 10, 1, octaves=5)[0]
        tops = base - height * (0.35 + 0.65 * prof)
        pts = [(0, base + 2)] + [(x, float(tops[x])) for x in range(0, w, 3)] + [(w, float(tops[-1])), (w, base + 2)]
        self.tex_poly(pts, mix(color, hz, haze), amp=0.12, cell=height * 0.6, grain=2.5)
        # crowns along the silhouette
        for _ in range(int(w / height * 6)):
            x = rng.uniform(0, w)
            y = tops[int(min(w - 1, x))] + rng.uniform(0, height * 0.5)
            r = height * rng.uniform(0.08, 0.22)
            c = mix(jitter(rng, color, 0.15), hz, haze * rng.uniform(0.8, 1.2))
            self.d.ellipse([x - r, y - r * 0.8, x + r, y + r * 0.8], fill=c)
        for _ in range(palms):
            x = rng.uniform(0, w)
            self.palm(x, base, height * rng.uniform(1.2, 1.9), rng.uniform(-0.12, 0.12),
                      haze=haze * 0.95)

    def palm(self, x: float, yb: float, h: float, lean: float = 0.0, haze: float = 0.0) -> None:
        rng, d = self.rng, self.d
        hz = (170, 190, 200)
        trunk_c = mix(jitter(rng, (118, 102, 84), 0.1), hz, haze)
        cx, cy = x + lean * h, yb - h
        w0, w1 = max(2, h * 0.034), max(1.5, h * 0.02)
        bend = rng.uniform(-0.08, 0.08) * h
        left, right = [], []
        steps = 24
        for i in range(steps + 1):
            t = i / steps
            px = x + (cx - x) * t + bend * math.sin(math.pi * t)
            py = yb + (cy - yb) * t
            ww = w0 + (w1 - w0) * t
            left.append((px - ww, py))
            right.append((px + ww, py))
        d.polygon(left + right[::-1], fill=trunk_c)
        # trunk rings and shading
        for i in range(1, steps):
            t = i / steps
            px = x + (cx - x) * t + bend * math.sin(math.pi * t)
            py = yb + (cy - yb) * t
            ww = w0 + (w1 - w0) * t
            d.line([(px - ww, py), (px + ww, py)], fill=shade(trunk_c, 0.78), width=max(1, int(h / 260)))
            d.line([(px + ww * 0.35 * -self.sun, py), (px + ww * -self.sun, py)], fill=shade(trunk_c, 1.15),
                   width=max(1, int(h / 200)))
        # coconuts
        for k in range(rng.integers(2, 6)):
            r = h * 0.022
            ox = rng.uniform(-1.5, 1.5) * r
            d.ellipse([cx + ox - r, cy + r * 0.3 - r, cx + ox + r, cy + r * 0.3 + r],
                      fill=mix((70, 90, 40), hz, haze))
        nf = int(rng.integers(11, 16))
        base_g = [(46, 96, 38), (62, 118, 44), (84, 134, 52), (38, 80, 34)]
        for k in range(nf):
            a = 2 * math.pi * k / nf + rng.uniform(-0.2, 0.2)
            L = h * rng.uniform(0.26, 0.38)
            dx, dy = math.cos(a), -math.sin(a) * 0.55 - 0.15
            droop = rng.uniform(0.5, 0.9)
            g = mix(base_g[k % len(base_g)], hz, haze)
            spine = []
            for i in range(19):
                t = i / 18
                spine.append((cx + dx * L * t, cy + dy * L * t + droop * L * t * t))
            lw = max(1, int(h / 180))
            d.line(spine, fill=shade(g, 0.8), width=lw + 1)
            for i in range(2, 19):
                t = i / 18
                px, py = spine[i]
                qx, qy = spine[i - 1]
                tx, ty = px - qx, py - qy
                nrm = math.hypot(tx, ty) or 1
                tx, ty = tx / nrm, ty / nrm
                ll = L * 0.2 * (1.05 - 0.6 * t)
                for side in (-1, 1):
                    nx, ny = -ty * side, tx * side
                    ex = px + (nx * 0.8 + tx * 0.35) * ll
                    ey = py + (ny * 0.8 + tx * 0.0) * ll + ll * 0.45
                    d.line([(px, py), (ex, ey)], fill=shade(g, 0.9 + 0.25 * (side == -self.sun)),
                           width=lw)

    def bush_tree(self, x: float, yb: float, h: float, wdt: float, haze: float = 0.0,
                  base=(54, 104, 44)) -> None:
        rng = self.rng
        hz = (170, 190, 200)
        bx0, by0 = int(x - wdt * 0.75), int(yb - h * 1.08)
        bx1, by1 = int(x + wdt * 0.75) + 2, int(yb + 4)
        layer = Image.new("RGBA", (bx1 - bx0, by1 - by0), (0, 0, 0, 0))
        d = ODraw(layer, bx0, by0)
        tw = wdt * 0.06
        trunk = mix((92, 74, 58), hz, haze)
        d.polygon([(x - tw, yb), (x + tw, yb), (x + tw * 0.6, yb - h * 0.55), (x - tw * 0.6, yb - h * 0.55)],
                  fill=trunk)
        d.line([(x, yb - h * 0.45), (x - wdt * 0.18, yb - h * 0.7)], fill=trunk, width=max(1, int(tw * 0.8)))
        d.line([(x, yb - h * 0.4), (x + wdt * 0.2, yb - h * 0.68)], fill=trunk, width=max(1, int(tw * 0.7)))
        ccx, ccy = x, yb - h * 0.64
        rx, ry = wdt / 2, h * 0.36
        # crown: clusters lit from the sun's side and from above
        blobs = []
        for _ in range(int(120 + wdt / 5)):
            ang = rng.uniform(0, 2 * math.pi)
            rr = math.sqrt(rng.random())
            bx, by = ccx + rx * rr * math.cos(ang), ccy + ry * rr * math.sin(ang)
            lit = 0.7 - 0.3 * ((bx - ccx) / rx) * self.sun - 0.3 * (by - ccy) / ry + rng.uniform(-0.12, 0.12)
            blobs.append((lit, bx, by, wdt * rng.uniform(0.04, 0.1)))
        blobs.sort()
        for lit, bx, by, r in blobs:
            c = mix(shade(base, 0.5 + 0.7 * max(0.0, min(1.0, lit))), hz, haze)
            d.ellipse([bx - r, by - r * 0.85, bx + r, by + r * 0.85], fill=c)
        # small leaves along the rim break the round outline
        for _ in range(int(wdt * 1.2)):
            ang = rng.uniform(0, 2 * math.pi)
            rr = rng.uniform(0.85, 1.08)
            bx, by = ccx + rx * rr * math.cos(ang), ccy + ry * rr * math.sin(ang)
            r = max(1.5, wdt * rng.uniform(0.006, 0.016))
            lit = 0.7 - 0.3 * math.cos(ang) * self.sun - 0.3 * math.sin(ang)
            d.ellipse([bx - r, by - r * 0.7, bx + r, by + r * 0.7],
                      fill=mix(shade(base, 0.6 + 0.6 * max(0.0, min(1.0, lit))), hz, haze))
        self._finish_layer(layer, bx0, by0, x, wdt * 0.7, yb - h, h, tex_cell=max(2.5, wdt / 90), tex_amp=0.22,
                           vertical=0.0)

    def banana(self, x: float, yb: float, h: float) -> None:
        rng, d = self.rng, self.d
        d.polygon([(x - h * 0.03, yb), (x + h * 0.03, yb), (x + h * 0.02, yb - h * 0.5), (x - h * 0.02, yb - h * 0.5)],
                  fill=(96, 120, 60))
        for k in range(7):
            a = rng.uniform(-2.6, -0.5) if k % 2 else rng.uniform(-2.6, -0.5)
            L = h * rng.uniform(0.35, 0.5)
            cx, cy = x + math.cos(a) * L * 0.5, yb - h * 0.5 + math.sin(a) * L * 0.5
            g = jitter(rng, (80, 150, 60), 0.15)
            d.polygon(rotated_ellipse(cx, cy, L * 0.5, L * 0.14, a), fill=g)
            d.line([(x, yb - h * 0.5), (x + math.cos(a) * L, yb - h * 0.5 + math.sin(a) * L)],
                   fill=shade(g, 1.25), width=max(1, int(h / 150)))

    # -- people -------------------------------------------------------------
    def person(self, x: float, yf: float, h: float, facing: str = "front", shirt=None, pants=None,
               female: bool | None = None, hat: bool = False, hold=None, robe: bool = False,
               aodai: bool = False, cast_shadow: bool = True, pose: str | None = None,
               clip_frac: float = 0.0) -> None:
        """A standing person, feet at (x, yf), height h, drawn on its own layer and
        then given cylindrical shading and a fabric texture. ``clip_frac`` hides
        the lowest part of the figure (legs in tall rice, behind a table)."""
        rng = self.rng
        female = rng.random() < 0.45 if female is None else female
        skin = SKIN[int(rng.integers(len(SKIN)))]
        hair = HAIR[int(rng.integers(3 if rng.random() < 0.8 else len(HAIR)))]
        shirt = shirt or SHIRTS[int(rng.integers(len(SHIRTS)))]
        pants = pants or PANTS[int(rng.integers(len(PANTS)))]
        if aodai:
            pants = (240, 240, 238)
        if robe:
            shirt = pants = jitter(rng, (226, 128, 30), 0.06)
        if pose is None:
            pose = "hold" if hold is not None else ("clasp" if rng.random() < 0.35 else "down")
        if facing == "back" and pose == "clasp":
            pose = "down"
        short = (not robe and not aodai and rng.random() < 0.45)
        top = yf - h
        hh = h * 0.135
        hw = hh * 0.8
        sw = h * (0.23 if female else 0.26)
        bx0, by0 = int(x - sw * 1.6), int(top - hh * 0.8)
        bx1, by1 = int(x + sw * 1.6) + 2, int(yf + h * 0.03) + 2
        layer = Image.new("RGBA", (bx1 - bx0, by1 - by0), (0, 0, 0, 0))
        d = ODraw(layer, bx0, by0)
        s = self.sun
        neck = top + hh * 0.95
        sh_y = neck + h * 0.03
        hip = yf - h * 0.47
        lw = max(1, int(h / 120))
        if cast_shadow:
            self.sd.ellipse([x - sw * 0.8 - s * h * 0.1, yf - h * 0.025, x + sw * 0.8 - s * h * 0.1, yf + h * 0.03],
                            fill=150)
        long_hair = female and not robe and facing == "front" and rng.random() < 0.75
        if long_hair:  # hair falling behind the shoulders: drawn first, the body covers it
            d.rounded_rectangle([x - hw * 0.62, top + hh * 0.15, x + hw * 0.62, sh_y + h * rng.uniform(0.04, 0.1)],
                                radius=hw * 0.3, fill=hair)
        # legs (slightly apart, tapering), sandals
        legw = sw * 0.3
        stance = sw * rng.uniform(0.03, 0.09)
        for side in (-1, 1):
            lx = x + side * (stance + legw / 2)
            d.polygon([(lx - legw / 2, hip), (lx + legw / 2, hip), (lx + legw * 0.38 + side * stance * 0.4, yf - h * 0.02),
                       (lx - legw * 0.38 + side * stance * 0.4, yf - h * 0.02)], fill=pants)
            fx = lx + side * stance * 0.4
            d.ellipse([fx - legw * 0.48, yf - h * 0.028, fx + legw * 0.52, yf + h * 0.006], fill=(38, 32, 30))
        d.line([(x, hip + h * 0.02), (x, yf - h * 0.3)], fill=shade(pants, 0.7), width=max(1, lw // 2))
        # torso (skirt for robes and ao dai)
        body_bottom = hip + h * 0.035
        if robe:
            body_bottom = yf - h * 0.04
        if aodai:
            body_bottom = yf - h * 0.2
        waist = sw * (0.41 if not (robe or aodai) else 0.5)
        d.polygon([(x - sw / 2, sh_y + h * 0.01), (x + sw / 2, sh_y + h * 0.01), (x + waist, body_bottom),
                   (x - waist, body_bottom)], fill=shirt)
        d.rounded_rectangle([x - sw / 2, sh_y - h * 0.012, x + sw / 2, sh_y + h * 0.07], radius=sw * 0.16, fill=shirt)
        if aodai:  # side slits of the tunic show the trousers
            d.polygon([(x - waist * 0.98, hip + h * 0.05), (x - waist * 0.8, hip + h * 0.05), (x - waist * 0.9, body_bottom)],
                      fill=pants)
        if robe:  # sash over the left shoulder
            d.polygon([(x + sw * 0.48, sh_y), (x + sw * 0.18, sh_y), (x - waist, body_bottom - h * 0.12),
                       (x - waist * 0.6, body_bottom)], fill=shade(shirt, 0.88))
            d.line([(x + sw * 0.2, sh_y), (x - waist * 0.95, body_bottom - h * 0.1)], fill=shade(shirt, 0.7), width=lw)
        elif not female and not aodai:
            d.line([(x - waist, hip - h * 0.005), (x + waist, hip - h * 0.005)], fill=(50, 40, 35), width=lw)
        if not robe and facing == "front":
            d.polygon([(x - sw * 0.11, sh_y - h * 0.012), (x + sw * 0.11, sh_y - h * 0.012), (x, sh_y + h * 0.045)],
                      fill=skin)
            d.line([(x - sw * 0.14, sh_y - h * 0.012), (x, sh_y + h * 0.05), (x + sw * 0.14, sh_y - h * 0.012)],
                   fill=shade(shirt, 0.78), width=lw)
            if not aodai and not female:
                d.line([(x, sh_y + h * 0.05), (x, body_bottom)], fill=shade(shirt, 0.86), width=max(1, lw // 2))
                if rng.random() < 0.6:  # shirt pocket
                    px = x + s * sw * 0.2
                    d.rectangle([px - sw * 0.09, sh_y + h * 0.06, px + sw * 0.09, sh_y + h * 0.11],
                                outline=shade(shirt, 0.82), width=max(1, lw // 2))
        # arms
        aw = sw * 0.17
        for side in (-1, 1):
            ax, ay = x + side * (sw / 2 - aw * 0.45), sh_y + h * 0.02
            if pose in ("hold", "clasp") and facing == "front":
                ex, ey = x + side * sw * 0.36, sh_y + h * 0.17
                hx, hy = x + side * sw * (0.12 if pose == "clasp" else 0.24), hip - h * (0.02 if pose == "clasp" else 0.05)
            else:
                ex, ey = ax + side * aw * 0.25, sh_y + h * 0.17
                hx, hy = ax + side * aw * 0.15, hip + h * 0.02
            sleeve = shirt if side != s else shade(shirt, 0.96)
            if short:
                d.line([(ax, ay), (ex, ey)], fill=sleeve, width=max(1, int(aw * 1.05)))
                d.line([(ex, ey), (hx, hy)], fill=skin, width=max(1, int(aw * 0.7)))
                d.ellipse([ex - aw * 0.5, ey - aw * 0.55, ex + aw * 0.5, ey + aw * 0.2], fill=sleeve)
            else:
                d.line([(ax, ay), (ex, ey), (hx, hy)], fill=sleeve, width=max(1, int(aw)), joint="curve")
                d.ellipse([ax - aw * 0.5, ay - aw * 0.5, ax + aw * 0.5, ay + aw * 0.5], fill=sleeve)
            d.ellipse([hx - aw * 0.42, hy - aw * 0.4, hx + aw * 0.42, hy + aw * 0.55], fill=skin)
        if pose == "hold" and facing == "front" and hold is not None:
            gw, gh = sw * 0.66, h * 0.15
            gx, gy = x - gw / 2, hip - h * 0.13
            d.rectangle([gx, gy, gx + gw, gy + gh], fill=hold)
            d.rectangle([gx + gw * 0.45, gy, gx + gw * 0.55, gy + gh], fill=(236, 196, 60))
            d.rectangle([gx, gy, gx + gw, gy + gh * 0.1], fill=shade(hold, 1.18))
            d.line([(gx + gw * 0.2, gy), (gx + gw * 0.35, gy - gh * 0.35), (gx + gw * 0.65, gy - gh * 0.35),
                    (gx + gw * 0.8, gy)], fill=shade(hold, 0.8), width=lw)
            for side in (-1, 1):
                hx = x + side * gw * 0.45
                d.ellipse([hx - aw * 0.42, gy + gh * 0.3, hx + aw * 0.42, gy + gh * 0.3 + aw * 0.9], fill=skin)
        # neck and head
        d.rectangle([x - hw * 0.22, neck - h * 0.012, x + hw * 0.22, sh_y + h * 0.005], fill=shade(skin, 0.86))
        hx0, hy0, hx1, hy1 = x - hw / 2, top, x + hw / 2, top + hh
        if facing == "back":
            d.ellipse([hx0 - hw * 0.04, hy0, hx1 + hw * 0.04, hy1], fill=skin if robe else hair)
            if female and not robe:
                d.rounded_rectangle([x - hw * 0.4, top + hh * 0.5, x + hw * 0.4, sh_y + h * 0.08], radius=hw * 0.3,
                                    fill=hair)
            d.ellipse([hx0 - hw * 0.1, top + hh * 0.4, hx0 + hw * 0.08, top + hh * 0.65], fill=skin)
            d.ellipse([hx1 - hw * 0.08, top + hh * 0.4, hx1 + hw * 0.1, top + hh * 0.65], fill=skin)
        else:
            d.ellipse([hx0 - hw * 0.09, top + hh * 0.42, hx0 + hw * 0.08, top + hh * 0.68], fill=skin)  # ears
            d.ellipse([hx1 - hw * 0.08, top + hh * 0.42, hx1 + hw * 0.09, top + hh * 0.68], fill=skin)
            d.ellipse([hx0, hy0, hx1, hy1], fill=skin)
            if not robe:
                if female:
                    d.chord([hx0 - hw * 0.05, hy0 - hh * 0.03, hx1 + hw * 0.05, hy0 + hh * 0.7], 180, 360, fill=hair)
                    d.polygon([(hx0 - hw * 0.04, hy0 + hh * 0.3), (x - s * hw * 0.1, hy0 + hh * 0.06),
                               (hx0 + hw * 0.05, hy0 + hh * 0.55)], fill=hair)
                else:
                    d.chord([hx0 - hw * 0.04, hy0 - hh * 0.06, hx1 + hw * 0.04, hy0 + hh * 0.6], 180, 360, fill=hair)
                    d.polygon([(hx0 - hw * 0.04, hy0 + hh * 0.28), (hx0 + hw * 0.1, hy0 + hh * 0.45),
                               (hx0 + hw * 0.2, hy0 + hh * 0.22)], fill=hair)
                    d.polygon([(hx1 + hw * 0.04, hy0 + hh * 0.28), (hx1 - hw * 0.1, hy0 + hh * 0.45),
                               (hx1 - hw * 0.2, hy0 + hh * 0.22)], fill=hair)
            if h > 120:  # subtle features: eyes, brows, nose shadow, mouth
                ey = top + hh * 0.54
                er = max(1.0, hw * 0.055)
                eye = mix(skin, (30, 24, 22), 0.75)
                for sx in (-1, 1):
                    ex = x + sx * hw * 0.2
                    d.ellipse([ex - er * 1.3, ey - er * 0.6, ex + er * 1.3, ey + er * 0.6], fill=eye)
                    d.line([(ex - er * 1.8, ey - er * 2.1), (ex + er * 1.6, ey - er * 2.3)], fill=mix(skin, hair, 0.6),
                           width=max(1, int(er * 0.8)))
                d.line([(x - s * hw * 0.02, top + hh * 0.58), (x - s * hw * 0.06, top + hh * 0.7)],
                       fill=shade(skin, 0.8), width=max(1, int(er * 0.7)))
                d.line([(x - hw * 0.12, top + hh * 0.8), (x + hw * 0.12, top + hh * 0.8)], fill=mix(skin, (150, 60, 55), 0.5),
                       width=max(1, int(er * 0.9)))
        if hat:
            straw = jitter(rng, (226, 208, 158), 0.05)
            brim = top + hh * 0.36
            bw = hw * 1.5
            ax, ay = x, top - hh * 0.6
            d.polygon([(x - bw, brim), (x + bw, brim), (ax, ay)], fill=straw)
            d.polygon([(x, brim), (x - s * bw, brim), (ax, ay)], fill=shade(straw, 0.84))
            for k in range(1, 6):
                t = k / 6
                yy = ay + (brim - ay) * t
                d.line([(x - bw * t, yy), (x + bw * t, yy)], fill=shade(straw, 0.86), width=max(1, lw // 2))
            d.line([(x - bw, brim), (x + bw, brim)], fill=shade(straw, 0.7), width=lw)
            d.polygon([(x - hw * 0.55, brim), (x + hw * 0.55, brim), (x + hw * 0.5, brim + hh * 0.12),
                       (x - hw * 0.5, brim + hh * 0.12)], fill=shade(skin, 0.7))
        if clip_frac > 0:
            cut = int(yf - clip_frac * h) - by0
            if 0 <= cut < layer.height:
                ImageDraw.Draw(layer).rectangle([0, cut, layer.width, layer.height], fill=(0, 0, 0, 0))
        self._finish_layer(layer, bx0, by0, x, sw * 0.62, top, h, tex_cell=max(2.0, h / 90), tex_amp=0.035)

    def _finish_layer(self, layer: Image.Image, bx0: int, by0: int, cx: float, half_w: float, top: float,
                      h: float, tex_cell: float, tex_amp: float, vertical: float = 0.12) -> None:
        """Round the flat drawing: cylindrical shading around cx, a little darker
        downwards, plus a fine texture; then composite the layer."""
        arr = np.asarray(layer).astype(np.float32)
        hgt, wid = arr.shape[:2]
        xs = (np.arange(wid, dtype=np.float32) + bx0 - cx) / max(1.0, half_w)
        u = np.clip(xs, -1.3, 1.3)
        fx = 1.0 - 0.13 * self.sun * u - 0.09 * u * u
        ys = (np.arange(hgt, dtype=np.float32) + by0 - top) / max(1.0, h)
        fy = 1.05 - vertical * np.clip(ys, 0, 1)
        tex = 1.0 + tex_amp * 2 * (noise2(self.rng, wid, hgt, tex_cell, octaves=3) - 0.5)
        f = fy[:, None] * fx[None, :] * tex
        arr[..., :3] = np.clip(arr[..., :3] * f[..., None], 0, 255)
        out = Image.fromarray(arr.astype(np.uint8), "RGBA")
        self.img.paste(out, (bx0, by0), out)

    def crowd(self, n: int, y_near: float, y_far: float, scale: float, x0: float, x1: float,
              facing: str = "front", **kw) -> None:
        """n people standing between depths y_far..y_near; height = scale * (y - horizon)."""
        rng = self.rng
        ppl = []
        for _ in range(n):
            yf = rng.uniform(y_far, y_near)
            ppl.append((yf, rng.uniform(x0, x1)))
        ppl.sort()
        placed = []
        for yf, x in ppl:
            h = scale(yf) if callable(scale) else scale
            opts = dict(kw)
            if "hat_p" in opts:
                opts["hat"] = rng.random() < opts.pop("hat_p")
            if "shirts" in opts:
                sh = opts.pop("shirts")
                opts["shirt"] = jitter(rng, sh[int(rng.integers(len(sh)))], 0.05)
            if "robe_p" in opts:
                opts["robe"] = rng.random() < opts.pop("robe_p")
            self.person(x, yf, h, facing=facing, **opts)
            placed.append((x, yf, h))
        return placed

    def row_of_people(self, x0: float, x1: float, yf: float, h: float, n: int, facing="front",
                      hold_every: int = 0, hold=(200, 30, 36), **kw) -> None:
        rng = self.rng
        step = (x1 - x0) / max(1, n - 1) if n > 1 else 0
        for i in range(n):
            x = x0 + i * step + rng.uniform(-0.12, 0.12) * step
            hh = h * rng.uniform(0.9, 1.06)
            opts = dict(kw)
            if "hat_p" in opts:
                opts["hat"] = rng.random() < opts.pop("hat_p")
            if "shirts" in opts:
                sh = opts.pop("shirts")
                opts["shirt"] = jitter(rng, sh[int(rng.integers(len(sh)))], 0.05)
            if "aodai_p" in opts:
                opts["aodai"] = rng.random() < opts.pop("aodai_p")
                if opts["aodai"]:
                    opts["female"] = True
                    opts["shirt"] = AODAI[int(rng.integers(len(AODAI)))]
            held = hold if (hold_every and i % hold_every == 0) else None
            self.person(x, yf + rng.uniform(-0.01, 0.01) * h, hh, facing=facing, hold=held, **opts)

    # -- man-made things ------------------------------------------------------
    def banner(self, x0, y0, x1, y1, lines: Sequence[str], bg=(196, 24, 30), fg=(255, 226, 40),
               rope: bool = True) -> None:
        rng, d = self.rng, self.d
        w, h = x1 - x0, y1 - y0
        p = patch(rng, w, h, bg, amp=0.05, cell=w / 6, grain=2)
        arr = np.asarray(p).astype(np.float32)
        folds = 1 + 0.06 * np.sin(np.linspace(0, rng.uniform(6, 14), int(w)) + rng.uniform(0, 6))
        arr *= folds[None, : arr.shape[1], None]
        self.img.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), (int(x0), int(y0)))
        d.rectangle([x0, y0, x1, y1], outline=shade(bg, 0.75), width=max(1, int(h / 40)))
        lines = [ln for ln in lines if ln]
        if lines:
            weights = [1.0 if i == 0 and len(lines) > 1 else 1.6 for i in range(len(lines))]
            pad = 0.84 if len(lines) == 1 else 0.92
            if len(lines) == 1:
                weights = [1.0]
            tot = sum(weights)
            y = y0 + h * 0.1
            for ln, wt in zip(lines, weights):
                lh = h * 0.8 * wt / tot
                draw_text_center(d, (x0 + x1) / 2, y + lh / 2, ln, w * pad, lh * 0.78, fg)
                y += lh
        if rope:
            d.line([(x0, y0), (x0 - w * 0.02, y0 - h * 0.3)], fill=(60, 55, 50), width=max(1, int(h / 50)))
            d.line([(x1, y0), (x1 + w * 0.02, y0 - h * 0.3)], fill=(60, 55, 50), width=max(1, int(h / 50)))

    def vn_flag(self, x0, y0, w, h) -> None:
        d = self.d
        d.rectangle([x0, y0, x0 + w, y0 + h], fill=(214, 30, 36))
        cx, cy, R = x0 + w / 2, y0 + h / 2, h * 0.3
        pts = []
        for i in range(10):
            r = R if i % 2 == 0 else R * 0.382
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
        d.polygon(pts, fill=(255, 222, 0))
        # a couple of soft folds
        for k in range(3):
            fx = x0 + w * (0.25 + 0.25 * k)
            d.line([(fx, y0), (fx + w * 0.02, y0 + h)], fill=(190, 22, 30), width=max(1, int(w / 60)))

    def flagpole(self, x, yb, h) -> None:
        self.d.line([(x, yb), (x, yb - h)], fill=(200, 200, 200), width=max(2, int(h / 90)))
        self.vn_flag(x, yb - h, h * 0.42, h * 0.28)

    def window(self, x0, y0, x1, y1, frame=(236, 236, 230), bars: bool = True, glass=None) -> None:
        d = self.d
        glass = glass or jitter(self.rng, (70, 90, 105), 0.12)
        d.rectangle([x0, y0, x1, y1], fill=frame)
        m = max(2, (x1 - x0) * 0.07)
        self.tex_rect(x0 + m, y0 + m, x1 - m, y1 - m, glass, amp=0.25, cell=(x1 - x0) / 2, grain=3,
                      vgrad=(1.25, 0.8))
        d.line([((x0 + x1) / 2, y0 + m), ((x0 + x1) / 2, y1 - m)], fill=frame, width=max(1, int(m * 0.6)))
        if bars:
            n = 5
            for k in range(1, n):
                bx = x0 + m + (x1 - x0 - 2 * m) * k / n
                d.line([(bx, y0 + m), (bx, y1 - m)], fill=(60, 60, 62), width=max(1, int(m * 0.25)))

    def plastic_chair(self, x, y, w, color) -> None:
        d = self.d
        d.rounded_rectangle([x - w / 2, y, x + w / 2, y + w * 0.9], radius=w * 0.12, fill=color)
        for k in range(3):
            yy = y + w * (0.2 + 0.22 * k)
            d.line([(x - w * 0.35, yy), (x + w * 0.35, yy)], fill=shade(color, 0.75), width=max(1, int(w / 25)))

    def seated_back(self, x, y, w, shirt=None, chair=None) -> None:
        """A person seen from behind, seated: only shoulders and head show. y = chair-top line."""
        rng, d = self.rng, self.d
        shirt = shirt or SHIRTS[int(rng.integers(len(SHIRTS)))]
        hair = HAIR[int(rng.integers(len(HAIR)))] if rng.random() < 0.3 else HAIR[int(rng.integers(3))]
        skin = SKIN[int(rng.integers(len(SKIN)))]
        sw = w
        d.rounded_rectangle([x - sw / 2, y - sw * 0.55, x + sw / 2, y + sw * 0.6], radius=sw * 0.25, fill=shirt)
        d.polygon([(x - self.sun * sw * 0.05, y - sw * 0.55), (x - self.sun * sw / 2, y - sw * 0.4),
                   (x - self.sun * sw / 2, y + sw * 0.6), (x - self.sun * sw * 0.2, y + sw * 0.6)],
                  fill=shade(shirt, 0.84))
        d.rectangle([x - sw * 0.1, y - sw * 0.72, x + sw * 0.1, y - sw * 0.5], fill=shade(skin, 0.85))
        hw, hh = sw * 0.36, sw * 0.46
        hy = y - sw * 0.62
        d.ellipse([x - hw / 2, hy - hh, x + hw / 2, hy], fill=hair)
        d.ellipse([x - hw / 2 - hw * 0.08, hy - hh * 0.55, x - hw / 2 + hw * 0.1, hy - hh * 0.25], fill=skin)
        d.ellipse([x + hw / 2 - hw * 0.1, hy - hh * 0.55, x + hw / 2 + hw * 0.08, hy - hh * 0.25], fill=skin)
        d.arc([x - hw * 0.35, hy - hh * 0.95, x + hw * 0.1, hy - hh * 0.45], 200, 300,
              fill=shade(hair, 1.6) if hair[0] < 60 else shade(hair, 1.1), width=max(1, int(hw / 18)))
        if chair is not None:
            self.plastic_chair(x, y + sw * 0.3, sw * 0.95, chair)

    def seated_front(self, x, y, w, shirt=None) -> None:
        """Someone seated behind a table, facing the camera (y = table top):
        drawn as a figure whose hips are just below the table top."""
        h = w * 3.2
        self.person(x, y + h * 0.5, h, facing="front", shirt=shirt, cast_shadow=False, pose="clasp",
                    clip_frac=0.3)


# --------------------------------------------------------------------------
# scenes
# --------------------------------------------------------------------------

def scene_field(c: Canvas, banner) -> None:
    rng, d, W, H = c.rng, c.d, c.w, c.h
    hz = int(H * rng.uniform(0.36, 0.46))
    c.sky(hz)
    c.treeline(hz, H * rng.uniform(0.05, 0.08), palms=int(rng.integers(6, 12)), haze=0.4)
    # field with perspective: far bluish, near yellow-green
    ripe = rng.random() < 0.35
    far = (98, 140, 70) if not ripe else (150, 150, 70)
    near = (110, 170, 60) if not ripe else (206, 180, 70)
    f = patch(rng, W, H - hz, (255, 255, 255), amp=0.12, cell=W / 12, cell_y=(H - hz) / 20, grain=0)
    arr = np.asarray(f).astype(np.float32) / 255.0
    t = np.linspace(0, 1, H - hz, dtype=np.float32)[:, None, None] ** 0.6
    base = np.array(far, np.float32) * (1 - t) + np.array(near, np.float32) * t
    arr = arr * base
    c.img.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), (0, hz))
    c.d = d = ImageDraw.Draw(c.img)
    # dikes (bờ ruộng) as horizontal bands at increasing spacing
    y = hz + (H - hz) * 0.05
    k = 0
    while y < H:
        th = max(2, (y - hz) * 0.035)
        bank = jitter(rng, (150, 160, 100) if not ripe else (170, 160, 100), 0.06)
        c.tex_rect(0, y, W, y + th, bank, amp=0.15, cell=max(4, th * 2), grain=4)
        d = c.d
        d.rectangle([0, y + th * 0.7, W, y + th], fill=shade(bank, 0.8))
        k += 1
        y += (y - hz) * rng.uniform(0.35, 0.55) + H * 0.01
    # rice plants: short strokes, denser & longer in front
    greens = [(70, 130, 45), (95, 155, 55), (120, 175, 70), (60, 110, 40), (140, 180, 80)]
    if ripe:
        greens = [(190, 165, 60), (170, 150, 55), (215, 190, 90), (150, 140, 60), (120, 130, 50)]
    nstroke = int(W * H / 900)
    ys = hz + (H - hz) * rng.random(nstroke) ** 0.55
    xs = rng.uniform(0, W, nstroke)
    order = np.argsort(ys)
    for i in order:
        yy, xx = float(ys[i]), float(xs[i])
        depth = (yy - hz) / (H - hz)
        L = 3 + depth * H * 0.045
        lean = rng.normal(0, 0.25)
        g = greens[int(rng.integers(len(greens)))]
        g = mix(g, (160, 180, 190), 0.3 * (1 - depth))
        d.line([(xx, yy), (xx + lean * L * 0.5, yy - L)], fill=g, width=max(1, int(1 + depth * 3)))
    # canal on one side
    if rng.random() < 0.6:
        side = 1 if rng.random() < 0.5 else -1
        cy0 = hz + (H - hz) * 0.02
        pts = [(W / 2 + side * W * 0.18, cy0), (W / 2 + side * W * 0.22, cy0),
               (W / 2 + side * W * 1.1, H), (W / 2 + side * W * 0.62, H)]
        c.tex_poly(pts, (130, 165, 185), amp=0.18, cell=W / 10, cell_y=H / 80, grain=3, vgrad=(1.1, 0.85))
    c.apply_shadows(0.2)
    if banner and rng.random() < 0.6:  # a sign on two poles at the far edge of the field
        bw, bh = W * 0.42, H * 0.055
        bx = W * rng.uniform(0.05, 0.53)
        by = hz + (H - hz) * 0.05
        d = c.d
        for px in (bx + bw * 0.03, bx + bw * 0.97):
            d.line([(px, by), (px, by + bh * 2.2)], fill=(80, 70, 60), width=max(2, int(W / 700)))
        c.banner(bx, by, bx + bw, by + bh, banner[-1:], rope=False)
    # farmers and visitors, standing in the rice
    n = int(rng.integers(3, 9))
    placed = c.crowd(n, H * 0.98, hz + (H - hz) * 0.3, lambda yf: (yf - hz) * 0.9, W * 0.08, W * 0.92,
                     hat_p=0.6, shirts=[(238, 238, 232), (90, 120, 170), (150, 186, 222), (120, 80, 70),
                                        (200, 200, 190)], cast_shadow=False, clip_frac=0.32)
    d = c.d
    for px, pyf, ph in placed:  # the legs disappear in the rice: blend the cut with plants
        depth = (pyf - hz) / (H - hz)
        cut = pyf - 0.32 * ph
        for _ in range(int(ph * 0.5)):
            xx = px + rng.uniform(-0.14, 0.14) * ph
            yy = cut + rng.uniform(0.0, 0.04) * ph
            L = ph * rng.uniform(0.02, 0.06)
            g = mix(greens[int(rng.integers(len(greens)))], (160, 180, 190), 0.3 * (1 - depth))
            d.line([(xx, yy), (xx + rng.normal(0, 0.25) * L * 0.5, yy - L)], fill=g,
                   width=max(1, int(1 + depth * 3)))


def scene_road(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    hz = int(H * rng.uniform(0.38, 0.46))
    c.sky(hz)
    c.treeline(hz, H * 0.06, palms=int(rng.integers(4, 9)), haze=0.35)
    # ground
    c.tex_rect(0, hz, W, H, (104, 150, 66), amp=0.16, cell=W / 10, cell_y=H / 30, grain=5, vgrad=(0.9, 1.1))
    vx = W * rng.uniform(0.4, 0.6)
    # canal on the right
    c.tex_poly([(vx + W * 0.02, hz + 2), (vx + W * 0.06, hz + 2), (W * 1.6, H), (W * 0.95, H)],
               (120, 155, 170), amp=0.2, cell=W / 8, cell_y=H / 60, grain=3, vgrad=(1.15, 0.8))
    # concrete road
    rl, rr = W * rng.uniform(0.05, 0.2), W * rng.uniform(0.62, 0.8)
    road = [(vx - W * 0.008, hz + 2), (vx + W * 0.008, hz + 2), (rr, H), (rl, H)]
    c.tex_poly(road, (196, 194, 186), amp=0.08, cell=W / 20, grain=6)
    d = c.d
    # expansion joints (horizontal) and edges
    y = hz + 6.0
    while y < H:
        t = (y - hz) / (H - hz)
        xl = vx - W * 0.008 + (rl - vx + W * 0.008) * t
        xr = vx + W * 0.008 + (rr - vx - W * 0.008) * t
        d.line([(xl, y), (xr, y)], fill=(150, 148, 140), width=max(1, int(1 + t * 4)))
        y += max(4.0, (y - hz) * 0.22)
    d.line([road[0], road[3]], fill=(130, 128, 120), width=max(2, int(W / 800)))
    d.line([road[1], road[2]], fill=(130, 128, 120), width=max(2, int(W / 800)))
    # houses on the left along the road
    for k in range(int(rng.integers(2, 5))):
        t = rng.uniform(0.05, 0.3)
        yb = hz + (H - hz) * t
        hh = (yb - hz) * 1.4 + H * 0.03
        xr = vx - W * 0.02 - (vx - rl) * t * 1.4 - W * 0.02
        xl = xr - hh * rng.uniform(1.4, 2.2)
        wall = jitter(rng, [(230, 220, 180), (200, 220, 230), (230, 200, 190), (240, 240, 230)][k % 4], 0.04)
        c.tex_rect(xl, yb - hh, xr, yb, wall, amp=0.06, cell=hh, grain=2)
        d.polygon([(xl - hh * 0.08, yb - hh), (xr + hh * 0.08, yb - hh), (xr - hh * 0.1, yb - hh * 1.4),
                   (xl + hh * 0.1, yb - hh * 1.4)], fill=jitter(rng, (160, 80, 60), 0.1))
        c.window(xl + hh * 0.2, yb - hh * 0.75, xl + hh * 0.55, yb - hh * 0.35)
        d.rectangle([xr - hh * 0.55, yb - hh * 0.8, xr - hh * 0.2, yb], fill=(110, 80, 60))
    for k in range(int(rng.integers(3, 6))):
        t = rng.uniform(0.04, 0.3)
        yb = hz + (H - hz) * t
        x = vx - (vx - rl) * t * 1.15 - W * 0.03
        if rng.random() < 0.6:
            c.palm(x, yb, (yb - hz) * 3.2 + H * 0.06, rng.uniform(-0.1, 0.05))
        else:
            c.bush_tree(x, yb, (yb - hz) * 2.6 + H * 0.06, (yb - hz) * 1.8 + H * 0.05)
    if banner:
        bw = W * 0.5
        bx = max(W * 0.03, min(vx - bw / 2, W * 0.47))
        by = hz - H * 0.07
        d.line([(bx, by), (bx, hz + (H - hz) * 0.1)], fill=(90, 80, 70), width=max(2, int(W / 600)))
        d.line([(bx + bw, by), (bx + bw, hz + (H - hz) * 0.1)], fill=(90, 80, 70), width=max(2, int(W / 600)))
        c.banner(bx, by, bx + bw, by + H * 0.07, banner[-1:], rope=False)
    # volunteers working along the road
    green = [(40, 140, 70), (46, 150, 80)]
    blue = [(40, 90, 170), (50, 110, 190)]
    shirts = green if rng.random() < 0.5 else blue
    shirts = shirts + [(238, 238, 232)]
    n = int(rng.integers(6, 14))

    ppl = []
    for _ in range(n):  # on the road and the left verge, never in the canal
        yf = rng.uniform(hz + (H - hz) * 0.25, H * 0.97)
        t = (yf - hz) / (H - hz)
        canal = vx + W * 0.02 + (W * 0.95 - vx - W * 0.02) * t
        ppl.append((yf, rng.uniform(W * 0.03, canal - (yf - hz) * 0.2)))
    for yf, x in sorted(ppl):
        c.person(x, yf, (yf - hz) * 0.75, hat=rng.random() < 0.3,
                 shirt=jitter(rng, shirts[int(rng.integers(len(shirts)))], 0.05))
    c.apply_shadows(0.4)


def _house_front(c: Canvas, x0, x1, yb, hwall, roof_h) -> None:
    rng, d = c.rng, c.d
    wall = jitter(rng, [(198, 222, 236), (238, 226, 170), (200, 230, 200), (240, 236, 222), (236, 214, 200)]
                  [int(rng.integers(5))], 0.03)
    yt = yb - hwall
    c.tex_rect(x0, yt, x1, yb, wall, amp=0.05, cell=(x1 - x0) / 4, grain=2.5, vgrad=(0.92, 1.02))
    # plinth
    c.tex_rect(x0 - (x1 - x0) * 0.02, yb - hwall * 0.08, x1 + (x1 - x0) * 0.02, yb, (170, 168, 160), amp=0.08,
               cell=40, grain=4)
    # roof
    ov = (x1 - x0) * 0.06
    metal = rng.random() < 0.55
    if metal:
        rc = jitter(rng, [(70, 110, 150), (150, 60, 50), (90, 120, 120)][int(rng.integers(3))], 0.05)
        pts = [(x0 - ov, yt + roof_h * 0.08), (x1 + ov, yt + roof_h * 0.08), (x1 - ov * 0.5, yt - roof_h),
               (x0 + ov * 0.5, yt - roof_h)]
        c.tex_poly(pts, rc, amp=0.05, cell=100, grain=2, vgrad=(0.8, 1.1))
        n = int((x1 - x0) / max(6, (x1 - x0) / 70))
        for k in range(n + 1):
            t = k / n
            xa = x0 + ov * 0.5 + (x1 - x0 - ov) * t
            xb = x0 - ov + (x1 - x0 + 2 * ov) * t
            d.line([(xa, yt - roof_h), (xb, yt + roof_h * 0.08)], fill=shade(rc, 0.82),
                   width=max(1, int((x1 - x0) / 500)))
    else:
        rc = jitter(rng, (176, 84, 56), 0.06)
        pts = [(x0 - ov, yt + roof_h * 0.08), (x1 + ov, yt + roof_h * 0.08), (x1 - ov * 0.5, yt - roof_h),
               (x0 + ov * 0.5, yt - roof_h)]
        c.tex_poly(pts, rc, amp=0.08, cell=60, grain=3, vgrad=(0.85, 1.1))
        rows = 9
        for k in range(1, rows):
            t = k / rows
            yy = yt - roof_h + (roof_h * 1.08) * t
            xl = (x0 + ov * 0.5) + ((x0 - ov) - (x0 + ov * 0.5)) * t
            xr = (x1 - ov * 0.5) + ((x1 + ov) - (x1 - ov * 0.5)) * t
            d.line([(xl, yy), (xr, yy)], fill=shade(rc, 0.7), width=max(1, int(roof_h / 90)))
    d.line([(x0 - ov, yt + roof_h * 0.08), (x1 + ov, yt + roof_h * 0.08)], fill=shade(wall, 0.6),
           width=max(2, int(roof_h / 40)))
    # soffit shadow
    d.rectangle([x0, yt + roof_h * 0.08, x1, yt + roof_h * 0.15], fill=shade(wall, 0.72))
    # door and windows
    cw = (x1 - x0)
    dx0, dx1 = x0 + cw * 0.41, x0 + cw * 0.59
    door = jitter(rng, [(60, 100, 150), (120, 80, 55), (70, 120, 110)][int(rng.integers(3))], 0.05)
    c.tex_rect(dx0, yb - hwall * 0.72, dx1, yb - hwall * 0.08, door, amp=0.05, cell=40, grain=3)
    d.line([((dx0 + dx1) / 2, yb - hwall * 0.72), ((dx0 + dx1) / 2, yb - hwall * 0.08)], fill=shade(door, 0.6),
           width=max(1, int(cw / 400)))
    for k in range(4):
        yy = yb - hwall * (0.66 - 0.14 * k)
        d.rectangle([dx0 + cw * 0.01, yy, dx1 - cw * 0.01, yy + hwall * 0.09], outline=shade(door, 0.7),
                    width=max(1, int(cw / 600)))
    for wx in (0.12, 0.7):
        c.window(x0 + cw * wx, yb - hwall * 0.62, x0 + cw * (wx + 0.18), yb - hwall * 0.25)
    return wall


def scene_house(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    hz = int(H * rng.uniform(0.5, 0.56))
    c.sky(hz)
    c.treeline(hz, H * 0.12, palms=int(rng.integers(3, 7)), haze=0.25)
    # yard
    c.tex_rect(0, hz, W, H, jitter(rng, (176, 160, 130), 0.06), amp=0.14, cell=W / 12, grain=6,
               vgrad=(0.92, 1.08))
    d = c.d
    # background trees
    for k in range(int(rng.integers(2, 4))):
        x = W * rng.uniform(0.0, 1.0)
        c.bush_tree(x, hz + H * 0.01, H * rng.uniform(0.28, 0.4), W * rng.uniform(0.12, 0.2), haze=0.12)
    x0 = W * rng.uniform(0.2, 0.3)
    x1 = x0 + W * rng.uniform(0.45, 0.55)
    yb = hz + H * 0.06
    hwall = H * 0.27
    _house_front(c, x0, x1, yb, hwall, H * 0.12)
    d = c.d
    # plaque of the programme that built the house
    text = " ".join(banner or ())
    plaque = "MÁI ẤM CÔNG ĐOÀN" if "MÁI ẤM" in text else ("NHÀ ĐẠI ĐOÀN KẾT" if "ĐẠI ĐOÀN KẾT" in text else None)
    if plaque:
        pw, ph = (x1 - x0) * 0.34, hwall * 0.1
        px = (x0 + x1) / 2 - pw / 2
        py = yb - hwall * 0.92
        d.rectangle([px, py, px + pw, py + ph], fill=(190, 28, 34))
        draw_text_center(d, px + pw / 2, py + ph / 2, plaque, pw * 0.9, ph * 0.65, (255, 230, 60))
    c.sd.rectangle([x0 + W * 0.01 * -c.sun, yb, x1, yb + H * 0.03], fill=120)
    c.apply_shadows(0.3)
    for x in (x0 - W * 0.08, x1 + W * 0.07):
        if rng.random() < 0.7:
            c.banana(x, yb + H * 0.02, H * rng.uniform(0.22, 0.3))
    # people in front, two holding the symbolic board
    n = int(rng.integers(6, 10))
    yf = H * rng.uniform(0.93, 0.97)
    ph_ = H * 0.46
    mid = (n - 1) / 2
    c.row_of_people(W * 0.1, W * 0.9, yf, ph_, n, facing="front",
                    shirts=[(238, 238, 232), (240, 240, 236), (150, 186, 222), (90, 90, 110), (120, 60, 110)],
                    hat_p=0.0)
    if banner:
        bw, bh = W * 0.3, H * 0.075
        bx = W / 2 - bw / 2 + W * rng.uniform(-0.08, 0.08)
        by = yf - ph_ * 0.55
        c.banner(bx, by, bx + bw, by + bh, banner[-1:], rope=False)
        for s in (0, 1):
            hx = bx + bw * (0.025 if s == 0 else 0.975)
            c.d.ellipse([hx - W * 0.007, by + bh * 0.35, hx + W * 0.007, by + bh * 0.75], fill=SKIN[1])
    c.apply_shadows(0.35)


def _facade(c: Canvas, y_top, y_bot, color=None, sign: str | None = None) -> None:
    rng, W = c.rng, c.w
    color = color or jitter(rng, [(238, 214, 130), (236, 224, 190), (226, 214, 150)][int(rng.integers(3))], 0.03)
    c.tex_rect(0, y_top, W, y_bot, color, amp=0.06, cell=W / 8, grain=2.5, vgrad=(0.95, 1.0))
    d = c.d
    hgt = y_bot - y_top
    # parapet + cornice
    d.rectangle([0, y_top, W, y_top + hgt * 0.04], fill=shade(color, 1.05))
    d.rectangle([0, y_top + hgt * 0.04, W, y_top + hgt * 0.06], fill=shade(color, 0.7))
    # columns and windows
    ncol = int(rng.integers(5, 8))
    for k in range(ncol + 1):
        x = W * k / ncol
        d.rectangle([x - W * 0.012, y_top + hgt * 0.06, x + W * 0.012, y_bot], fill=shade(color, 1.06))
        d.line([(x + W * 0.012 * c.sun * -1, y_top + hgt * 0.06), (x + W * 0.012 * c.sun * -1, y_bot)],
               fill=shade(color, 0.78), width=max(2, int(W / 700)))
    for k in range(ncol):
        x = W * (k + 0.5) / ncol
        ww = W / ncol * 0.46
        for row in (0.18, 0.56):
            c.window(x - ww / 2, y_top + hgt * row, x + ww / 2, y_top + hgt * (row + 0.28), bars=False)
    d.rectangle([0, y_top + hgt * 0.5, W, y_top + hgt * 0.52], fill=shade(color, 0.8))
    if sign:
        sw = W * 0.5
        c.tex_rect(W / 2 - sw / 2, y_top - hgt * 0.1, W / 2 + sw / 2, y_top + hgt * 0.02, (40, 70, 150), amp=0.04,
                   cell=200, grain=2)
        draw_text_center(d, W / 2, y_top - hgt * 0.04, sign, sw * 0.92, hgt * 0.08, (250, 250, 245))


def scene_gift(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    sky_h = int(H * rng.uniform(0.1, 0.18))
    c.sky(sky_h + 4, cloudy=0.3)
    c.treeline(sky_h + 4, H * 0.05, palms=3, haze=0.2)
    fy0, fy1 = sky_h, int(H * 0.62)
    _facade(c, fy0, fy1, sign="NHÀ VĂN HÓA ẤP" if rng.random() < 0.5 else None)
    # ground (yard tiles)
    c.tex_rect(0, fy1, W, H, jitter(rng, (196, 186, 170), 0.04), amp=0.1, cell=W / 14, grain=5)
    d = c.d
    for k in range(1, 12):
        y = fy1 + (H - fy1) * (k / 12) ** 1.6
        d.line([(0, y), (W, y)], fill=(170, 160, 146), width=max(1, int(1 + k / 4)))
    # banner on the facade
    if banner:
        bw, bh = W * 0.78, (fy1 - fy0) * 0.2
        c.banner(W / 2 - bw / 2, fy0 + (fy1 - fy0) * 0.1, W / 2 + bw / 2, fy0 + (fy1 - fy0) * 0.1 + bh, banner,
                 rope=False)
    # tent valance at the very top
    if rng.random() < 0.6:
        vc = [(240, 240, 240), (40, 90, 170)] if rng.random() < 0.5 else [(240, 240, 240), (200, 40, 40)]
        n = 16
        for k in range(n):
            x0, x1 = W * k / n, W * (k + 1) / n
            d.rectangle([x0, 0, x1, H * 0.05], fill=vc[k % 2])
            d.chord([x0, H * 0.02, x1, H * 0.08], 0, 180, fill=vc[k % 2])
    # table with gifts
    ty = fy1 + (H - fy1) * 0.05
    tx0, tx1 = W * rng.uniform(0.02, 0.1), W * rng.uniform(0.25, 0.35)
    if rng.random() < 0.5:
        tx0, tx1 = W - tx1, W - tx0
    c.tex_rect(tx0, ty, tx1, ty + H * 0.12, (232, 236, 240), amp=0.04, cell=80, grain=2)
    for k in range(int((tx1 - tx0) / (W * 0.04))):
        gx = tx0 + W * 0.01 + k * W * 0.04
        gh = H * rng.uniform(0.05, 0.08)
        col = (200, 30, 36) if rng.random() < 0.7 else (236, 200, 60)
        d.rectangle([gx, ty - gh, gx + W * 0.033, ty], fill=col)
        d.rectangle([gx, ty - gh, gx + W * 0.033 * 0.25, ty], fill=shade(col, 1.15))
        d.rectangle([gx + W * 0.0145, ty - gh, gx + W * 0.0185, ty], fill=(245, 215, 80))
    c.apply_shadows(0.3)
    # two rows of people holding gifts
    nb = int(rng.integers(6, 10))
    nf = int(rng.integers(5, 9))
    hb = H * 0.44
    shirts = [(238, 238, 232), (240, 240, 236), (150, 186, 222)] + BABA
    c.row_of_people(W * 0.1, W * 0.9, H * 0.9, hb, nb, facing="front", shirts=shirts, hold_every=2, hat_p=0.1)
    c.row_of_people(W * 0.06, W * 0.94, H * 0.985, hb * 1.08, nf, facing="front", shirts=shirts, hold_every=1,
                    hat_p=0.15)
    c.apply_shadows(0.35)


def scene_meeting(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    d = c.d
    wall = jitter(rng, [(236, 230, 214), (232, 226, 206), (226, 232, 236)][int(rng.integers(3))], 0.02)
    bx0, bx1 = W * rng.uniform(0.1, 0.14), W * rng.uniform(0.86, 0.9)
    by0, by1 = H * 0.02, H * rng.uniform(0.5, 0.55)
    # ceiling, side walls, back wall
    c.tex_poly([(0, 0), (W, 0), (bx1, by0), (bx0, by0)], shade(wall, 0.95), amp=0.04, cell=200, grain=2)
    c.tex_poly([(0, 0), (bx0, by0), (bx0, by1), (0, H)], shade(wall, 0.88), amp=0.05, cell=200, grain=2,
               hgrad=(0.9, 1.0))
    c.tex_poly([(W, 0), (bx1, by0), (bx1, by1), (W, H)], shade(wall, 0.82), amp=0.05, cell=200, grain=2,
               hgrad=(1.0, 0.9))
    c.tex_rect(bx0, by0, bx1, by1, wall, amp=0.04, cell=W / 6, grain=2)
    # side windows (bright)
    for side in (0, 1):
        for k in range(2):
            t0, t1 = 0.25 + 0.35 * k, 0.45 + 0.35 * k
            if side == 0:
                xa, xb = bx0 * (1 - t0), bx0 * (1 - t1)
            else:
                xa, xb = bx1 + (W - bx1) * t0, bx1 + (W - bx1) * t1
            ya0 = by0 + (0 - by0) * t0 + H * 0.12 * (1 - t0)
            ya1 = by1 + (H - by1) * t0 - H * 0.25 * (1 - t0) - H * 0.12 * t0
            yb0 = by0 + (0 - by0) * t1 + H * 0.12 * (1 - t1)
            yb1 = by1 + (H - by1) * t1 - H * 0.25 * (1 - t1) - H * 0.12 * t1
            c.tex_poly([(xa, ya0), (xb, yb0), (xb, yb1), (xa, ya1)], (226, 238, 246), amp=0.08, cell=80, grain=2)
            c.d.line([((xa + xb) / 2, (ya0 + yb0) / 2), ((xa + xb) / 2, (ya1 + yb1) / 2)], fill=(150, 140, 120),
                     width=max(2, int(W / 700)))
    # ceiling lights
    for k in range(5):
        x = bx0 + (bx1 - bx0) * (k + 0.5) / 5
        d.rectangle([x - W * 0.03, H * 0.005, x + W * 0.03, H * 0.014], fill=(255, 255, 250))
    # stage
    st_top, st_front = by1, by1 + H * 0.05
    c.tex_rect(bx0, st_top - H * 0.004, bx1, st_top + H * 0.02, (168, 120, 80), amp=0.06, cell=60, grain=3)
    c.tex_rect(bx0 - W * 0.02, st_top + H * 0.02, bx1 + W * 0.02, st_front, (120, 76, 50), amp=0.08, cell=60,
               grain=3)
    # red backdrop with the event's title
    rx0, rx1 = bx0 + (bx1 - bx0) * 0.14, bx1 - (bx1 - bx0) * 0.04
    ry0, ry1 = by0 + H * 0.05, by1 - H * 0.14
    lines = list(banner or DEFAULT_BANNERS["meeting"])
    c.banner(rx0, ry0, rx1, ry1, lines, rope=False)
    # national flag panel and a plant on the left of the backdrop
    fw = (rx0 - bx0) * 0.7
    c.vn_flag(bx0 + (rx0 - bx0) * 0.15, ry0, fw, fw * 0.66)
    # head table with people
    tx0, tx1 = rx0 + (rx1 - rx0) * 0.12, rx1 - (rx1 - rx0) * 0.06
    tt = by1 - H * 0.075
    n_front = int(rng.integers(4, 7))
    for k in range(n_front):
        x = tx0 + (tx1 - tx0) * (k + 0.5) / n_front
        c.seated_front(x, tt, W * 0.042, shirt=jitter(rng, SHIRTS[int(rng.integers(3))], 0.03))
    tc = jitter(rng, [(40, 80, 160), (230, 232, 236), (180, 30, 40)][int(rng.integers(3))], 0.03)
    c.tex_rect(tx0, tt, tx1, by1 + H * 0.004, tc, amp=0.05, cell=80, grain=2, vgrad=(1.05, 0.9))
    d = c.d
    for k in range(n_front):
        x = tx0 + (tx1 - tx0) * (k + 0.5) / n_front
        d.rectangle([x - W * 0.015, tt - H * 0.012, x + W * 0.015, tt], fill=(250, 250, 248))
        d.ellipse([x - W * 0.02, tt - H * 0.01, x - W * 0.012, tt], fill=(40, 120, 60))
    # podium with flowers and a speaker
    px = bx0 + (rx0 - bx0) * 0.55 + W * 0.02
    c.person(px, by1 + H * 0.005, H * 0.2, shirt=(238, 238, 232), cast_shadow=False)
    c.tex_poly([(px - W * 0.04, by1 - H * 0.1), (px + W * 0.04, by1 - H * 0.1), (px + W * 0.035, by1 + H * 0.01),
                (px - W * 0.035, by1 + H * 0.01)], (130, 84, 52), amp=0.08, cell=40, grain=3)
    d.ellipse([px - W * 0.012, by1 - H * 0.075, px + W * 0.012, by1 - H * 0.045], fill=(236, 196, 60))
    for k in range(14):
        fx = px + rng.uniform(-W * 0.035, W * 0.035)
        fy = by1 - H * 0.1 - rng.uniform(0, H * 0.03)
        r = W * 0.007
        d.ellipse([fx - r, fy - r, fx + r, fy + r],
                  fill=[(230, 60, 80), (250, 200, 60), (250, 250, 250), (60, 140, 60)][k % 4])
    # floor
    c.tex_poly([(bx0 - W * 0.02, st_front), (bx1 + W * 0.02, st_front), (W, H), (0, H)], (196, 180, 160),
               amp=0.08, cell=W / 10, grain=4)
    d = c.d
    for k in range(1, 8):
        t = (k / 8) ** 1.5
        y = st_front + (H - st_front) * t
        d.line([(bx0 * (1 - t), y), (bx1 + (W - bx1) * t, y)], fill=(170, 154, 134), width=max(1, int(1 + t * 3)))
    # audience: rows of desks (white cloth) and people seen from behind
    rows = int(rng.integers(3, 5))
    chair = jitter(rng, [(30, 80, 170), (200, 40, 40), (230, 230, 230)][int(rng.integers(3))], 0.04)
    for r in range(rows):
        t = (r + 1) / rows
        y = st_front + (H - st_front) * (0.12 + 0.78 * t ** 1.4)
        pw = W * (0.035 + 0.06 * t ** 1.4)
        xl = bx0 * (1 - t) * 0.6 + W * 0.02
        xr = W - ((W - bx1) * (1 - t) * 0.6 + W * 0.02)
        n = max(3, int((xr - xl) / (pw * 1.25)))
        c.tex_rect(xl, y - pw * 0.55, xr, y - pw * 0.2, (236, 236, 240), amp=0.03, cell=100, grain=2)
        for k in range(n):
            x = xl + (xr - xl) * (k + 0.5) / n + rng.uniform(-0.1, 0.1) * pw
            if rng.random() < 0.88:
                c.seated_back(x, y, pw, shirt=jitter(rng, MEETING_SHIRTS[int(rng.integers(len(MEETING_SHIRTS)))],
                                                     0.05), chair=chair)


def scene_pagoda(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    hz = int(H * rng.uniform(0.6, 0.66))
    c.sky(hz, cloudy=rng.uniform(0.2, 0.45))
    c.treeline(hz, H * 0.1, palms=int(rng.integers(3, 6)), haze=0.2)
    d = c.d
    cx = W * rng.uniform(0.42, 0.58)
    bw = W * rng.uniform(0.5, 0.62)
    base = hz - H * 0.01
    # platform
    c.tex_rect(cx - bw * 0.56, base - H * 0.05, cx + bw * 0.56, base + H * 0.01, (236, 232, 222), amp=0.05, cell=80,
               grain=3)
    for k in range(4):
        y = base - H * 0.05 + k * H * 0.015
        d.line([(cx - bw * 0.56, y), (cx + bw * 0.56, y)], fill=(190, 186, 176), width=max(1, int(H / 900)))
    # walls with columns
    wy0, wy1 = base - H * 0.2, base - H * 0.05
    c.tex_rect(cx - bw / 2, wy0, cx + bw / 2, wy1, (242, 226, 170), amp=0.05, cell=100, grain=2)
    ncol = 8
    for k in range(ncol + 1):
        x = cx - bw / 2 + bw * k / ncol
        d.rectangle([x - W * 0.007, wy0, x + W * 0.007, wy1], fill=(250, 246, 236))
        d.rectangle([x - W * 0.009, wy0, x + W * 0.009, wy0 + H * 0.012], fill=(212, 170, 60))
        if k < ncol:
            xm = x + bw / ncol / 2
            d.rectangle([xm - W * 0.014, wy0 + H * 0.05, xm + W * 0.014, wy1 - H * 0.01], fill=(150, 80, 40))
            d.pieslice([xm - W * 0.014, wy0 + H * 0.03, xm + W * 0.014, wy0 + H * 0.07], 180, 360, fill=(150, 80, 40))
    # tiered roofs
    tiers = 3
    ry = wy0
    roof_c = jitter(rng, (206, 82, 40), 0.05)
    for t in range(tiers):
        w_low = bw * (1.08 - 0.22 * t)
        w_up = w_low * 0.8
        rh = H * (0.075 - 0.012 * t)
        pts = [(cx - w_low / 2, ry), (cx + w_low / 2, ry), (cx + w_up / 2, ry - rh), (cx - w_up / 2, ry - rh)]
        c.tex_poly(pts, roof_c, amp=0.06, cell=60, grain=3, vgrad=(0.85, 1.1))
        for k in range(1, 5):
            yy = ry - rh * k / 5
            ww = w_low + (w_up - w_low) * k / 5
            d.line([(cx - ww / 2, yy), (cx + ww / 2, yy)], fill=shade(roof_c, 0.75), width=max(1, int(H / 700)))
        d.line([(cx - w_low / 2, ry), (cx + w_low / 2, ry)], fill=(232, 186, 60), width=max(2, int(H / 300)))
        for s in (-1, 1):  # naga finials at the eaves
            ex = cx + s * w_low / 2
            d.line([(ex, ry), (ex + s * W * 0.015, ry - rh * 0.6), (ex + s * W * 0.008, ry - rh * 0.9)],
                   fill=(232, 186, 60), width=max(2, int(H / 250)))
        # central gable
        gw = w_up * 0.34
        gpts = [(cx - gw / 2, ry), (cx + gw / 2, ry), (cx, ry - rh * 1.9)]
        d.polygon(gpts, fill=shade(roof_c, 1.08))
        d.polygon([(cx - gw * 0.36, ry - rh * 0.05), (cx + gw * 0.36, ry - rh * 0.05), (cx, ry - rh * 1.6)],
                  fill=(226, 178, 56))
        d.line([gpts[0], gpts[2], gpts[1]], fill=(240, 200, 70), width=max(2, int(H / 260)))
        d.line([gpts[2], (cx, ry - rh * 2.2)], fill=(240, 200, 70), width=max(2, int(H / 300)))
        ry -= rh * 0.9
    # spire
    d.polygon([(cx - W * 0.012, ry), (cx + W * 0.012, ry), (cx, ry - H * 0.12)], fill=(228, 182, 58))
    # palm/trees at the sides
    for s in (-1, 1):
        x = cx + s * bw * rng.uniform(0.62, 0.8)
        if rng.random() < 0.5:
            c.palm(x, base + H * 0.02, H * rng.uniform(0.35, 0.5), rng.uniform(-0.1, 0.1))
        else:
            c.bush_tree(x, base + H * 0.02, H * rng.uniform(0.35, 0.45), W * rng.uniform(0.14, 0.2))
    # courtyard
    c.tex_rect(0, base + H * 0.01, W, H, (206, 196, 176), amp=0.1, cell=W / 12, grain=5, vgrad=(0.92, 1.06))
    d = c.d
    if banner:
        bwid = W * 0.56
        c.banner(cx - bwid / 2, wy0 + H * 0.035, cx + bwid / 2, wy0 + H * 0.1, banner[-1:], rope=False)
    # crowd: monks and lay people, many women in colourful clothes
    n = int(rng.integers(9, 16))
    shirts = [(238, 238, 232), (240, 240, 236)] + BABA + AODAI

    def scale(yf):
        return (yf - hz) * 0.95 + H * 0.05

    c.crowd(n, H * 0.98, base + H * 0.08, scale, W * 0.05, W * 0.95, robe_p=0.35, shirts=shirts)
    c.apply_shadows(0.35)


def scene_street(c: Canvas, banner) -> None:
    rng, W, H = c.rng, c.w, c.h
    sky_h = int(H * rng.uniform(0.12, 0.2))
    gy = int(H * rng.uniform(0.66, 0.72))  # facade bottom (sidewalk line)
    c.sky(gy)
    c.treeline(int(gy - (gy - sky_h) * 0.4), H * 0.1, palms=4, haze=0.3)
    d = c.d
    x = -rng.uniform(0, W * 0.1)
    palette = [(240, 220, 150), (236, 196, 196), (190, 214, 232), (244, 242, 232), (206, 226, 190), (240, 200, 150)]
    while x < W:
        bw = W * rng.uniform(0.13, 0.2)
        floors = int(rng.integers(2, 5))
        top = gy - (gy - sky_h) * (0.55 + 0.12 * floors) * rng.uniform(0.9, 1.0)
        col = jitter(rng, palette[int(rng.integers(len(palette)))], 0.03)
        c.tex_rect(x, top, x + bw, gy, col, amp=0.06, cell=bw / 2, grain=2.5)
        d = c.d
        fh = (gy - top) / (floors + 0.3)
        # ground floor: roller shutter / open shop
        sy = gy - fh * 0.9
        if rng.random() < 0.5:
            c.tex_rect(x + bw * 0.08, sy, x + bw * 0.92, gy, (180, 184, 186), amp=0.04, cell=40, grain=3)
            for k in range(int(fh / 8)):
                yy = sy + k * 8 * (H / 1333)
                if yy < gy:
                    d.line([(x + bw * 0.08, yy), (x + bw * 0.92, yy)], fill=(150, 154, 156), width=1)
        else:
            c.tex_rect(x + bw * 0.08, sy, x + bw * 0.92, gy, (70, 60, 55), amp=0.2, cell=40, grain=4,
                       vgrad=(0.7, 1.2))
        # signboard
        sc = jitter(rng, [(200, 40, 40), (40, 80, 160), (250, 250, 245), (230, 190, 40)][int(rng.integers(4))], 0.04)
        d.rectangle([x + bw * 0.05, sy - fh * 0.25, x + bw * 0.95, sy - fh * 0.05], fill=sc)
        # upper floors: windows + balcony railing
        for f in range(1, floors):
            fy = gy - fh * (f + 0.9)
            c.window(x + bw * 0.2, fy + fh * 0.1, x + bw * 0.8, fy + fh * 0.7, bars=False)
            d.rectangle([x + bw * 0.02, fy + fh * 0.7, x + bw * 0.98, fy + fh * 0.76], fill=shade(col, 0.75))
            for k in range(12):
                rx = x + bw * (0.05 + 0.9 * k / 11)
                d.line([(rx, fy + fh * 0.5), (rx, fy + fh * 0.7)], fill=(70, 70, 74), width=max(1, int(W / 1500)))
            d.line([(x + bw * 0.03, fy + fh * 0.5), (x + bw * 0.97, fy + fh * 0.5)], fill=(70, 70, 74),
                   width=max(2, int(W / 900)))
        d.rectangle([x, top, x + bw, top + (gy - top) * 0.025], fill=shade(col, 0.82))
        d.line([(x + bw, top), (x + bw, gy)], fill=shade(col, 0.6), width=max(2, int(W / 900)))
        if rng.random() < 0.75:
            c.flagpole(x + bw * 0.1, gy - fh * 1.0, fh * 0.9)
        x += bw
    # sidewalk and road
    c.tex_rect(0, gy, W, gy + (H - gy) * 0.3, (200, 190, 176), amp=0.08, cell=60, grain=5)
    d = c.d
    d.line([(0, gy + (H - gy) * 0.3), (W, gy + (H - gy) * 0.3)], fill=(140, 136, 130), width=max(2, int(H / 300)))
    c.tex_rect(0, gy + (H - gy) * 0.3 + 2, W, H, (110, 112, 116), amp=0.08, cell=W / 10, grain=7)
    d = c.d
    ly = gy + (H - gy) * 0.62
    for k in range(8):
        x0 = W * (k / 8 + 0.02)
        d.rectangle([x0, ly, x0 + W * 0.06, ly + H * 0.008], fill=(236, 236, 230))
    # street trees
    for k in range(int(rng.integers(2, 4))):
        xx = W * rng.uniform(0.05, 0.95)
        c.bush_tree(xx, gy + (H - gy) * 0.25, H * rng.uniform(0.45, 0.6), W * rng.uniform(0.14, 0.2))
    if banner:
        bw = W * 0.7
        c.banner(W / 2 - bw / 2, sky_h + H * 0.02, W / 2 + bw / 2, sky_h + H * 0.09, banner[-1:], rope=True)
    # people on the sidewalk
    n = int(rng.integers(4, 9))
    c.crowd(n, H * 0.99, gy + (H - gy) * 0.2, lambda yf: H * 0.22 + (yf - gy) * 0.9, W * 0.04, W * 0.96,
            hat_p=0.15)
    c.apply_shadows(0.35)


SCENE_FUNCS = {
    "meeting": scene_meeting,
    "house": scene_house,
    "gift": scene_gift,
    "field": scene_field,
    "road": scene_road,
    "pagoda": scene_pagoda,
    "street": scene_street,
}

DEFAULT_BANNERS = {
    "meeting": ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH SÓC TRĂNG", "HỘI NGHỊ TRIỂN KHAI NHIỆM VỤ NĂM 2025"),
    "house": ("BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT",),
    "gift": ("ỦY BAN MTTQ VIỆT NAM TỈNH SÓC TRĂNG", "TRAO QUÀ CHO HỘ NGHÈO"),
    "field": ("CÁNH ĐỒNG LÚA CHẤT LƯỢNG CAO",),
    "road": ("TOÀN DÂN ĐOÀN KẾT XÂY DỰNG NÔNG THÔN MỚI",),
    "pagoda": ("MỪNG TẾT CỔ TRUYỀN CHÔL CHNĂM THMÂY",),
    "street": ("CHUNG TAY XÂY DỰNG ĐÔ THỊ VĂN MINH",),
}


# --------------------------------------------------------------------------
# finishing: downsample, tone, grain, EXIF
# --------------------------------------------------------------------------

def _finish(img: Image.Image, size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    img = img.resize(size, Image.LANCZOS)
    w, h = size
    a = np.asarray(img).astype(np.float32) / 255.0
    # gentle S-curve and slight warm white balance
    lum0 = (0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2])[..., None]
    a = np.clip(lum0 + 0.88 * (a - lum0), 0, 1)  # photos are less saturated than paint
    a = a * a * (3 - 2 * a) * 0.25 + a * 0.75
    wb = np.array([1.0 + rng.uniform(0.0, 0.03), 1.0, 1.0 - rng.uniform(0.0, 0.04)], np.float32)
    a = a * wb
    # vignette
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    a *= (1.0 - 0.09 * r2)[:, :, None]
    # auto levels (stretch only, never compress), then a gamma that puts the
    # mean luminance near 0.5: bright, contrasty, not clipped
    lum = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    lo, hi = (float(v) for v in np.percentile(lum, [0.5, 99.5]))
    if hi - lo < 0.9:
        a = (a - lo) * (0.9 / max(hi - lo, 1e-3)) + 0.04
        a = np.clip(a, 0, 1)
        lum = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    m = float(np.clip(lum.mean(), 0.05, 0.95))
    if not 0.46 <= m <= 0.6:
        target = 0.5 if m < 0.46 else 0.58
        a = np.clip(a, 0, 1) ** (math.log(target) / math.log(m))
    a = a * 255.0
    # sensor grain: luminance + weak chroma noise
    a += rng.normal(0, 2.4, (h, w, 1)).astype(np.float32)
    a += rng.normal(0, 0.9, (h, w, 3)).astype(np.float32)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return out.filter(ImageFilter.UnsharpMask(radius=1.2, percent=45, threshold=2))


def _dms(deg: float):
    hundredths = int(round(abs(deg) * 3600 * 100))  # total seconds, 1/100 s
    d, rest = divmod(hundredths, 3600 * 100)
    m, sec = divmod(rest, 60 * 100)
    return (Fraction(d, 1), Fraction(m, 1), Fraction(sec, 100))


def build_exif(gps: tuple[float, float] | None = None, taken: str | None = None,
               orientation: int | None = None, artist: str | None = None,
               description: str | None = None) -> Image.Exif:
    from PIL import ExifTags
    ex = Image.Exif()
    ex[ExifTags.Base.Make] = "DemoCam"
    ex[ExifTags.Base.Model] = "MTTQ Demo Phone"
    ex[ExifTags.Base.Software] = "tools/demo_photos.py"
    if artist:
        ex[ExifTags.Base.Artist] = _ascii(artist)
    if description:
        ex[ExifTags.Base.ImageDescription] = _ascii(description)
    if orientation:
        ex[ExifTags.Base.Orientation] = int(orientation)
    if taken:
        dt = datetime.strptime(taken.strip()[:16], "%Y-%m-%d %H:%M")
        stamp = dt.strftime("%Y:%m:%d %H:%M:%S")
        ex[ExifTags.Base.DateTime] = stamp
        ifd = ex.get_ifd(ExifTags.IFD.Exif)
        ifd[ExifTags.Base.DateTimeOriginal] = stamp
        ifd[ExifTags.Base.DateTimeDigitized] = stamp
        ifd[ExifTags.Base.OffsetTimeOriginal] = "+07:00"
    if gps:
        lat, lon = gps
        g = ex.get_ifd(ExifTags.IFD.GPSInfo)
        g[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
        g[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        g[ExifTags.GPS.GPSLatitude] = _dms(lat)
        g[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        g[ExifTags.GPS.GPSLongitude] = _dms(lon)
        g[ExifTags.GPS.GPSAltitudeRef] = b"\x00"
        g[ExifTags.GPS.GPSAltitude] = Fraction(3, 1)
    return ex


def _ascii(text: str) -> str:
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in t if ord(ch) < 128)


# stored pixels = upright scene transformed by the inverse of the EXIF orientation
_INVERSE_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,    # display = rotate 90° clockwise, so store 90° counter-clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def render(seed, size: tuple[int, int] = (2000, 1500), scene: str | None = None,
           banner: Sequence[str] | None = None) -> Image.Image:
    """Render the upright scene as a PIL image (no EXIF)."""
    rng = np.random.default_rng(seed_int(seed))
    if scene is None:
        scene = SCENES[int(rng.integers(len(SCENES)))]
    if scene not in SCENE_FUNCS:
        raise ValueError(f"unknown scene {scene!r}; choose one of {', '.join(SCENES)}")
    w, h = int(size[0]), int(size[1])
    c = Canvas(w * SS, h * SS, rng)
    if banner is None:
        banner = DEFAULT_BANNERS[scene]
    SCENE_FUNCS[scene](c, tuple(unicodedata.normalize("NFC", b) for b in banner))
    return _finish(c.img, (w, h), rng)


def make_photo(path, seed, size: tuple[int, int] = (2000, 1500), scene: str | None = None, *,
               banner: Sequence[str] | None = None, gps: tuple[float, float] | None = None,
               taken: str | None = None, orientation: int | None = None, artist: str | None = None,
               quality: int = 85, exif: bool = True) -> dict:
    """Write a deterministic photo-like JPEG to ``path``.

    ``seed`` is an int or a string (e.g. ``"slug/anh-1.jpg"``); ``size`` is the
    upright (width, height); ``scene`` is one of :data:`SCENES` (None: chosen by
    the seed). With ``orientation`` (EXIF 1-8) the stored pixels are transformed
    so that a viewer applying the orientation shows the upright scene. ``gps``
    (lat, lon) and ``taken`` ("YYYY-MM-DD HH:MM") go into EXIF. Returns a dict
    describing what was written.
    """
    path = Path(path)
    rng = np.random.default_rng(seed_int(seed))
    if scene is None:
        scene = SCENES[int(rng.integers(len(SCENES)))]
    img = render(seed, size, scene, banner)
    if orientation and orientation in _INVERSE_ORIENTATION:
        img = img.transpose(_INVERSE_ORIENTATION[orientation])
    path.parent.mkdir(parents=True, exist_ok=True)
    kw = dict(quality=quality, optimize=True, progressive=False, subsampling="4:2:0")
    if exif:
        kw["exif"] = build_exif(gps, taken, orientation, artist).tobytes()
    img.save(path, "JPEG", **kw)
    return {"path": str(path), "scene": scene, "size": img.size, "orientation": orientation or 1,
            "bytes": path.stat().st_size}


# --------------------------------------------------------------------------
# the demo content: which photo gets which scene
# --------------------------------------------------------------------------

# Approximate positions (fake GPS for EXIF) of the units' seats.
UNIT_GPS = {
    "tp-soc-trang": (9.6030, 105.9800), "my-xuyen": (9.5560, 105.9880), "ke-sach": (9.7650, 105.9850),
    "vinh-chau": (9.3250, 105.9800), "thanh-tri": (9.4280, 105.7350), "chau-thanh": (9.6800, 105.9000),
    "nga-nam": (9.5650, 105.5950), "cu-lao-dung": (9.6200, 106.2000), "tran-de": (9.5000, 106.1500),
    "my-tu": (9.6300, 105.8200), "long-phu": (9.6100, 106.1200),
}
PROVINCE_GPS = (9.6025, 105.9739)
# Since 01/07/2025: the city of Cần Thơ (its Front's offices in Ninh Kiều); the
# commune-level units of the former Sóc Trăng province near their old district seat.
CITY_GPS = (10.0341, 105.7880)
UNIT_GPS.update({
    "phuong-ninh-kieu": (10.0341, 105.7880), "xa-phong-dien": (9.9990, 105.6730),
    "phuong-soc-trang": UNIT_GPS["tp-soc-trang"], "xa-ke-sach": UNIT_GPS["ke-sach"],
    "xa-vinh-hai": (9.3000, 106.1200), "phuong-vinh-chau": UNIT_GPS["vinh-chau"],
    "phuong-khanh-hoa": (9.2900, 105.9000), "xa-my-tu": UNIT_GPS["my-tu"],
    "xa-tran-de": UNIT_GPS["tran-de"], "xa-cu-lao-dung": UNIT_GPS["cu-lao-dung"],
    "xa-long-phu": UNIT_GPS["long-phu"],
})

# Caption keywords -> scene (first match wins; captions are lower-cased NFC).
KEYWORDS = [
    ("pagoda", ["chùa", "sư sãi", "chôl chnăm", "nhà sư", "vị sư", "lễ đắp núi cát", "sala"]),
    ("house", ["căn nhà", "ngôi nhà", "nhà đại đoàn kết", "mái ấm", "nhà tình thương", "nhà mới"]),
    ("gift", ["trao quà", "tặng quà", "phần quà", "suất quà", "học bổng", "trao vốn", "trao tặng", "khám bệnh"]),
    ("field", ["ruộng", "cánh đồng", "lúa", "thửa", "nông dân", "vườn"]),
    ("road", ["tuyến đường", "con đường", "đường giao thông", "đường bê tông", "công trình", "ra quân",
              "trồng cây", "thu gom rác", "kênh", "cây cầu"]),
    ("street", ["khóm", "phường", "tuyến phố", "đường phố", "chợ", "khu dân cư"]),
    ("meeting", ["hội nghị", "hội thảo", "tọa đàm", "đại biểu", "phát biểu", "quang cảnh", "hội trường",
                 "đối thoại", "giao lưu", "tập huấn", "buổi", "họp", "lớp"]),
]

# Explicit choices where the caption alone would be ambiguous: (slug, file) -> scene
SCENE_OVERRIDES: dict[tuple[str, str], str] = {
    ("vinh-chau-tet-chol-chnam-thmay-am-ap-nghia-tinh-dai-doan-ket", "anh-2.jpg"): "gift",
    ("vinh-chau-tet-chol-chnam-thmay-am-ap-nghia-tinh-dai-doan-ket", "anh-3.jpg"): "street",
    ("thanh-tri-doi-moi-phuong-thuc-hoat-dong-dua-mat-tran-den-gan-dan", "anh-1.jpg"): "house",
    ("my-tu-kien-toan-ban-cong-tac-mat-tran-o-khu-dan-cu", "anh-1.jpg"): "meeting",
    ("thanh-pho-soc-trang-chung-tay-xay-dung-do-thi-van-minh-tu-moi-khom", "anh-2.jpg"): "street",
    ("uy-ban-mttq-viet-nam-thanh-pho-can-tho-di-vao-hoat-dong", "anh-2.jpg"): "meeting",
    ("phuong-soc-trang-giam-sat-viec-giai-quyet-thu-tuc-hanh-chinh-sau-sap-xep", "anh-1.jpg"): "meeting",
    ("xa-ke-sach-van-dong-quy-vi-nguoi-ngheo-ho-tro-sua-nha", "anh-1.jpg"): "gift",
    ("xa-vinh-hai-ra-quan-thang-cao-diem-vi-nguoi-ngheo-2025", "anh-1.jpg"): "meeting",
    ("phong-trao-do-thi-van-minh-o-cac-phuong-cua-thanh-pho", "anh-1.jpg"): "street",
    ("xa-my-tu-tong-ket-thang-cao-diem-vi-nguoi-ngheo-2026", "anh-1.jpg"): "meeting",
}

_TRAN = "ỦY BAN MTTQ VIỆT NAM"
# Banner / backdrop text, by (slug, file) or by slug: the first line is the
# small one on a meeting backdrop; outdoor banners show the last line only.
# An empty tuple means "no banner" (and no plaque on a house).
BANNERS: dict = {
    "nguoi-co-uy-tin-o-my-xuyen-cau-noi-giua-dang-voi-dong-bao-khmer":
        (f"{_TRAN} HUYỆN MỸ XUYÊN", "GẶP MẶT NGƯỜI CÓ UY TÍN ĐẦU XUÂN ẤT TỴ 2025"),
    ("nguoi-co-uy-tin-o-my-xuyen-cau-noi-giua-dang-voi-dong-bao-khmer", "anh-2.jpg"): (),
    "my-xuyen-gap-mat-nguoi-co-uy-tin-dau-xuan-at-ty":
        (f"{_TRAN} HUYỆN MỸ XUYÊN", "GẶP MẶT NGƯỜI CÓ UY TÍN", "NHÂN DỊP ĐẦU XUÂN ẤT TỴ NĂM 2025"),
    "thanh-pho-soc-trang-ban-giao-5-can-nha-dai-doan-ket-cho-ho-ngheo": ("BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT",),
    "tap-huan-nghiep-vu-cong-tac-mat-tran-cho-can-bo-co-so-nam-2025":
        (f"{_TRAN} TỈNH SÓC TRĂNG", "LỚP TẬP HUẤN NGHIỆP VỤ CÔNG TÁC MẶT TRẬN NĂM 2025"),
    "nong-dan-soc-trang-chung-tay-voi-canh-dong-lua-giam-phat-thai": ("MÔ HÌNH LÚA CHẤT LƯỢNG CAO, PHÁT THẢI THẤP",),
    ("thanh-pho-soc-trang-chung-tay-xay-dung-do-thi-van-minh-tu-moi-khom", "anh-1.jpg"):
        ("CHUNG TAY XÂY DỰNG ĐÔ THỊ VĂN MINH",),
    ("thanh-pho-soc-trang-chung-tay-xay-dung-do-thi-van-minh-tu-moi-khom", "anh-2.jpg"):
        ("NGÀY CHỦ NHẬT XANH – SẠCH – ĐẸP",),
    ("ke-sach-giam-sat-dau-tu-cua-cong-dong-de-cong-trinh-dung-chat-luong", "anh-1.jpg"):
        ("CÔNG TRÌNH ĐƯỜNG GIAO THÔNG NÔNG THÔN ẤP AN PHÚ",),
    ("ke-sach-giam-sat-dau-tu-cua-cong-dong-de-cong-trinh-dung-chat-luong", "anh-2.jpg"):
        (f"{_TRAN} HUYỆN KẾ SÁCH", "TẬP HUẤN NGHIỆP VỤ GIÁM SÁT ĐẦU TƯ CỦA CỘNG ĐỒNG"),
    "ke-sach-phan-bien-du-thao-de-an-phat-trien-giao-thong-nong-thon":
        (f"{_TRAN} HUYỆN KẾ SÁCH", "HỘI NGHỊ PHẢN BIỆN XÃ HỘI",
         "DỰ THẢO ĐỀ ÁN PHÁT TRIỂN GIAO THÔNG NÔNG THÔN 2025 – 2030"),
    ("uy-ban-mttq-tinh-tiep-doan-dai-bieu-mat-tran-tinh-takeo-campuchia", "anh-1.jpg"):
        (f"{_TRAN} TỈNH SÓC TRĂNG", "TIẾP ĐOÀN ĐẠI BIỂU MẶT TRẬN TỈNH TAKEO", "VƯƠNG QUỐC CAMPUCHIA"),
    ("uy-ban-mttq-tinh-tiep-doan-dai-bieu-mat-tran-tinh-takeo-campuchia", "anh-2.jpg"):
        (f"{_TRAN} TỈNH SÓC TRĂNG", "NHIỆT LIỆT CHÀO MỪNG ĐOÀN ĐẠI BIỂU TỈNH TAKEO"),
    "tran-de-trao-150-phan-qua-cho-ho-ngheo-vung-ven-bien":
        (f"{_TRAN} HUYỆN TRẦN ĐỀ", "TRAO QUÀ CHO HỘ NGHÈO VÙNG VEN BIỂN"),
    ("dua-thong-tin-mat-tran-den-gan-dan-hon-qua-zalo-va-mang-xa-hoi", "anh-1.jpg"):
        (f"{_TRAN} TỈNH SÓC TRĂNG", "TẬP HUẤN KỸ NĂNG TUYÊN TRUYỀN TRÊN MẠNG XÃ HỘI"),
    ("dua-thong-tin-mat-tran-den-gan-dan-hon-qua-zalo-va-mang-xa-hoi", "anh-2.jpg"): ("KHU DÂN CƯ VĂN HÓA",),
    "cu-lao-dung-ra-quan-lam-duong-nong-thon-bang-nguon-xa-hoi-hoa": ("RA QUÂN LÀM ĐƯỜNG GIAO THÔNG NÔNG THÔN",),
    ("vinh-chau-tet-chol-chnam-thmay-am-ap-nghia-tinh-dai-doan-ket", "anh-1.jpg"):
        ("MỪNG TẾT CỔ TRUYỀN CHÔL CHNĂM THMÂY 2025",),
    ("vinh-chau-tet-chol-chnam-thmay-am-ap-nghia-tinh-dai-doan-ket", "anh-2.jpg"):
        (f"{_TRAN} THỊ XÃ VĨNH CHÂU", "TRAO QUÀ TẾT CHÔL CHNĂM THMÂY NĂM 2025"),
    ("vinh-chau-tet-chol-chnam-thmay-am-ap-nghia-tinh-dai-doan-ket", "anh-3.jpg"):
        ("NHIỆT LIỆT CHÀO MỪNG TẾT CHÔL CHNĂM THMÂY",),
    "vinh-chau-tham-chuc-tet-chol-chnam-thmay-cac-chua-khmer": ("MỪNG TẾT CỔ TRUYỀN CHÔL CHNĂM THMÂY 2025",),
    "thanh-nien-viet-nam-va-campuchia-giao-luu-don-tet-chol-chnam-thmay": ("GIAO LƯU THANH NIÊN VIỆT NAM – CAMPUCHIA",),
    "chau-thanh-giam-sat-chinh-sach-bao-hiem-y-te-vung-dong-bao-dan-toc":
        (f"{_TRAN} HUYỆN CHÂU THÀNH", "GIÁM SÁT THỰC HIỆN CHÍNH SÁCH BẢO HIỂM Y TẾ"),
    "nga-nam-tiep-nhan-hon-1-2-ty-dong-ung-ho-quy-vi-nguoi-ngheo":
        (f"{_TRAN} THỊ XÃ NGÃ NĂM", "SƠ KẾT VẬN ĐỘNG QUỸ VÌ NGƯỜI NGHÈO QUÝ I/2025"),
    "my-tu-kien-toan-ban-cong-tac-mat-tran-o-khu-dan-cu":
        (f"{_TRAN} HUYỆN MỸ TÚ", "HỘI NGHỊ TRIỂN KHAI KIỆN TOÀN", "BAN CÔNG TÁC MẶT TRẬN Ở KHU DÂN CƯ"),
    ("long-phu-nong-thon-moi-tu-suc-dan", "anh-1.jpg"): ("TOÀN DÂN ĐOÀN KẾT XÂY DỰNG NÔNG THÔN MỚI",),
    ("long-phu-nong-thon-moi-tu-suc-dan", "anh-2.jpg"): (),
    "hoi-cuu-chien-binh-tinh-gap-mat-ky-niem-50-nam-giai-phong-mien-nam":
        ("HỘI CỰU CHIẾN BINH TỈNH SÓC TRĂNG", "GẶP MẶT KỶ NIỆM 50 NĂM NGÀY GIẢI PHÓNG MIỀN NAM",
         "THỐNG NHẤT ĐẤT NƯỚC (30/4/1975 – 30/4/2025)"),
    ("thanh-tri-doi-moi-phuong-thuc-hoat-dong-dua-mat-tran-den-gan-dan", "anh-1.jpg"): (),
    ("thanh-tri-doi-moi-phuong-thuc-hoat-dong-dua-mat-tran-den-gan-dan", "anh-2.jpg"):
        (f"{_TRAN} HUYỆN THẠNH TRỊ", "HỘI NGHỊ GIAO BAN CÔNG TÁC MẶT TRẬN THÁNG 5/2025"),
    "thanh-tri-ra-mat-mo-hinh-to-zalo-mat-tran-o-khu-dan-cu": ("RA MẮT MÔ HÌNH “TỔ ZALO MẶT TRẬN” KHÓM 2",),
    "thanh-tri-ban-giao-8-can-nha-dai-doan-ket-cho-ho-ngheo-dong-bao-khmer": ("BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT",),
    "ke-sach-doi-thoai-giua-nguoi-dung-dau-cap-uy-chinh-quyen-voi-nhan-dan":
        (f"{_TRAN} HUYỆN KẾ SÁCH", "HỘI NGHỊ ĐỐI THOẠI GIỮA NGƯỜI ĐỨNG ĐẦU CẤP ỦY,", "CHÍNH QUYỀN VỚI NHÂN DÂN"),
    "ke-sach-trao-120-suat-hoc-bong-cho-hoc-sinh-ngheo-vuot-kho":
        (f"{_TRAN} HUYỆN KẾ SÁCH", "TRAO HỌC BỔNG HỌC SINH NGHÈO VƯỢT KHÓ NĂM 2025"),
    "hoi-phu-nu-tinh-tang-qua-sinh-vien-campuchia-hoc-tap-tai-soc-trang":
        ("HỘI LIÊN HIỆP PHỤ NỮ TỈNH SÓC TRĂNG", "THĂM, TẶNG QUÀ LƯU HỌC SINH CAMPUCHIA"),
    "giam-sat-thuc-hien-dan-chu-o-co-so-tai-huyen-my-tu":
        (f"{_TRAN} TỈNH SÓC TRĂNG", "GIÁM SÁT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ", "TẠI HUYỆN MỸ TÚ"),
    ("chau-thanh-dong-bao-cac-ton-giao-chung-suc-xay-dung-nong-thon-moi", "anh-1.jpg"): (),
    "chau-thanh-hop-mat-chuc-sac-ton-giao-tham-gia-xay-dung-nong-thon-moi":
        (f"{_TRAN} HUYỆN CHÂU THÀNH", "HỌP MẶT CHỨC SẮC, CHỨC VIỆC CÁC TÔN GIÁO",
         "THAM GIA XÂY DỰNG NÔNG THÔN MỚI"),
    ("doi-ngoai-nhan-dan-nhip-cau-huu-nghi-viet-nam-campuchia", "anh-1.jpg"):
        (f"{_TRAN} TỈNH SÓC TRĂNG", "HỘI ĐÀM VỚI ĐOÀN ĐẠI BIỂU MẶT TRẬN TỈNH TAKEO"),
    ("doi-ngoai-nhan-dan-nhip-cau-huu-nghi-viet-nam-campuchia", "anh-2.jpg"):
        ("GIAO LƯU THANH NIÊN VIỆT NAM – CAMPUCHIA",),
    "my-tu-giam-sat-viec-thu-gom-xu-ly-rac-thai-sinh-hoat-o-nong-thon": ("GIỮ GÌN VỆ SINH MÔI TRƯỜNG NÔNG THÔN",),
    "lien-doan-lao-dong-tinh-trao-mai-am-cong-doan-cho-doan-vien-kho-khan": ("BÀN GIAO MÁI ẤM CÔNG ĐOÀN",),
    # --- since 01/07/2025: the city of Cần Thơ and its commune-level units ---
    "my-xuyen-tong-ket-hoat-dong-mat-tran-cap-huyen-truoc-sap-xep":
        (f"{_TRAN} HUYỆN MỸ XUYÊN", "HỘI NGHỊ TỔNG KẾT HOẠT ĐỘNG MẶT TRẬN CẤP HUYỆN"),
    ("uy-ban-mttq-viet-nam-thanh-pho-can-tho-di-vao-hoat-dong", "anh-1.jpg"):
        (f"{_TRAN} THÀNH PHỐ CẦN THƠ", "HỘI NGHỊ TRIỂN KHAI NHIỆM VỤ"),
    ("uy-ban-mttq-viet-nam-thanh-pho-can-tho-di-vao-hoat-dong", "anh-2.jpg"):
        (f"{_TRAN} THÀNH PHỐ CẦN THƠ", "NHẬN NHIỆM VỤ MỚI"),
    "xa-phong-dien-ra-mat-ban-thuong-truc-uy-ban-mttq-xa":
        (f"{_TRAN} XÃ PHONG ĐIỀN", "HỘI NGHỊ RA MẮT BAN THƯỜNG TRỰC"),
    "phuong-soc-trang-giam-sat-viec-giai-quyet-thu-tuc-hanh-chinh-sau-sap-xep":
        (f"{_TRAN} PHƯỜNG SÓC TRĂNG", "GIÁM SÁT GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
    "mat-tran-cap-xa-sau-sap-xep-nhung-ngay-dau-van-hanh": ("KHU DÂN CƯ VĂN HÓA",),
    "xa-ke-sach-van-dong-quy-vi-nguoi-ngheo-ho-tro-sua-nha":
        (f"{_TRAN} XÃ KẾ SÁCH", "HỖ TRỢ SỬA CHỮA NHÀ Ở CHO HỘ NGHÈO"),
    "xa-vinh-hai-ra-quan-thang-cao-diem-vi-nguoi-ngheo-2025":
        (f"{_TRAN} XÃ VĨNH HẢI", "RA QUÂN THÁNG CAO ĐIỂM “VÌ NGƯỜI NGHÈO” NĂM 2025"),
    "giam-sat-va-phan-bien-xa-hoi-o-cap-xa-sau-sap-xep": ("CÔNG TRÌNH ĐƯỜNG GIAO THÔNG NÔNG THÔN",),
    "dai-hoi-dai-bieu-mttq-viet-nam-thanh-pho-can-tho-lan-thu-nhat":
        (f"{_TRAN} THÀNH PHỐ CẦN THƠ", "ĐẠI HỘI ĐẠI BIỂU MẶT TRẬN TỔ QUỐC VIỆT NAM",
         "THÀNH PHỐ CẦN THƠ LẦN THỨ I, NHIỆM KỲ 2025 – 2030"),
    "phuong-ninh-kieu-ngay-hoi-dai-doan-ket-toan-dan-toc-2025": ("NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC",),
    "xa-my-tu-ban-giao-nha-dai-doan-ket-cuoi-nam-2025": ("BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT",),
    "phuong-vinh-chau-trao-qua-tet-binh-ngo-cho-ho-ngheo":
        (f"{_TRAN} PHƯỜNG VĨNH CHÂU", "TRAO QUÀ TẾT BÍNH NGỌ NĂM 2026"),
    "xa-tran-de-tham-chuc-tet-nguoi-co-uy-tin-dau-xuan-binh-ngo": ("MỪNG XUÂN BÍNH NGỌ 2026",),
    "phong-trao-do-thi-van-minh-o-cac-phuong-cua-thanh-pho": ("HẺM SÁNG – XANH – SẠCH",),
    "phuong-khanh-hoa-chuc-tet-chol-chnam-thmay-2026": ("MỪNG TẾT CỔ TRUYỀN CHÔL CHNĂM THMÂY 2026",),
    "hoi-cuu-chien-binh-thanh-pho-ky-niem-ngay-chien-thang-dien-bien-phu":
        ("HỘI CỰU CHIẾN BINH THÀNH PHỐ CẦN THƠ", "KỶ NIỆM 72 NĂM CHIẾN THẮNG ĐIỆN BIÊN PHỦ"),
    "xa-cu-lao-dung-giam-sat-cong-trinh-de-bao-chong-trieu-cuong": ("CÔNG TRÌNH ĐÊ BAO CHỐNG TRIỀU CƯỜNG ẤP AN PHÚ",),
    "hoi-nong-dan-thanh-pho-nhan-rong-mo-hinh-lua-phat-thai-thap": ("MÔ HÌNH LÚA CHẤT LƯỢNG CAO, PHÁT THẢI THẤP",),
    "xa-long-phu-kien-toan-ban-cong-tac-mat-tran-cac-ap":
        (f"{_TRAN} XÃ LONG PHÚ", "HỘI NGHỊ KIỆN TOÀN BAN CÔNG TÁC MẶT TRẬN"),
    "phong-dien-khu-dan-cu-kieu-mau-tu-suc-dan": ("KHU DÂN CƯ KIỂU MẪU ẤP TÂN LONG A",),
    "lien-doan-lao-dong-thanh-pho-trao-mai-am-cong-doan-2026": ("BÀN GIAO MÁI ẤM CÔNG ĐOÀN",),
    "xa-vinh-hai-ho-tro-ngu-dan-sau-trieu-cuong":
        (f"{_TRAN} XÃ VĨNH HẢI", "HỖ TRỢ HỘ DÂN BỊ THIỆT HẠI DO TRIỀU CƯỜNG"),
    "xa-phong-dien-doi-thoai-voi-nhan-dan-ve-chinh-sach-dat-dai":
        (f"{_TRAN} XÃ PHONG ĐIỀN", "HỘI NGHỊ ĐỐI THOẠI VỚI NHÂN DÂN"),
    "phuong-ninh-kieu-ngay-hoi-dai-doan-ket-2026": ("NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC NĂM 2026",),
    "96-nam-ngay-truyen-thong-mat-tran-to-quoc-viet-nam": ("NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC",),
    "xa-ke-sach-trao-hoc-bong-cho-hoc-sinh-ngheo-2026":
        (f"{_TRAN} XÃ KẾ SÁCH", "TRAO HỌC BỔNG HỌC SINH NGHÈO VƯỢT KHÓ NĂM 2026"),
    "phuong-soc-trang-hop-mat-nguoi-cao-tuoi-tieu-bieu":
        (f"{_TRAN} PHƯỜNG SÓC TRĂNG", "HỌP MẶT NGƯỜI CAO TUỔI TIÊU BIỂU"),
    "xa-my-tu-tong-ket-thang-cao-diem-vi-nguoi-ngheo-2026":
        (f"{_TRAN} XÃ MỸ TÚ", "TỔNG KẾT THÁNG CAO ĐIỂM “VÌ NGƯỜI NGHÈO” NĂM 2026"),
    "ky-niem-82-nam-ngay-thanh-lap-quan-doi-nhan-dan-viet-nam": ("KHU DÂN CƯ VĂN HÓA",),
    "xa-tran-de-ra-mat-to-zalo-mat-tran-o-ap": ("RA MẮT MÔ HÌNH “TỔ ZALO MẶT TRẬN”",),
}

# Photos stored rotated with an EXIF Orientation tag (to test orientation handling):
# the pixels are stored so that applying the tag gives the upright scene.
ORIENTED: dict[tuple[str, str], int] = {
    ("thanh-tri-ra-mat-mo-hinh-to-zalo-mat-tran-o-khu-dan-cu", "anh-1.jpg"): 6,
    ("cu-lao-dung-ra-quan-lam-duong-nong-thon-bang-nguon-xa-hoi-hoa", "anh-2.jpg"): 3,
}

# Output sizes (upright), chosen per photo from the seed. Items dated from
# 01/07/2025 on get ~1600 px photos only, so the demo stays quick to build.
SIZES = [(1600, 1067), (1600, 1067), (1800, 1200), (1600, 1200), (2000, 1333)]
SMALL_SIZES = [(1600, 1067), (1600, 1200)]
SMALL_FROM = "2025-07-01"
# Where the seed's size gives a scene the photo check would flag (a field's
# furrows read as a 4° tilt at 1600x1200): (slug, file) -> size.
SIZE_OVERRIDES: dict[tuple[str, str], tuple[int, int]] = {
    ("hoi-nong-dan-thanh-pho-nhan-rong-mo-hinh-lua-phat-thai-thap", "anh-1.jpg"): (1600, 1067),
}

IMG_RE = re.compile(r"!\[([^\]]+)\]\(([^)\s]+)\)")


def parse_item(index_md: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    text = unicodedata.normalize("NFC", index_md.read_text(encoding="utf-8"))
    head, _, body = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip()
    return meta, [(m.group(1), m.group(2)) for m in IMG_RE.finditer(body)]


def scene_for(slug: str, fname: str, caption: str) -> str:
    if (slug, fname) in SCENE_OVERRIDES:
        return SCENE_OVERRIDES[(slug, fname)]
    cap = unicodedata.normalize("NFC", caption).lower()
    for scene, words in KEYWORDS:
        if any(w in cap for w in words):
            return scene
    return SCENES[seed_int(slug + "/" + fname) % len(SCENES)]


def plan(content: Path = CONTENT):
    """Yield one dict per photo referenced by the demo items."""
    for index_md in sorted(content.glob("*/*/*/*/index.md")):
        slug = index_md.parent.name
        meta, photos = parse_item(index_md)
        unit = meta.get("unit", "")
        base = UNIT_GPS.get(unit, CITY_GPS if unit.startswith("ct-") else PROVINCE_GPS)
        sizes = SMALL_SIZES if (meta.get("date") or "") >= SMALL_FROM else SIZES
        taken = meta.get("event_date") or meta.get("date")
        for caption, fname in photos:
            seed = f"{slug}/{fname}"
            rng = np.random.default_rng(seed_int(seed + "#exif"))
            gps = (base[0] + rng.uniform(-0.012, 0.012), base[1] + rng.uniform(-0.012, 0.012))
            if taken:
                dt = datetime.strptime(taken[:16], "%Y-%m-%d %H:%M")
                if not meta.get("event_date"):
                    dt = dt.replace(day=max(1, dt.day - 2), hour=9, minute=int(rng.integers(0, 59)))
                else:
                    dt = dt.replace(minute=min(59, dt.minute + int(rng.integers(3, 40))))
                taken_s = dt.strftime("%Y-%m-%d %H:%M")
            else:
                taken_s = None
            yield {
                "path": index_md.parent / fname,
                "slug": slug,
                "seed": seed,
                "scene": scene_for(slug, fname, caption),
                "size": SIZE_OVERRIDES.get((slug, fname), sizes[seed_int(seed) % len(sizes)]),
                "banner": BANNERS.get((slug, fname), BANNERS.get(slug)),
                "gps": gps,
                "taken": taken_s,
                "orientation": ORIENTED.get((slug, fname)),
                "artist": meta.get("author"),
            }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="only this item slug")
    ap.add_argument("--missing", action="store_true",
                    help="only the photos that do not exist yet (new demo items)")
    ap.add_argument("--list", action="store_true", help="print the plan, write nothing")
    ap.add_argument("--sample", help="write one sample of every scene to this folder instead")
    ap.add_argument("--count", type=int, default=len(SCENES))
    ap.add_argument("--content", default=str(CONTENT))
    args = ap.parse_args(argv)
    if args.sample:
        out = Path(args.sample)
        for i in range(args.count):
            sc = SCENES[i % len(SCENES)]
            info = make_photo(out / f"sample-{i:02d}-{sc}.jpg", f"sample-{i}", size=(1600, 1067), scene=sc)
            print(info)
        return 0
    total = 0
    for p in plan(Path(args.content)):
        if args.only and p["slug"] != args.only:
            continue
        if args.missing and p["path"].exists():
            continue
        if args.list:
            print(f"{p['path']}: {p['scene']} {p['size']} orient={p['orientation']}")
            continue
        info = make_photo(p["path"], p["seed"], size=p["size"], scene=p["scene"], banner=p["banner"],
                          gps=p["gps"], taken=p["taken"], orientation=p["orientation"], artist=p["artist"])
        total += info["bytes"]
        print(f"{info['path']}: {info['scene']} {info['size'][0]}x{info['size'][1]} "
              f"{info['bytes'] // 1024} KB")
    if not args.list:
        print(f"total {total / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
