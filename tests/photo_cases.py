"""Labelled photo cases for the photo quality check, built from real photos.

The source photographs ship inside scikit-image (``skimage/data``); each one's
licence is in its loader's docstring (``skimage.data.<name>``) and is copied
below. Only real photographs of scenes are used for the accuracy rates.

Every case is a file written to a directory (a pytest ``tmp_path``), labelled

* ``good``: must pass with no quality problem (``photo.too_small`` warnings
  are allowed: the skimage photos are small and some stay under 1200 px);
* ``bad``: must be flagged with ``expect`` (a problem code);
* ``borderline``: built to show where the thresholds sit; never asserted.

Strengths are expressed relative to the photo (blur sigma as a fraction of the
long side, exposure in photographic stops, haze as the share of the original
contrast kept, rotation in degrees), so they mean the same at any resolution.
Borderline strengths are kept apart on purpose: a bad case is one a picture
editor would reject at a glance, a good case one they would publish.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import signal

import skimage.data

DATA_DIR = Path(skimage.data.__file__).parent

#: name -> (file, licence, native tilt in degrees or None).
#: The native tilt was annotated by hand: a line that is level or plumb in the
#: real scene was chosen by eye (camera: the tower and the horizon; astronaut:
#: the shuttle model's booster; rocket: the rocket body) and fitted in a box
#: drawn around it (Canny + RANSAC). ``None``: no trustworthy level reference
#: (no straight structure, or verticals converging in perspective).
PHOTOS: dict[str, tuple[str, str, float | None]] = {
    "astronaut": ("astronaut.png", "NASA, public domain", -0.6),
    "coffee": ("coffee.png", "CC0, Rachel Michetti", None),
    "camera": ("camera.png", "CC0, Lav Varshney", 0.0),
    "brick": ("brick.png", "CC0 (cc0textures.com), perspective-corrected crop", None),
    "chelsea": ("chelsea.png", "CC0, Stefan van der Walt", None),
    "rocket": ("rocket.jpg", "SpaceX, public domain", 0.5),
    "motorcycle": ("motorcycle_left.png",
                   "Middlebury 2014 stereo set (Scharstein et al.), shipped by scikit-image", None),
    "coins": ("coins.png", "Brooklyn Museum, no known copyright restrictions", None),
    "gravel": ("gravel.png", "CC0 (cc0textures.com)", None),
    "grass": ("grass.png", "CC0 (DeviantArt, linolafett)", None),
}

#: Photos the thresholds were looked at and tuned on.
TUNING = ("astronaut", "coffee", "camera", "brick")
#: Photos never used while tuning: the accuracy rates are asserted on these.
HELD_OUT = ("chelsea", "rocket", "motorcycle", "coins", "gravel", "grass")

#: A real photo that is genuinely motion-blurred (camera moved while shooting).
BLURRED_REAL = ("clock_motion.png", "public domain, Stefan van der Walt")

#: Long side the good cases are enlarged towards (at most x2, LANCZOS).
TARGET_LONG = 1200
MAX_UPSCALE = 2.0


@dataclass
class Case:
    path: Path
    photo: str
    defect: str
    strength: float | str | None
    label: str  # "good", "bad" or "borderline"
    expect: str | None = None  # the problem code a bad case must carry
    notes: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.photo}-{self.defect}-{self.strength}"


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

def load(name: str) -> Image.Image:
    """The native photo, as RGB."""
    return Image.open(DATA_DIR / PHOTOS[name][0]).convert("RGB")


def good_base(name: str) -> Image.Image:
    """The photo enlarged towards 1200 px, never more than x2 (LANCZOS).

    An enlargement is softer than a native photo of that size; x2 is the most
    a contributor's mildly cropped or Zalo-resized photo would have been
    stretched, and the blur threshold is set so that x2 still passes while a
    thumbnail blown up x4 does not (see docs/photo-thresholds.md).
    """
    im = load(name)
    factor = min(MAX_UPSCALE, max(1.0, TARGET_LONG / max(im.size)))
    if factor > 1.0:
        im = im.resize((round(im.width * factor), round(im.height * factor)),
                       Image.Resampling.LANCZOS)
    return im


def collage(names: tuple[str, ...], size: tuple[int, int] = (4000, 3000)) -> Image.Image:
    """A phone-sized (12 MP) picture made of native, unscaled photos.

    Every pixel is a real photo pixel at its native sharpness, so this is a
    sharp 4000 px picture: used for resolution independence and speed.
    """
    out = Image.new("RGB", size, (128, 128, 128))
    tiles = [load(n) for n in names]
    x = y = 0
    row_h = 0
    i = 0
    while y < size[1]:
        tile = tiles[i % len(tiles)]
        i += 1
        if x >= size[0]:
            x = 0
            y += row_h
            row_h = 0
            continue
        out.paste(tile, (x, y))
        x += tile.width
        row_h = max(row_h, tile.height)
    return out


# --------------------------------------------------------------------------
# Defects (all strengths relative to the picture)
# --------------------------------------------------------------------------

def _arr(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("RGB"), dtype=np.float64) / 255.0


def _img(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")


def _to_linear(a: np.ndarray) -> np.ndarray:
    return np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)


def _to_srgb(a: np.ndarray) -> np.ndarray:
    a = np.clip(a, 0.0, 1.0)
    return np.where(a <= 0.0031308, a * 12.92, 1.055 * a ** (1 / 2.4) - 0.055)


def gaussian_blur(im: Image.Image, fraction: float) -> Image.Image:
    """Out-of-focus blur, sigma = ``fraction`` of the long side."""
    from PIL import ImageFilter
    return im.filter(ImageFilter.GaussianBlur(fraction * max(im.size)))


def motion_blur(im: Image.Image, fraction: float, angle: float = 0.0) -> Image.Image:
    """Camera-shake blur: a straight smear ``fraction`` of the long side long."""
    length = max(2.0, fraction * max(im.size))
    r = int(math.ceil(length / 2)) + 1
    size = 2 * r + 1
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
    t = math.radians(angle)
    along = xx * math.cos(t) - yy * math.sin(t)
    across = xx * math.sin(t) + yy * math.cos(t)
    kernel = np.clip(1.0 - np.abs(across), 0, 1) * (np.abs(along) <= length / 2)
    kernel /= kernel.sum()
    a = _arr(im)
    out = np.empty_like(a)
    for c in range(3):
        pad = np.pad(a[:, :, c], r, mode="reflect")
        out[:, :, c] = signal.fftconvolve(pad, kernel, mode="valid")
    assert out.shape == a.shape, (out.shape, a.shape, size)
    return _img(out)


def _lut(fn) -> list[int]:
    v = fn(np.arange(256) / 255.0)
    return [int(x) for x in np.clip(np.round(v * 255.0), 0, 255)] * 3


def exposure(im: Image.Image, stops: float) -> Image.Image:
    """Wrong exposure by ``stops`` EV, applied to linear light, clipped."""
    return im.convert("RGB").point(_lut(lambda v: _to_srgb(_to_linear(v) * 2.0 ** stops)))


def haze(im: Image.Image, keep: float, veil: float = 0.8) -> Image.Image:
    """Haze/washed-out: only ``keep`` of the contrast remains, over a grey veil."""
    return _img(keep * _arr(im) + (1.0 - keep) * veil)


def flatten(im: Image.Image, keep: float) -> Image.Image:
    """Grey, flat picture: contrast reduced towards the photo's own mean."""
    a = _arr(im)
    return _img(keep * a + (1.0 - keep) * a.mean())


def low_key(im: Image.Image, gamma: float = 1.8) -> Image.Image:
    """An evening look: midtones and shadows sink, highlights stay put."""
    return im.convert("RGB").point(_lut(lambda v: v ** gamma))


def spotlight(im: Image.Image, stops: float = 2.5) -> Image.Image:
    """An evening scene lit normally where it matters: a lit centre, the
    surroundings fall off by ``stops`` (a stage, a meeting hall at night)."""
    a = _to_linear(_arr(im))
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot((xx - w / 2) / (0.45 * w), (yy - h / 2) / (0.45 * h))
    gain = 2.0 ** (-stops * np.clip(d, 0, 1) ** 2)
    return _img(_to_srgb(a * gain[:, :, None]))


def rotate_crop(im: Image.Image, degrees: float) -> Image.Image:
    """Camera held at an angle: rotate, then crop the largest level rectangle
    (no empty corners, so only the content is tilted)."""
    w, h = im.size
    rot = im.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False)
    t = math.radians(abs(degrees))
    # largest axis-aligned rectangle of the same aspect inside the rotated frame
    scale = 1.0 / (math.cos(t) + math.sin(t) * max(w / h, h / w))
    cw, ch = int(w * scale), int(h * scale)
    left, top = (w - cw) // 2, (h - ch) // 2
    return rot.crop((left, top, left + cw, top + ch))


def noise(im: Image.Image, sigma: float, seed: int = 7) -> Image.Image:
    """Sensor noise (Gaussian, per channel), sigma on the 0..1 scale."""
    rng = np.random.default_rng(seed)
    a = np.asarray(im.convert("RGB"), dtype=np.float32)
    a += rng.normal(0.0, sigma * 255.0, a.shape).astype(np.float32)
    return Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8), "RGB")


def mean_luma(im: Image.Image) -> float:
    """Mean luma (0..1): the photo's key."""
    return float(np.asarray(im.convert("L"), dtype=np.float64).mean() / 255.0)


def tonal_range(im: Image.Image) -> float:
    """Range between the 1st and 99th percentiles of luma (0..1)."""
    a = np.asarray(im.convert("L"), dtype=np.float64) / 255.0
    lo, hi = np.percentile(a, [1, 99])
    return float(hi - lo)


def rescale(im: Image.Image, long_side: int) -> Image.Image:
    f = long_side / max(im.size)
    return im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))),
                     Image.Resampling.LANCZOS)


def enlarge_small(im: Image.Image, small: int, target: int) -> Image.Image:
    """A thumbnail (long side ``small``) blown up to ``target`` px."""
    return rescale(rescale(im, small), target)


def strip(im: Image.Image, ratio: float) -> Image.Image:
    """Crop a horizontal strip ``ratio``:1 (panorama or long screenshot)."""
    w, h = im.size
    nh = max(1, int(w / ratio))
    top = (h - nh) // 2
    return im.crop((0, top, w, top + nh))


def jpeg_bytes(im: Image.Image, quality: int = 92) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def jpeg_roundtrip(im: Image.Image, quality: int) -> Image.Image:
    return Image.open(io.BytesIO(jpeg_bytes(im, quality))).convert("RGB")


# --------------------------------------------------------------------------
# Case sets
# --------------------------------------------------------------------------

class _Writer:
    def __init__(self, out: Path):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.cases: list[Case] = []

    def add(self, im: Image.Image, photo: str, defect: str, strength, label: str,
            expect: str | None = None, fmt: str = "JPEG", quality: int = 92) -> Case:
        ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        path = self.out / f"{photo}__{defect}__{strength}.{ext}".replace(" ", "")
        if fmt == "JPEG":
            im.save(path, "JPEG", quality=quality)
        elif fmt == "WEBP":
            im.save(path, "WEBP", quality=quality)
        else:
            im.save(path, "PNG", compress_level=1)
        case = Case(path, photo, defect, strength, label, expect)
        self.cases.append(case)
        return case


def quality_cases(out: Path, names: tuple[str, ...], workers: int = 1) -> list[Case]:
    """Good, bad and borderline cases for the given photos (one process per
    photo when ``workers`` > 1)."""
    if workers > 1 and len(names) > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = pool.map(_photo_cases, [out] * len(names), names)
            return [c for part in parts for c in part]
    return [c for n in names for c in _photo_cases(out, n)]


def _photo_cases(out: Path, n: str) -> list[Case]:
    w = _Writer(out)
    native = load(n)
    # Defects are applied to the photo enlarged towards 1200 px, so that the
    # blur strengths mean what they meant when the thresholds were set; the
    # good cases are the photos at their own size, never enlarged: a small
    # photo blown up is itself a defect (``photo.upscaled``).
    base = native
    # --- good: as sent, in every accepted format, and mild, acceptable flaws
    w.add(base, n, "original", "jpg", "good")
    w.add(base, n, "original", "png", "good", fmt="PNG")
    w.add(base, n, "original", "webp", "good", fmt="WEBP", quality=85)
    if max(native.size) >= 800:
        w.add(native, n, "native", 1, "good")
    w.add(jpeg_roundtrip(base, 60), n, "jpeg", 60, "good")
    w.add(noise(base, 0.01), n, "noise", 0.01, "good")
    w.add(exposure(base, -0.5), n, "exposure", -0.5, "good")
    w.add(exposure(base, 0.5), n, "exposure", 0.5, "good")
    # a mild haze is harmless on a photo of normal contrast, not on a dull one
    w.add(haze(base, 0.8), n, "haze", 0.8,
          "good" if tonal_range(base) >= 0.6 else "borderline", "photo.low_contrast")
    # evening looks are made from normally keyed photos; a photo that is
    # already low-key (rocket: a real dusk scene) is itself the evening case
    if mean_luma(base) >= 0.3:
        w.add(low_key(base, 1.6), n, "evening", "lowkey1.6", "good")
        w.add(spotlight(base, 2.5), n, "evening", "spot2.5", "good")
    w.add(rotate_crop(base, 0.5), n, "rotate", 0.5, "good")
    w.add(rescale(base, round(max(base.size) * 0.8)) if max(base.size) * 0.8 >= 800
          else base, n, "downscale", 0.8, "good")
    base = good_base(n)
    # --- blur: out of focus, camera shake, thumbnails blown up
    for frac in (0.0025, 0.005):
        w.add(gaussian_blur(base, frac), n, "gauss", frac, "bad", "photo.blurry")
    for frac in (0.001, 0.0015):
        w.add(gaussian_blur(base, frac), n, "gauss", frac, "borderline", "photo.blurry")
    for frac, ang in ((0.01, 0), (0.015, 90), (0.02, 30)):
        w.add(motion_blur(base, frac, ang), n, "motion", f"{frac}@{ang}", "bad", "photo.blurry")
    w.add(motion_blur(base, 0.004, 0), n, "motion", "0.004@0", "borderline", "photo.blurry")
    # a thumbnail of 200 px blown up is x5 at the analysis size: bad; one
    # of 300 px is x3.3, about sigma 1.3 px: borderline.
    w.add(enlarge_small(native, 200, 1600), n, "enlarged", 200, "bad", "photo.blurry")
    w.add(enlarge_small(native, 200, 4000), n, "enlarged4000", 200, "bad", "photo.blurry")
    w.add(enlarge_small(native, 300, 1600), n, "enlarged", 300, "borderline", "photo.blurry")
    # noise and JPEG artefacts must not make a blurry photo pass
    blurred = gaussian_blur(base, 0.0035)
    w.add(noise(blurred, 0.03), n, "gauss+noise", 0.03, "bad", "photo.blurry")
    w.add(noise(blurred, 0.06), n, "gauss+noise", 0.06, "bad", "photo.blurry")
    w.add(jpeg_roundtrip(blurred, 10), n, "gauss+jpeg", 10, "bad", "photo.blurry")
    w.add(jpeg_roundtrip(noise(blurred, 0.04), 25), n, "gauss+noise+jpeg", 25, "bad", "photo.blurry")
    # --- exposure
    for stops in (-2.5, -3.5):
        w.add(exposure(base, stops), n, "exposure", stops, "bad", "photo.too_dark")
    w.add(exposure(base, -1.5), n, "exposure", -1.5, "borderline", "photo.too_dark")
    # Over-exposure is a defect of a normally keyed photo; a dusk scene
    # (mean luma < 0.3) pushed +2 EV is just a bright version of it.
    over = "bad" if mean_luma(base) >= 0.3 else "borderline"
    for stops in (2.0, 3.0):
        w.add(exposure(base, stops), n, "exposure", stops, over, "photo.too_bright")
    w.add(exposure(base, 1.2), n, "exposure", 1.2, "borderline", "photo.too_bright")
    # --- contrast
    for keep in (0.3, 0.2):
        w.add(haze(base, keep), n, "haze", keep, "bad", "photo.low_contrast")
        w.add(flatten(base, keep), n, "flat", keep, "bad", "photo.low_contrast")
    w.add(haze(base, 0.5), n, "haze", 0.5, "borderline", "photo.low_contrast")
    # --- tilt, only where the photo has a level reference; the label
    # follows the true tilt (native + rotation): >= 3° bad (the threshold
    # is 2°, plus 1° for annotation and estimate error), <= 0.5° good.
    native_tilt = PHOTOS[n][2]
    if native_tilt is not None:
        for deg in (-10, -5, -3, -1.5, 1.5, 3, 5, 10):
            true = native_tilt + deg
            label = "bad" if abs(true) >= 3.0 else ("good" if abs(true) <= 0.5 else "borderline")
            w.add(rotate_crop(native if label == "good" else base, deg), n, "rotate", deg, label,
                  "photo.tilted" if label != "good" else None)
    # --- aspect
    w.add(strip(base, 4.0), n, "strip", 4.0, "bad", "photo.bad_aspect")
    w.add(strip(native, 2.5), n, "strip", 2.5, "good")
    return w.cases


QUALITY_CODES = (
    "photo.blurry", "photo.too_dark", "photo.too_bright", "photo.low_contrast",
    "photo.tilted", "photo.bad_aspect", "photo.upscaled",
)


def quality_flags(report) -> set[str]:
    """Codes that count as a rejection of a good photo.

    ``photo.too_small`` is left out: the source photos are small by nature
    (384–741 px) and size is a separate, exact rule with its own tests.
    """
    return {p.code for p in report.problems
            if p.code in QUALITY_CODES or p.code in ("photo.unreadable", "photo.too_large")}


def rates(cases: list[Case], reports) -> dict[str, float | list]:
    """Detection rate on bad cases and false-rejection rate on good ones."""
    bad = [(c, r) for c, r in zip(cases, reports) if c.label == "bad"]
    good = [(c, r) for c, r in zip(cases, reports) if c.label == "good"]
    missed = [c.id for c, r in bad if c.expect not in {p.code for p in r.problems}]
    false = [(c.id, sorted(quality_flags(r))) for c, r in good if quality_flags(r)]
    return {
        "bad": len(bad),
        "good": len(good),
        "detected": 1 - len(missed) / max(1, len(bad)),
        "false_rejects": len(false) / max(1, len(good)),
        "missed": missed,
        "false": false,
    }


# --------------------------------------------------------------------------
# Broken files
# --------------------------------------------------------------------------

def png_bomb_header(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny valid-looking PNG whose header claims ``width`` x ``height``."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def heic_like_bytes() -> bytes:
    """The first bytes of an iPhone HEIC file (ISO-BMFF ``ftyp`` box)."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
