"""Photo quality check: "Ảnh chụp phải rõ nét, đủ độ sáng và cân đối hài hòa."

Seed ``002`` (section II.1) asks that contributed photos be sharp, bright
enough and balanced. This module turns that sentence into measurable checks
on one file and returns a :class:`~mttq.problems.FileReport` with stable
problem codes, a Vietnamese message and hint for the contributor, and the
numbers behind every verdict (``metrics``).

Design, in the order the work is done (see ``docs/photo-thresholds.md``):

1. *Sniff and header.* The format is recognised from the file's content, not
   its extension. Only JPEG, PNG and WebP are accepted (what every browser
   and Zalo/Facebook show); HEIC/AVIF get a hint to export as JPEG. Width,
   height and byte size are read from the header, so an oversized file or a
   decompression bomb is refused before a single pixel is decoded.
2. *Reduced decode.* The verdict needs a view of about 1000 px (the size a
   photo is seen at on a news page), not 12 MP: JPEGs are decoded with DCT
   scaling (``Image.draft``) straight to luminance, other formats are decoded
   and reduced. EXIF orientation is applied.
3. *Measures on the analysis view* (long side ``analysis_size``, or the
   native size when smaller), so every number is independent of the camera's
   resolution:

   * sharpness where the photo is sharp: the width of the strong edges
     (Marziliano-style equivalent ramp width ``contrast / peak slope``
     along the gradient, after a light denoise scaled to the measured
     noise), per tile of a tenth of the long side and per gradient
     direction; the photo is as sharp as its sharp region (the tiles making
     4 % of the frame: the subject), and shaken when one direction is wide
     everywhere while its orthogonal is not; edges on the 8x8 grid of a
     heavily compressed JPEG are left out, and extreme blocking is blurry;
   * enlarged photos: the power of the finest frequency band against a mid
     band, on the blocks with most structure, at full and half scale; a
     thumbnail blown up has none (``photo.upscaled``);
   * exposure: mean luminance, highlight level (99th percentile), the
     fractions crushed to black / clipped to white, and the share clipped
     in the detailed tiles (lamps and white backdrops are smooth, a burnt
     subject is not);
   * contrast: the tonal range between the 1st and 99th percentiles
     (washed out: error; gently flat: warning);
   * tilt: camera roll from long straight lines with a perspective-aware
     fit, reported only when the lines agree (error from 4.5°).

Only Pillow and NumPy are used (the site's runtime requirements).
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
from PIL import Image, UnidentifiedImageError

from mttq.core.problems import FileReport, Problem, error, warning
from mttq.photos.limits import MIB as _MIB, PhotoLimits

__all__ = [
    "ACCEPTED_FORMATS",
    "DUPLICATE_MAX_DISTANCE",
    "PhotoLimits",
    "assess_photo",
    "assess_photos",
    "duplicate_problem",
    "hamming",
    "perceptual_hash",
]

#: Formats accepted on the site, as Pillow names them (decided by content).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

#: Two photos whose 64-bit perceptual hashes differ in at most this many bits
#: are treated as the same picture (re-saved, resized, lightly edited).
DUPLICATE_MAX_DISTANCE = 10

#: Codes this module can emit (``photo.duplicate`` is wired across items).
CODES = (
    "photo.unreadable",
    "photo.too_large",
    "photo.too_small",
    "photo.blurry",
    "photo.upscaled",
    "photo.too_dark",
    "photo.too_bright",
    "photo.low_contrast",
    "photo.tilted",
    "photo.bad_aspect",
    "photo.duplicate",
)

# --------------------------------------------------------------------------
# Problems (Vietnamese messages with a concrete hint)
# --------------------------------------------------------------------------

_EXPORT_JPEG = (
    "Hãy mở ảnh trên điện thoại hoặc máy tính và lưu/xuất lại dưới dạng JPEG "
    "(.jpg), rồi gửi lại ảnh gốc."
)


def _unreadable(detail: str, hint: str = _EXPORT_JPEG) -> Problem:
    return error("photo.unreadable", f"Không đọc được ảnh: {detail}.", hint)


def _fmt_mb(n: int) -> str:
    return f"{n / _MIB:.1f}".replace(".", ",") + " MB"


def _fmt_mp(n: int) -> str:
    return f"{n / 1e6:.1f}".replace(".", ",") + " megapixel"


def duplicate_problem(other_item_path: str) -> Problem:
    """``photo.duplicate`` (warning): this photo is already used by another item."""
    return warning(
        "photo.duplicate",
        f"Ảnh này trùng hoặc gần như trùng với ảnh đã dùng ở tin/bài "
        f"“{other_item_path}”.",
        "Hãy chọn một ảnh khác chụp tại chính sự kiện này; nếu cố ý dùng lại "
        "ảnh cũ, hãy ghi rõ trong chú thích là ảnh tư liệu.",
    )


# --------------------------------------------------------------------------
# Perceptual hash
# --------------------------------------------------------------------------

def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * math.sqrt(2.0 / n)
    m[0] /= math.sqrt(2.0)
    return m


_DCT32 = _dct_matrix(32)


def perceptual_hash(path_or_image: "str | os.PathLike[str] | Image.Image") -> int:
    """64-bit pHash: signs of the 8x8 lowest DCT frequencies of a 32x32 view.

    Robust to resizing, recompression and mild exposure changes; the
    distance between two hashes is :func:`hamming`.
    """
    if isinstance(path_or_image, Image.Image):
        im = path_or_image
        close = False
    else:
        im = _open(str(path_or_image))
        close = True
        if im.format == "JPEG":
            im.draft("L", (64, 64))  # our own file object: decode small
    try:
        oriented = _apply_orientation(im, _orientation(im))
        gray = _to_luma_image(oriented).resize((32, 32), Image.Resampling.BOX)
        a = np.asarray(gray, dtype=np.float64)  # the bits do not depend on scale
        freq = _DCT32 @ a @ _DCT32.T
        low = freq[:8, :8].ravel()
        median = np.median(low[1:])
        bits = low > median
        value = 0
        for bit in bits:
            value = (value << 1) | int(bit)
        return value
    finally:
        if close:
            im.close()


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two hashes."""
    return bin((a ^ b) & ((1 << 64) - 1)).count("1")


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

_HEIF_BRANDS = {
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
    b"mif1", b"msf1", b"avif", b"avis",
}

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(im: Image.Image) -> int:
    """EXIF orientation (1–8), read without decoding pixels."""
    try:
        if im.format == "PNG" and "exif" not in im.info:
            return 1  # PngImageFile.getexif() would decode the whole image
        value = im.getexif().get(0x0112, 1)
        return int(value) if int(value) in range(1, 9) else 1
    except Exception:
        return 1


def _apply_orientation(im: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im


def _to_luma_image(im: Image.Image) -> Image.Image:
    """Gamma-encoded luma ('L', or 'I'/'F' for deep PNGs); alpha over white."""
    if im.mode in ("L",):
        return im
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        return im if im.mode in ("I", "F") else im.convert("I")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("RGBA", "LA", "RGBa", "La", "PA"):
        rgba = im.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(base, rgba)
    return im.convert("L")


def _sniff_other(head: bytes) -> str | None:
    """Name a format we refuse, from its magic bytes (for a better hint)."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIC"
    if head.startswith(b"GIF8"):
        return "GIF"
    if head.startswith(b"BM"):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head.startswith(b"%PDF"):
        return "PDF"
    return None


class _TooLarge(ValueError):
    def __init__(self, pixels: int | None):
        super().__init__(pixels)
        self.pixels = pixels


def _open(path: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(path, formats=list(ACCEPTED_FORMATS))
        except Image.DecompressionBombError as exc:
            found = re.search(r"(\d+) pixels", str(exc))
            raise _TooLarge(int(found.group(1)) if found else None) from None


# --------------------------------------------------------------------------
# Small NumPy image operations (no SciPy at run time)
# --------------------------------------------------------------------------

def _conv1d(a: np.ndarray, k: np.ndarray, r: int, axis: int) -> np.ndarray:
    """Symmetric 1-D convolution along ``axis`` with reflected borders."""
    if axis == 1:
        p = np.pad(a, ((0, 0), (r, r)), mode="reflect")
        n = a.shape[1]

        def sl(i: int) -> np.ndarray:
            return p[:, i:i + n]
    else:
        p = np.pad(a, ((r, r), (0, 0)), mode="reflect")
        n = a.shape[0]

        def sl(i: int) -> np.ndarray:
            return p[i:i + n, :]
    out = sl(r) * k[r]
    tmp = np.empty_like(out)
    for i in range(1, r + 1):
        np.add(sl(r - i), sl(r + i), out=tmp)
        tmp *= k[r + i]
        out += tmp
    return out


def _gauss(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur (truncated at 3 sigma), reflected borders."""
    if sigma <= 0 or min(a.shape) < 2:
        return a
    r = max(1, int(math.ceil(3 * sigma)))
    r = min(r, min(a.shape) - 1)
    x = np.arange(-r, r + 1, dtype=np.float32)
    k = np.exp(-(x * x) / (2 * sigma * sigma))
    k /= k.sum()
    return _conv1d(_conv1d(a, k, r, 1), k, r, 0)


def _gradients(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gx = np.zeros_like(a)
    gy = np.zeros_like(a)
    gx[:, 1:-1] = (a[:, 2:] - a[:, :-2]) * 0.5
    gy[1:-1, :] = (a[2:, :] - a[:-2, :]) * 0.5
    return gx, gy


def _noise_sigma(a: np.ndarray) -> float:
    """Immerkær's noise estimate, made robust to edges with a median."""
    if min(a.shape) < 3:
        return 0.0
    h, w = a.shape

    def at(dy: int, dx: int) -> np.ndarray:  # the mask's taps, every 2nd pixel
        return a[dy:h - 2 + dy:2, dx:w - 2 + dx:2]

    c = (
        at(0, 0) - 2 * at(0, 1) + at(0, 2)
        - 2 * at(1, 0) + 4 * at(1, 1) - 2 * at(1, 2)
        + at(2, 0) - 2 * at(2, 1) + at(2, 2)
    )
    # |c| of Gaussian noise has median 0.6745 * 6 * sigma.
    return float(np.median(np.abs(c)) / (0.6745 * 6.0))


def _bilinear(a: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    h, w = a.shape
    xs = np.clip(xs, 0, w - 1.001)
    ys = np.clip(ys, 0, h - 1.001)
    x0 = xs.astype(np.int32)
    y0 = ys.astype(np.int32)
    fx = xs - x0
    fy = ys - y0
    # flat indices: one gather per corner, cheaper than 2-D fancy indexing
    af = a.ravel()
    i = y0 * w + x0
    left, right = af[i], af[i + 1]
    top = left + (right - left) * fx
    left, right = af[i + w], af[i + w + 1]
    bot = left + (right - left) * fx
    return top + (bot - top) * fy


# --------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------

_EDGE_SAMPLES = 6000
_TILES_PER_SIDE = 10  # sharpness tiles: a tenth of the long side
_TILE_MIN_EDGES = 12  # edges a tile needs to be judged
_TILE_MIN_DIR_EDGES = 6  # edges a tile needs in one direction to judge it
_BLOCKY = 2.0  # JPEG blockiness from which block-boundary edges are ignored
_SHAKE_RATIO = 1.6  # a direction this much wider than its orthogonal: shake
_FFT_WINDOW = 128  # px of the view, around each tile of the sharp region
_FFT_TILES = 5  # blocks (most structure first) whose fine detail is measured
_PROFILE_RADIUS = 14
_SLOPE_FRACTION = 0.2
_COARSE_SIGMA = 2.0
_TILT_SAMPLES = 20000
_TILT_TOLERANCE = 0.6  # degrees: lines agreeing with a roll hypothesis
_TILT_RHO_BIN = 2.0  # px: width of a Hough line bin
_HORIZON_SPAN = 0.6  # long sides a level line must reach across to be a horizon
_BROAD_FACTOR = 4  # the large-scale view for horizons: a quarter of the view
_BROAD_MIN_VIEW = 800  # px of the view below which the large scale is not read
_FAN_DEGREES = 4.0  # lines this close in angle crossing in the frame: one fan
_TILT_MIN_GRADIENT = 0.005  # coarse gradient an edge pixel needs to vote for a
#: line (dusk and night horizons are faint in luma)


def _edge_pixels(g: np.ndarray, gx: np.ndarray, gy: np.ndarray, thr: float):
    """Non-maximum-suppressed edge pixels (as in Canny) with slope > thr."""
    h, w = g.shape
    inner = np.zeros_like(g, dtype=bool)
    inner[1:-1, 1:-1] = g[1:-1, 1:-1] > thr
    idx = np.flatnonzero(inner)
    if idx.size == 0:
        return idx, idx
    ax = np.abs(gx.ravel()[idx])
    ay = np.abs(gy.ravel()[idx])
    t = 0.41421356  # tan(22.5°)
    same_sign = (gx.ravel()[idx] * gy.ravel()[idx]) > 0
    # neighbour offset along the gradient: x, y, or one of the diagonals
    step = np.where(ay <= ax * t, 1, np.where(ax <= ay * t, w, np.where(same_sign, w + 1, w - 1)))
    gf = g.ravel()
    c = gf[idx]
    keep = (c >= gf[idx - step]) & (c > gf[idx + step])
    idx = idx[keep]
    return idx // w, idx % w


def _measure_edges(a: np.ndarray, noise: float, limits: PhotoLimits,
                   grid=None, cbcr: np.ndarray | None = None) -> dict[str, Any]:
    """Sharpness and tilt from one pass of edge detection on the analysis view."""
    # Edges are located on a coarse view (sigma 2 px): there a blurred edge is
    # found as surely as a sharp one, and its direction is stable under noise.
    c = _gauss(a, _COARSE_SIGMA)
    cgx, cgy = _gradients(c)
    cg = np.sqrt(cgx * cgx + cgy * cgy)
    noise_c = noise / (2.0 * _COARSE_SIGMA * math.sqrt(math.pi))
    thr = max(0.005, 5.0 * noise_c)
    ys, xs = _edge_pixels(cg, cgx, cgy, thr)
    out: dict[str, Any] = {}
    if grid is not None:
        # edges that sit on a JPEG block boundary, across it, are left out
        across_x = np.abs(cgx[ys, xs]) >= np.abs(cgy[ys, xs])
        on_grid = grid.on_boundary(ys, xs, across_x)
        sy, sx = ys[~on_grid], xs[~on_grid]
    else:
        sy, sx = ys, xs
    out.update(_sharpness(a, noise, sy, sx, cgx, cgy, limits))
    out.update(_fine_detail(a, cg))
    strong = cg[ys, xs] >= _TILT_MIN_GRADIENT
    out.update(_tilt(ys[strong], xs[strong], cgx, cgy, a.shape, limits,
                     broad=_broad_lines(c, noise_c, limits, cbcr)))
    return out


def _broad_lines(c: np.ndarray, noise_c: float, limits: PhotoLimits,
                 cbcr: np.ndarray | None = None):
    """Long lines of the *large-scale* structure: a tree line, a field edge,
    a hazy or night horizon.

    A natural horizon is a boundary between two regions (sky and land, water
    and shore), wavy by a few pixels and broken by texture at the scale of
    the analysis view, so the Hough transform there sees it as short pieces.
    At a quarter of the scale (every 4th pixel of the coarse view, then a
    Gaussian of 1 px: about 4.5 view pixels in all) the wiggles fall within one
    Hough bin and grass, leaves and ripples average out, while the boundary
    keeps its contrast. The lines found there are in the same units (long
    sides) as the fine ones.
    """
    f = _BROAD_FACTOR
    h, w = c.shape[0] // f * f, c.shape[1] // f * f
    # on a small view the quarter scale has too few pixels to read an angle
    # (a 128 px line is good to about 1 degree): the fine lines decide alone
    if max(h, w) < _BROAD_MIN_VIEW or min(h, w) < 16 * f:
        return None
    # every 4th pixel of the coarse view (already smoothed by sigma 2 px,
    # so it does not alias much), smoothed again by 1 px of the small view
    small = _gauss(np.ascontiguousarray(c[:h:f, :w:f]), 1.0)
    gx, gy = _gradients(small)
    if cbcr is not None and cbcr.shape[1:] == small.shape:
        # A sea horizon at dusk, pink sky over grey water, may differ in
        # colour more than in luma. The boundary is where the *colour*
        # changes, in any of its three components: the direction and size of
        # the change are those of the largest eigenvalue of the structure
        # tensor summed over Y, Cb and Cr (Di Zenzo 1986), in the units JPEG
        # stores them in. With no colour change it is the luma gradient.
        jxx, jyy, jxy = gx * gx, gy * gy, gx * gy
        for ch in cbcr:
            cx_, cy_ = _gradients(_gauss(np.ascontiguousarray(ch), 1.0))
            jxx = jxx + cx_ * cx_
            jyy = jyy + cy_ * cy_
            jxy = jxy + cx_ * cy_
        half = 0.5 * (jxx - jyy)
        g = np.sqrt(np.maximum(0.0, 0.5 * (jxx + jyy) + np.sqrt(half * half + jxy * jxy)))
        theta = 0.5 * np.arctan2(2.0 * jxy, jxx - jyy)
        gx, gy = g * np.cos(theta), g * np.sin(theta)
    else:
        g = np.sqrt(gx * gx + gy * gy)
    # a step of height s gives 0.4 s here against 0.2 s on the coarse view
    thr = max(2.0 * _TILT_MIN_GRADIENT, 2.0 * 5.0 * noise_c / f)
    ys, xs = _edge_pixels(g, gx, gy, thr)
    lines = _long_lines(ys, xs, gx, gy, small.shape, limits.tilt_search_degrees)
    if lines is None:
        return None
    # Only near-horizontal lines are kept. At this scale a boundary is a
    # band a few pixels thick, and the Hough transform finds it as a fan:
    # lines at several angles that cross inside the band. A fan is one
    # structure: only its strongest line is kept (a weaker line crossing a
    # stronger one inside the frame at less than _FAN_DEGREES is dropped).
    # Two real boundaries at a small angle to each other meet outside the
    # frame.
    d, off, wt, fam, span = lines
    kept: list[int] = []
    for i in np.argsort(-wt):
        if fam[i] != 1:
            # verticals are built, straight and sharp: the fine scale finds
            # them; here a soft subject (a person, a tree) would only add
            # rival rolls
            continue
        if not any(fam[j] == fam[i] and abs(d[j] - d[i]) <= _FAN_DEGREES
                   and abs(off[j] - off[i]) <= 0.5 * abs(math.tan(math.radians(d[j] - d[i]))) + 0.01
                   for j in kept):
            kept.append(int(i))
    k = np.array(kept, dtype=np.int64)
    return d[k], off[k], wt[k], fam[k], span[k]


def _sharpness(a: np.ndarray, noise: float, ys: np.ndarray, xs: np.ndarray,
               cgx: np.ndarray, cgy: np.ndarray, limits: PhotoLimits) -> dict[str, Any]:
    """Edge width of the strong edges, per gradient direction.

    For each edge the luminance profile across it is sampled along the
    gradient on a lightly denoised view; the edge's extent is where the slope
    stays above ``_SLOPE_FRACTION`` of its peak, and its width is the
    equivalent ramp width ``contrast / peak slope`` (Marziliano's edge width,
    made robust: a Gaussian-blurred step of sigma s gives about 2.4 s).
    """
    # Light denoise: enough that noise cannot break a wide edge into narrow
    # pieces (noise must never pass for sharpness), stronger when noisier.
    sigma_s = 0.7 + min(1.5, 25.0 * noise)
    out: dict[str, Any] = {"denoise_sigma": round(sigma_s, 2)}
    if ys.size == 0:
        out.update(edge_width=None, edges_measured=0)
        return out
    s = _gauss(a, sigma_s)
    if ys.size > _EDGE_SAMPLES:
        rng = np.random.default_rng(12345)
        pick = rng.choice(ys.size, _EDGE_SAMPLES, replace=False)
        ys, xs = ys[pick], xs[pick]
    gxs = cgx[ys, xs]
    gys = cgy[ys, xs]
    gm = np.hypot(gxs, gys)
    ux = gxs / gm
    uy = gys / gm
    r = _PROFILE_RADIUS
    t = np.arange(-r, r + 1, dtype=np.float32)
    # float32 throughout (int + float32 would give float64: twice the work)
    fy, fx = ys.astype(np.float32), xs.astype(np.float32)
    prof = _bilinear(s, fy[:, None] + uy[:, None] * t[None, :],
                     fx[:, None] + ux[:, None] * t[None, :])  # rises across the edge
    slope = np.empty_like(prof)
    slope[:, 1:-1] = (prof[:, 2:] - prof[:, :-2]) * 0.5
    slope[:, 0] = slope[:, 1]
    slope[:, -1] = slope[:, -2]
    # the peak slope near the centre (the coarse and fine maxima may differ by a pixel)
    centre = slope[:, r - 1:r + 2]
    k = centre.argmax(axis=1) + (r - 1)
    rows = np.arange(prof.shape[0])
    peak = slope[rows, k]
    low = slope < (_SLOPE_FRACTION * peak)[:, None]
    idx = np.arange(2 * r + 1)[None, :]
    after = low & (idx > k[:, None])
    before = low & (idx < k[:, None])
    hi = np.where(after.any(axis=1), after.argmax(axis=1), 2 * r)
    lo = np.where(before.any(axis=1), 2 * r - before[:, ::-1].argmax(axis=1), 0)
    contrast = prof[rows, hi] - prof[rows, lo]
    # Strong edges only: contrast far above the noise and the JPEG block
    # steps. An edge wider than the window keeps its (under-)estimate.
    min_contrast = max(0.08, 5.0 * noise)
    ok = (contrast >= min_contrast) & (peak > 1e-4)
    width = contrast[ok] / peak[ok]
    ang = np.degrees(np.arctan2(uy[ok], ux[ok])) % 180.0
    out["edges_measured"] = int(width.size)
    if width.size < limits.min_edges:
        out["edge_width"] = None
        return out
    bins = (((ang + 22.5) // 45.0) % 4).astype(np.int32)
    out["edge_width_all"] = round(float(np.percentile(width, 25)), 3)
    out.update(_sharp_region(width, bins, ys[ok], xs[ok], a.shape, limits))
    return out


def _group_quantile(values: np.ndarray, groups: np.ndarray, n_groups: int,
                    q: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-group quantile (nearest rank) and count, for integer group ids."""
    counts = np.bincount(groups, minlength=n_groups)
    order = np.lexsort((values, groups))
    sorted_v = values[order]
    starts = np.cumsum(counts) - counts
    idx = starts + np.floor(q * np.maximum(counts - 1, 0)).astype(np.int64)
    qv = np.full(n_groups, np.nan)
    has = counts > 0
    qv[has] = sorted_v[np.minimum(idx[has], values.size - 1)]
    return qv, counts


def _sharp_region(width: np.ndarray, bins: np.ndarray, ys: np.ndarray, xs: np.ndarray,
                  shape: tuple[int, int], limits: PhotoLimits) -> dict[str, Any]:
    """How sharp the photo is where it is sharpest.

    The frame is cut into square tiles (a tenth of the long side). A tile is
    as sharp as the sharper quarter of its edges, *in its worst gradient
    direction* (camera shake smears one direction everywhere, so a shaken
    tile is wide in that direction even where the others stay crisp). The
    photo is as sharp as its sharp region: the ``k``-th sharpest tile, where
    ``k`` tiles make ``sharp_region_share`` of the frame (the subject). A
    small subject in focus on a soft background is therefore sharp; a photo
    whose sharpest region is soft, or smeared in one direction, is not.
    """
    h, w = shape
    tile = max(16, int(round(max(h, w) / _TILES_PER_SIDE)))
    nty, ntx = -(-h // tile), -(-w // tile)
    n_tiles = nty * ntx
    tid = (ys // tile) * ntx + (xs // tile)
    k = max(2, int(math.ceil(limits.sharp_region_share * n_tiles)))
    out: dict[str, Any] = {"sharp_region_tiles": k}
    all_q, all_n = _group_quantile(width, tid, n_tiles, 0.25)
    dir_q, dir_n = _group_quantile(width, tid * 4 + bins, n_tiles * 4, 0.25)
    dir_q = dir_q.reshape(n_tiles, 4)
    dir_n = dir_n.reshape(n_tiles, 4)
    dir_ok = dir_n >= _TILE_MIN_DIR_EDGES
    worst = np.where(dir_ok, dir_q, -np.inf).max(axis=1)
    n_dirs = dir_ok.sum(axis=1)
    # a tile with edges in one direction only is judged on all its edges
    score = np.where(n_dirs >= 2, worst, all_q)
    valid = all_n >= _TILE_MIN_EDGES
    out["sharp_tiles"] = int(valid.sum())
    if valid.sum() < k:
        out["edge_width"] = None
        out["sharp_region_width"] = None
        out["_tiles"] = {"tile": tile, "ntx": ntx, "nty": nty, "counts": all_n}
        return out
    ranked = np.argsort(np.where(valid, score, np.inf))
    region = ranked[:k]
    region_width = float(score[region[-1]])
    # directions measured over the whole frame, for the record (shake shows
    # as one direction much wider than the others)
    per_dir = []
    for b in range(4):
        ok_b = dir_ok[:, b]
        per_dir.append(round(float(np.sort(dir_q[ok_b, b])[min(k, ok_b.sum()) - 1]), 3)
                       if ok_b.sum() >= k else None)
    # Camera shake smears every region along one direction: edges whose
    # gradient lies along the smear widen everywhere, the orthogonal ones do
    # not. The sharp region of each gradient direction (its k-th sharpest
    # tile) shows it: one direction wide, the orthogonal one much sharper.
    shake, shake_dir = 0.0, None
    for b in range(4):
        wide, ortho = per_dir[b], per_dir[(b + 2) % 4]
        ref = ortho if ortho is not None else region_width
        if wide is not None and wide >= _SHAKE_RATIO * ref and wide > shake:
            shake, shake_dir = wide, b * 45
    out["edge_width"] = round(max(region_width, shake), 3)
    out["sharp_region_width"] = round(region_width, 3)
    out["edge_width_by_direction"] = per_dir
    out["shake_direction"] = shake_dir
    # share of the frame (of the tiles with edges) about as sharp as the region
    out["in_focus_share"] = round(float((valid & (score <= limits.max_edge_width)).sum()) / n_tiles, 3)
    out["_tiles"] = {"tile": tile, "ntx": ntx, "nty": nty, "counts": all_n}
    return out


def _fine_detail(a: np.ndarray, cg: np.ndarray) -> dict[str, Any]:
    """Detail near the view's resolution, where the photo has most detail.

    A photo blown up from a thumbnail has no detail above the thumbnail's
    resolution: in the view its spectrum stops short of the pixel grid,
    whatever the pixel count of the file says. The blocks of ``_FFT_WINDOW``
    px with the most mid-scale structure (gradient energy at the coarse
    scale) are Hann-windowed and Fourier transformed. The mean power of the
    finest band (0.6–0.9 of the Nyquist frequency) is compared with the
    mean power of a mid band (0.2–0.35): ``fine_detail`` is their ratio, the
    median over the best three blocks. The bins along the two axes are left
    out: JPEG's 8-px block grid puts its energy there.

    For a natural photo the power falls about as 1/f² (so a perfectly sharp
    photo gives about (0.275/0.75)² ≈ 0.13), and lens, focus and resizing
    lower it gradually: camera photos, even soft ones, keep 0.003 or more.
    Interpolation cuts the spectrum off at the source's resolution: a 400 px
    photo enlarged to 2000–4000 px keeps 0.002 or less (its finest band
    holds only rounding noise). ``effective_resolution`` is the long side
    the detail corresponds to: where the whitened spectrum (power × f²)
    falls below 2 % of its mid-band level, times the view's long side.
    """
    out: dict[str, Any] = {"fine_detail": None, "effective_resolution": None}
    n = _FFT_WINDOW
    h, w = a.shape
    g2 = cg * cg
    by, bx = h // n, w // n
    energy = g2[:by * n, :bx * n].reshape(by, n, bx, n).sum(axis=(1, 3)) if by and bx else None
    full = _fine_ratio(a, energy, 1)
    # the half-scale view, block by block (a 2n block of the view is an n
    # block at half scale): only the chosen blocks are reduced
    half = None
    if energy is not None and by >= 2 and bx >= 2:
        e2 = energy[:by // 2 * 2, :bx // 2 * 2].reshape(by // 2, 2, bx // 2, 2).sum(axis=(1, 3))
        half = _fine_ratio(a, e2, 2)
    out["fine_detail_half"] = round(half[0], 5) if half else None
    out["fine_detail_full"] = round(full[0], 5) if full else None
    if full is None and half is None:
        return out
    # "No detail above the source's resolution at any scale": the finer
    # scale shows a 400 px source in a 1000 px view, the coarser one a
    # 200–300 px source (in the full view its cut-off is below the mid band).
    cands = [(r, c * max(h, w)) for r, c in ([full] if full else [])]
    cands += [(r, c * max(h, w) / 2) for r, c in ([half] if half else [])]
    ratio, eff = min(cands)
    out["fine_detail"] = round(ratio, 5)
    out["effective_resolution"] = int(round(eff))
    return out


def _fine_ratio(a: np.ndarray, energy: np.ndarray | None, step: int) -> tuple[float, float] | None:
    """(finest-band / mid-band power, cut-off in Nyquist units) of ``a`` seen
    at 1/``step`` scale, on the blocks with the most ``energy``."""
    if energy is None:
        return None
    n = _FFT_WINDOW
    bx = energy.shape[1]
    blocks = np.argsort(-energy.ravel())[:_FFT_TILES]
    win, top, mid, ring, ring_n, off_axis, floor = _fft_masks()
    found: list[tuple[float, float, float]] = []
    size = n * step
    for b in blocks:
        y0, x0 = int(b // bx) * size, int(b % bx) * size
        patch = a[y0:y0 + size, x0:x0 + size]
        if step > 1:
            patch = patch.reshape(n, step, n, step).mean(axis=(1, 3))
        p = np.abs(np.fft.fft2((patch - patch.mean()) * win)) ** 2
        d_mid = float(p[mid].mean())
        if d_mid < 100.0 * floor:  # too little structure to judge
            continue
        ratio = float(p[top].mean()) / d_mid
        dens = np.bincount(ring[off_axis], weights=p[off_axis], minlength=20) / np.maximum(ring_n, 1)
        white = dens * (np.arange(20) * 0.05 + 0.025) ** 2
        ref = float(np.median(white[4:7]))
        above = np.nonzero(white >= 0.02 * ref)[0]
        cut = min(1.0, (above.max() + 1) * 0.05) if above.size else 0.0
        found.append((d_mid, ratio, cut))
    if not found:
        return None
    found.sort(reverse=True)
    best = sorted(found[:3], key=lambda t: t[1])
    return best[len(best) // 2][1], best[len(best) // 2][2]


_FFT_CACHE: dict[int, tuple] = {}


def _fft_masks():
    n = _FFT_WINDOW
    if n not in _FFT_CACHE:
        win = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
        f = np.fft.fftfreq(n)
        fy, fx = f[:, None], f[None, :]
        r = np.sqrt(fy * fy + fx * fx) / 0.5  # in units of the Nyquist frequency
        off_axis = (np.abs(fx) * n >= 3) & (np.abs(fy) * n >= 3)
        top = (r >= 0.6) & (r <= 0.9) & off_axis
        mid = (r >= 0.2) & (r < 0.35) & off_axis
        ring = np.minimum((r / 0.05).astype(np.int32), 19)
        ring_n = np.bincount(ring[off_axis], minlength=20)
        # rounding to 8 bits leaves white noise of variance 1/12 LSB²
        floor = (1.0 / 255.0) ** 2 / 12.0 * float((win ** 2).sum())
        _FFT_CACHE[n] = (win, top, mid, ring, ring_n, off_axis, floor)
    return _FFT_CACHE[n]


def _exposure(a8: np.ndarray, limits: PhotoLimits) -> dict[str, Any]:
    hist = np.bincount(a8.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    cdf = np.cumsum(hist) / total

    def pct(q: float) -> float:
        return float(np.searchsorted(cdf, q)) / 255.0

    levels = np.arange(256) / 255.0
    mean = float((hist * levels).sum() / total)
    std = float(math.sqrt(max(0.0, (hist * (levels - mean) ** 2).sum() / total)))
    black = float(hist[: int(round(limits.black_level * 255)) + 1].sum() / total)
    white = float(hist[int(round(limits.white_level * 255)):].sum() / total)
    p01, p99 = pct(0.01), pct(0.99)
    # clipped share over the share just below white: how far past the top
    # of the range the brightest surfaces were pushed
    lo = int(round(limits.white_level * 255))
    below = float(hist[lo - 15:lo].sum() / total)
    overshoot = white / below if below > 0 else (math.inf if white > 0 else 0.0)
    return {
        "clip_overshoot": round(overshoot, 3) if math.isfinite(overshoot) else 1e9,
        "mean_luminance": round(mean, 4),
        "rms_contrast": round(std, 4),
        "shadows_p01": round(p01, 4),
        "median_luminance": round(pct(0.5), 4),
        "highlights_p99": round(p99, 4),
        "black_fraction": round(black, 4),
        "white_fraction": round(white, 4),
        "tonal_range": round(p99 - p01, 4),
        "michelson_contrast": round((p99 - p01) / max(p99 + p01, 1e-6), 4),
    }


def _window_max(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    """Maximum over [i - r, i + r] along ``axis`` (zero outside), built by
    doubling: windows of 1, 2, 4, then 2r + 1 cells (3 passes for r = 3
    instead of 7)."""
    n = a.shape[axis]
    width = 2 * r + 1
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r, r + width)
    m = np.pad(a, pad)
    w = 1
    while w < width:
        step = min(w, width - w)
        size = m.shape[axis] - step
        lo = [slice(None), slice(None)]
        hi = [slice(None), slice(None)]
        lo[axis] = slice(0, size)
        hi[axis] = slice(step, step + size)
        m = np.maximum(m[tuple(lo)], m[tuple(hi)])
        w += step
    keep = [slice(None), slice(None)]
    keep[axis] = slice(0, n)
    return m[tuple(keep)]


def _local_max_2d(acc: np.ndarray, rd: int, rr: int) -> np.ndarray:
    """Boolean mask of cells equal to the maximum of their (2rd+1, 2rr+1) box."""
    return acc >= _window_max(_window_max(acc, rr, 1), rd, 0)


def _long_lines(ys: np.ndarray, xs: np.ndarray, gx: np.ndarray, gy: np.ndarray,
                shape: tuple[int, int], search: float):
    """Long straight lines near level/plumb: (angle°, offset, length, family).

    ``offset`` is the signed distance of the line from the image centre and
    ``length`` its number of edge pixels, both in long sides; ``family`` is 0
    for near-vertical lines, 1 for near-horizontal ones. Angles are the tilt
    each line shows, counter-clockwise positive.
    """
    h, w = shape
    long_side = max(shape)
    step, win, rho_bin = 0.2, 1.6, _TILT_RHO_BIN
    if ys.size < 20:
        return None
    gxs = gx[ys, xs]
    gys = gy[ys, xs]
    theta = np.degrees(np.arctan2(gys, gxs))
    d_pix = -((theta + 45.0) % 90.0 - 45.0)  # the pixel's own line tilt
    keep = np.abs(d_pix) <= search + win
    vertical = (np.abs(gxs) >= np.abs(gys))[keep]
    ys, xs, d_pix = ys[keep], xs[keep], d_pix[keep]
    fraction = 1.0
    if ys.size > _TILT_SAMPLES:
        rng = np.random.default_rng(54321)
        pick = rng.choice(ys.size, _TILT_SAMPLES, replace=False)
        fraction = _TILT_SAMPLES / ys.size
        ys, xs, d_pix, vertical = ys[pick], xs[pick], d_pix[pick], vertical[pick]
    nd = int(round(2 * search / step)) + 1
    angles = -search + step * np.arange(nd)
    rad = np.radians(angles).astype(np.float32)
    cos_t, sin_t = np.cos(rad), np.sin(rad)
    offs = np.arange(-int(round(win / step)), int(round(win / step)) + 1)
    diag = math.hypot(h, w)
    nr = int(2 * diag / rho_bin) + 2
    lmin = max(5.0, 0.08 * long_side * fraction)
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    ang_l: list[np.ndarray] = []
    off_l: list[np.ndarray] = []
    wt_l: list[np.ndarray] = []
    fam_l: list[np.ndarray] = []
    span_l: list[np.ndarray] = []
    for fam, sel in ((0, vertical), (1, ~vertical)):
        y = ys[sel].astype(np.float32) - cy
        x = xs[sel].astype(np.float32) - cx
        if y.size == 0:
            continue
        base = np.round((d_pix[sel] + search) / step).astype(np.int64)
        di = base[:, None] + offs[None, :]
        ok = (di >= 0) & (di < nd)
        di = np.clip(di, 0, nd - 1)
        if fam == 1:  # near-horizontal: rho = y cos d + x sin d
            rho = y[:, None] * cos_t[di] + x[:, None] * sin_t[di]
        else:  # near-vertical: rho = x cos d - y sin d
            rho = x[:, None] * cos_t[di] - y[:, None] * sin_t[di]
        ri = np.round((rho + diag) / rho_bin).astype(np.int64)
        acc = np.bincount((di * nr + ri)[ok], minlength=nd * nr).reshape(nd, nr)
        peaks = (acc >= lmin) & _local_max_2d(acc, 3, 3)
        pd, pr = np.nonzero(peaks)
        if pd.size == 0:
            continue
        votes = acc[pd, pr].astype(np.float64)
        order = np.argsort(-votes)[:40]
        pd, pr, votes = pd[order], pr[order], votes[order]
        d = angles[pd]
        rho_c = pr * rho_bin - diag
        # offset of the line from the centre, across its direction (in long sides)
        off = rho_c / np.cos(np.radians(d)) / long_side
        ang_l.append(d)
        off_l.append(off)
        wt_l.append(votes / fraction / long_side)
        fam_l.append(np.full(d.size, fam))
        # how far each near-horizontal line reaches across the frame (only
        # those: the span tells a horizon from an object's edge, below)
        span_l.append(_line_spans(y, x, d_pix[sel], d, rho_c, rho_bin, win) / long_side
                      if fam == 1 else np.zeros(d.size))
    if not ang_l:
        return None
    return (np.concatenate(ang_l), np.concatenate(off_l), np.concatenate(wt_l),
            np.concatenate(fam_l), np.concatenate(span_l))


def _line_spans(y: np.ndarray, x: np.ndarray, d_pix: np.ndarray, d: np.ndarray,
                rho_c: np.ndarray, rho_bin: float, win: float) -> np.ndarray:
    """How far each near-horizontal line reaches along itself (px): the
    5th–95th percentile of the positions of the pixels that voted for it."""
    rad = np.radians(d).astype(np.float32)
    c, s = np.cos(rad)[None, :], np.sin(rad)[None, :]
    yy, xx = y[:, None], x[:, None]
    rho = yy * c + xx * s
    on = (np.abs(rho - rho_c[None, :].astype(np.float32)) <= rho_bin * 0.5) & (
        np.abs(d_pix[:, None] - d[None, :]) <= win)
    along = xx * c - yy * s
    out = np.zeros(d.size)
    for k in range(d.size):
        t = along[on[:, k], k]
        if t.size >= 2:
            lo, hi = np.percentile(t, (5.0, 95.0))
            out[k] = hi - lo
    return out


def _merge_lines(d: np.ndarray, off: np.ndarray, wt: np.ndarray, fam: np.ndarray,
                 span: np.ndarray):
    """One entry per physical structure: the two edges of a pole, a shelf or
    a banner (close, parallel) count once, with the longer length."""
    order = np.argsort(-wt)
    kept: list[int] = []
    for i in order:
        if any(fam[j] == fam[i] and abs(d[j] - d[i]) <= _TILT_TOLERANCE
               and abs(off[j] - off[i]) <= 0.03 for j in kept):
            continue
        kept.append(int(i))
    k = np.array(kept, dtype=np.int64)
    return d[k], off[k], wt[k], fam[k], span[k]


def _tilt(ys: np.ndarray, xs: np.ndarray, gx: np.ndarray, gy: np.ndarray,
          shape: tuple[int, int], limits: PhotoLimits, broad=None) -> dict[str, Any]:
    """Camera roll from the long straight lines near level or plumb.

    1. A Hough transform of the edge pixels, restricted to lines within
       ``tilt_search_degrees`` of horizontal or vertical (two families),
       finds the long straight lines (at least 8 % of the long side).
    2. Perspective makes lines lean by an amount that grows with their
       distance from the image centre (verticals converge when the phone
       points up, horizontals when it looks along a wall), while a camera
       roll turns every line by the same angle. Each hypothesis
       ``angle = roll + k * offset`` (one perspective slope ``k`` per family)
       is scored by the total length of the lines it explains within
       ``_TILT_TOLERANCE``. A slope ``k`` is only accepted when the lines it
       explains lie on both sides of the centre (otherwise lean and roll
       cannot be told apart, and ``k = 0``). A mild prior prefers small
       rolls and slopes: slanted objects (a ladder, a tripod leg) are common,
       a camera rolled by 10° is not.
    3. The roll is reported only when the agreeing lines are long enough in
       total and clearly outweigh the best level explanation; otherwise
       ``tilt_angle`` is ``None`` (no opinion) or ``0.0`` (confidently level).
    """
    lines = _long_lines(ys, xs, gx, gy, shape, limits.tilt_search_degrees)
    if broad is not None:
        if lines is not None:
            # a structure seen at both scales counts once, with the fine
            # line's angle (the more precise); the large scale only adds
            # the lines the fine one missed
            d, off, _, fam, _ = lines
            bd, boff, _, bfam, _ = broad
            seen = ((np.abs(bd[:, None] - d[None, :]) <= 2.5 * _TILT_TOLERANCE)
                    & (np.abs(boff[:, None] - off[None, :]) <= 0.04)
                    & (bfam[:, None] == fam[None, :])).any(axis=1)
            broad = tuple(x[~seen] for x in broad)
            lines = tuple(np.concatenate([a, b]) for a, b in zip(lines, broad))
        else:
            lines = broad
    if lines is None:
        return {"tilt_angle": None, "tilt_lines": 0, "tilt_support": 0.0}
    return _tilt_from_lines(*_merge_lines(*lines), limits=limits)


def _tilt_from_lines(d: np.ndarray, off: np.ndarray, wt: np.ndarray, fam: np.ndarray,
                     span: np.ndarray, limits: PhotoLimits) -> dict[str, Any]:
    """The roll hypothesis test of :func:`_tilt` on the merged long lines."""
    out: dict[str, Any] = {"tilt_angle": None, "tilt_lines": 0, "tilt_support": 0.0}
    search = limits.tilt_search_degrees
    rolls = np.arange(-search, search + 1e-9, 0.2)
    slopes = np.arange(-40.0, 40.0 + 1e-9, 4.0)  # degrees of lean per long side
    slope_prior = np.exp(-0.5 * (slopes / 20.0) ** 2)
    total = np.zeros(rolls.size)
    best_k = np.zeros((2, rolls.size))
    for f in (0, 1):
        m = fam == f
        if not m.any():
            continue
        # Verticals may converge (k free); horizontals in perspective meet at
        # the horizon, whose height is unknown, so only level ones count (k=0).
        ks = slopes if f == 0 else np.zeros(1)
        kp = slope_prior if f == 0 else np.ones(1)
        pred = rolls[:, None, None] + ks[None, :, None] * off[m][None, None, :]
        agree = np.abs(d[m][None, None, :] - pred) <= _TILT_TOLERANCE
        score = (agree * wt[m][None, None, :]).sum(axis=2)  # (rolls, slopes)
        # Perspective and roll can only be told apart with lines on both
        # sides of the centre; lines on one side are read with k = 0.
        both = (agree & (off[m] < -0.1)).any(axis=2) & (agree & (off[m] > 0.1)).any(axis=2)
        score = np.where(both | (ks == 0.0)[None, :], score, 0.0)
        weighted = score * kp[None, :]
        j = weighted.argmax(axis=1)
        best_k[f] = ks[j]
        total += weighted[np.arange(rolls.size), j]
    prior = np.exp(-0.5 * (rolls / 8.0) ** 2)
    ranked = total * prior
    i = int(np.argmax(ranked))
    # A rival is a roll more than 1.5° away that would give another
    # verdict. Lines in perspective (wave crests, furrows, kerbs below a
    # horizon) spread by a degree or two around the roll, so a tilted scene
    # often has two close peaks on the same side; when both lie beyond the
    # same threshold (both an error, or both at least a warning, rolled the
    # same way) only the amount is in doubt, and the winner settles it.
    # Such a peak is not a rival; a level reading, a gentler one (a warning
    # where the winner says error) or one on the other side is.
    # refine the winning roll from the lines it explains
    k_line = best_k[fam, i]
    resid = d - (rolls[i] + k_line * off)
    agree = np.abs(resid) <= _TILT_TOLERANCE
    support = float(wt[agree].sum())
    roll = float(rolls[i] + np.average(resid[agree], weights=wt[agree])) if agree.any() else 0.0
    away = np.abs(rolls - rolls[i]) > 1.5
    if abs(roll) >= limits.max_tilt_degrees:
        bar = (limits.tilt_error_degrees if abs(roll) >= limits.tilt_error_degrees
               else limits.max_tilt_degrees)
        away &= ~((np.sign(rolls) == np.sign(roll)) & (np.abs(rolls) >= bar))
    rival = float(ranked[away].max(initial=0.0))
    level = float(total[np.abs(rolls) <= 0.5].max())
    out["tilt_lines"] = int(agree.sum())
    out["tilt_support"] = round(support, 3)
    out["tilt_level_support"] = round(level, 3)
    out["tilt_estimate"] = round(roll, 2)
    out["tilt_ambiguity"] = round(rival / max(float(ranked[i]), 1e-9), 3)
    enough = support >= limits.tilt_min_support and (agree.sum() >= 2 or support >= 0.4)
    clear = ranked[i] >= 1.25 * rival and (abs(roll) <= 0.5 or support >= 1.5 * level)
    if enough and clear:
        out["tilt_angle"] = round(roll, 2)
        out["tilt_evidence"] = _tilt_evidence(off[agree], wt[agree], fam[agree], span[agree])
        out["tilt_span"] = round(float(span[agree].max()), 3)
    elif level >= limits.tilt_min_support:
        out["tilt_angle"] = 0.0
    return out


def _tilt_evidence(off: np.ndarray, wt: np.ndarray, fam: np.ndarray,
                   span: np.ndarray | None = None) -> str:
    """``"strong"`` when the lines that show the roll are a level reference,
    ``"weak"`` when they may be one slanted object.

    A camera roll turns every line of the scene; the edges of an object set
    down at an angle (a camera body on a table, a book, a stair rail) are
    parallel to each other but are not level. Verticals are a reference on
    their own: a level camera keeps them plumb, and pitch is modelled by the
    perspective slope. Horizontal edges are not: in perspective they lean
    towards vanishing points at any angle, so lines of the near-horizontal
    family alone are a reference only when they are a horizon (one line over
    half the long side) or agree at different heights across the frame
    (parallel at 30 % of the long side apart: a facade or shelves facing the
    camera). Only strong evidence makes a tilt an error.
    """
    vertical = fam == 0
    if vertical.any() and (~vertical).any():
        return "strong"  # both families turned by the same angle
    if vertical.any():
        return "strong"
    if wt.max() >= 0.5 or float(np.ptp(off)) >= 0.3:
        return "strong"
    if span is not None and float(span.max()) >= _HORIZON_SPAN:
        return "strong"  # a horizon, broken or faint, that crosses the frame
    return "weak"


# --------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------

class _Grid:
    """The 8x8 JPEG block grid as seen in the analysis view.

    ``period`` is the block size in decoded pixels (8, or less after DCT
    scaling), ``scale`` decoded pixels per view pixel (>= 1); the flips
    follow the EXIF orientation. ``blockiness`` is the mean step across
    block boundaries over the mean step elsewhere, on the decoded image: 1
    for a clean photo, 1.3 and more under heavy compression.
    """

    def __init__(self, period: int, size: tuple[int, int], view: tuple[int, int],
                 orientation: int, blockiness: float):
        w, h = size
        swap = orientation in (5, 6, 7, 8)
        # decoded axis lengths in the view's orientation
        self.len_x, self.len_y = (h, w) if swap else (w, h)
        self.period = period
        self.scale = self.len_x / view[0]
        # orientations that reverse the view's x or y axis
        self.flip_x = orientation in (2, 3, 6, 7)
        self.flip_y = orientation in (3, 4, 7, 8)
        self.blockiness = blockiness

    def _near(self, v: np.ndarray, length: int, flip: bool) -> np.ndarray:
        d = (v.astype(np.float64) + 0.5) * self.scale
        if flip:
            d = length - d
        m = np.mod(d, self.period)
        dist = np.minimum(m, self.period - m)
        return dist <= self.scale + 0.5

    def separable(self) -> bool:
        """Whether edges on block boundaries can be told from the others.

        An edge pixel counts as on a boundary within ``scale + 0.5`` decoded
        pixels of it, a band of ``2 * scale + 1``. Only when the band leaves
        more than a quarter of the block period free is anything left
        between boundaries;
        a big JPEG decoded at 1/2 or 1/4 scale has blocks of 4 or 2 decoded
        pixels, and leaving its boundary edges out would leave no edge at all
        (a blurred, noisy photo saved at quality 15 then got no verdict).
        At that scale a block's steps are a fraction of a view pixel, under
        the coarse scale (sigma 2 px) that finds the edges: nothing to leave
        out.
        """
        return 2.0 * self.scale + 1.0 < 0.75 * self.period

    def on_boundary(self, ys: np.ndarray, xs: np.ndarray, across_x: np.ndarray) -> np.ndarray:
        """Edge pixels that lie on a block boundary, across it."""
        return np.where(across_x, self._near(xs, self.len_x, self.flip_x),
                        self._near(ys, self.len_y, self.flip_y))


def _jpeg_blockiness(dec: np.ndarray, period: int) -> float:
    if dec.shape[1] < 4 * period:
        return 1.0
    dx = np.abs(np.diff(dec[::2].astype(np.float32), axis=1))
    cols = np.arange(dx.shape[1]) % period == period - 1  # step from column kp-1 to kp
    return float(dx[:, cols].mean() / max(float(dx[:, ~cols].mean()), 1e-6))


def _analysis_view(im: Image.Image, orientation: int, limits: PhotoLimits,
                   decoded: Image.Image | None = None):
    """Decode at reduced scale to a luminance array of long side <= analysis.

    ``decoded``: the pixels of this very file, already decoded by the caller
    (the build's renditions: :func:`mttq.photos.renditions.encode_photo`),
    stored orientation, possibly DCT-scaled; then nothing is decoded again.

    Returns the view and, for a JPEG, its block grid (:class:`_Grid`), else
    ``None``.
    """
    w, h = im.size
    long_side = max(w, h)
    target = limits.analysis_size
    is_jpeg = im.format in ("JPEG", "MPO")
    chroma = None
    if decoded is not None:
        im, chroma = _split_chroma(decoded)
    else:
        if is_jpeg:
            # luma and the two chroma planes as stored (YCbCr); a grey JPEG
            # stays 'L'
            mode = "YCbCr" if im.mode in ("RGB", "YCbCr") else "L"
            if long_side > target:
                scale = target / long_side
                im.draft(mode, (max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))))
            else:
                im.draft(mode, (w, h))
        im.load()
        im, chroma = _split_chroma(im)
    grid_info = None
    if is_jpeg and im.mode == "L":
        period = 8 * im.size[0] / w  # 8 px blocks, DCT-scaled by the draft
        if period >= 2 and abs(period - round(period)) < 1e-6:
            grid_info = (int(round(period)), im.size,
                         _jpeg_blockiness(np.asarray(im), int(round(period))))
    im = _apply_orientation(im, orientation)
    w, h = im.size
    if max(w, h) > target:
        scale = target / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    grid = None
    if grid_info is not None:
        grid = _Grid(grid_info[0], grid_info[1], im.size, orientation, grid_info[2])
    cbcr = None
    if chroma is not None:
        # at a quarter of the view (the scale horizons are read at), 4x4 means
        f = _BROAD_FACTOR
        vw, vh = im.size
        if vw >= 16 * f and vh >= 16 * f:
            size = (vw // f, vh // f)
            cbcr = np.stack([np.asarray(_apply_orientation(ch, orientation).resize(
                size, Image.Resampling.BOX), dtype=np.float32) / 255.0 for ch in chroma])
    a = np.asarray(im)
    if im.mode == "L":
        return a.astype(np.float32) / 255.0, grid, cbcr
    a = a.astype(np.float32)
    return np.clip(a / (65535.0 if a.max() > 255 else 255.0), 0.0, 1.0), grid, cbcr


def _split_chroma(im: Image.Image):
    """Luma (as :func:`_to_luma_image`) and, for a colour photo, its Cb and
    Cr planes ('L' images), else ``None``."""
    if im.mode == "YCbCr":
        y, cb, cr = im.split()
        return y, (cb, cr)
    if im.mode == "RGB":
        _, cb, cr = im.convert("YCbCr").split()
        return im.convert("L"), (cb, cr)
    return _to_luma_image(im), None


def assess_photo(path: "str | os.PathLike[str]", limits: PhotoLimits = PhotoLimits(),
                 decoded: Image.Image | None = None) -> FileReport:
    """Check one photo. Never raises: a failure becomes ``photo.unreadable``.

    ``decoded``: the file's pixels when the caller decoded them already (see
    :func:`_analysis_view`): the header is read again, the pixels are not."""
    report = FileReport(str(path), kind="photo")
    try:
        _assess(str(path), limits, report, decoded)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        report.problems.append(_unreadable(
            f"tệp bị hỏng hoặc không phải ảnh ({type(exc).__name__})"))
    return report


def _assess(path: str, limits: PhotoLimits, report: FileReport,
            decoded: Image.Image | None = None) -> None:
    m = report.metrics
    probs = report.problems
    try:
        size_bytes = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(32)
    except OSError:
        probs.append(_unreadable(
            "không mở được tệp",
            "Hãy kiểm tra tên tệp và đường dẫn trong tin/bài, rồi chép lại ảnh vào thư mục của tin/bài.",
        ))
        return
    m["bytes"] = size_bytes
    if size_bytes == 0:
        probs.append(_unreadable("tệp rỗng (0 byte)",
                                 "Hãy chép lại ảnh gốc từ điện thoại hoặc máy ảnh; tệp hiện tại không có dữ liệu."))
        return
    if size_bytes > limits.max_bytes:
        probs.append(_too_large_bytes(size_bytes, limits))

    try:
        im = _open(path)
    except _TooLarge as big:
        m["pixels"] = big.pixels
        probs.append(_too_large_pixels(big.pixels, limits))
        return
    except UnidentifiedImageError:
        other = _sniff_other(head)
        m["format"] = other
        if other in ("HEIC", "AVIF"):
            probs.append(_unreadable(
                f"ảnh định dạng {other} (thường từ iPhone) chưa được nhận vì nhiều "
                "trình duyệt, Zalo và Facebook không hiển thị được",
                "Trên iPhone: vào Cài đặt > Camera > Định dạng, chọn “Tương thích nhất” "
                "rồi chụp lại; hoặc gửi ảnh qua Zalo/email dưới dạng JPEG (.jpg).",
            ))
        elif other is not None:
            probs.append(_unreadable(
                f"định dạng {other} không được chấp nhận (chỉ nhận JPEG, PNG, WebP)",
                _EXPORT_JPEG,
            ))
        else:
            probs.append(_unreadable(
                "tệp không phải là ảnh hoặc đã bị hỏng",
                "Hãy chép lại ảnh gốc từ điện thoại hoặc máy ảnh (JPEG, PNG hoặc WebP); "
                "không đổi đuôi tên tệp của tài liệu khác thành .jpg.",
            ))
        return

    with im:
        fmt = im.format
        raw_w, raw_h = im.size
        m["format"] = fmt
        pixels = raw_w * raw_h
        m["pixels"] = pixels
        if pixels > limits.max_pixels:
            m["width"], m["height"] = raw_w, raw_h
            probs.append(_too_large_pixels(pixels, limits))
            return
        if any(p.code == "photo.too_large" for p in probs):
            m["width"], m["height"] = raw_w, raw_h
            return
        orientation = _orientation(im)
        m["orientation"] = orientation
        width, height = (raw_h, raw_w) if orientation in (5, 6, 7, 8) else (raw_w, raw_h)
        m["width"], m["height"] = width, height
        long_side, short_side = max(width, height), max(1, min(width, height))
        aspect = long_side / short_side
        m["aspect"] = round(aspect, 3)
        if long_side < limits.min_long_side:
            probs.append(error(
                "photo.too_small",
                f"Ảnh quá nhỏ ({width}×{height} px): cạnh dài cần ít nhất "
                f"{limits.min_long_side} px để hiển thị rõ trên trang tin.",
                "Hãy gửi ảnh gốc chụp từ điện thoại hoặc máy ảnh (không gửi ảnh chụp màn "
                "hình, ảnh đã thu nhỏ hay ảnh tải từ mạng xã hội).",
            ))
        elif long_side < limits.recommended_long_side:
            probs.append(warning(
                "photo.too_small",
                f"Ảnh hơi nhỏ ({width}×{height} px): nên có cạnh dài từ "
                f"{limits.recommended_long_side} px để ảnh chia sẻ lên Zalo, Facebook được nét.",
                "Nếu còn ảnh gốc, hãy gửi ảnh gốc; khi gửi qua Zalo hãy chọn gửi ảnh "
                "chất lượng gốc (HD).",
            ))
        if aspect > limits.max_aspect:
            probs.append(error(
                "photo.bad_aspect",
                f"Ảnh quá dài và hẹp (tỉ lệ {_fmt_ratio(aspect)}:1, tối đa "
                f"{_fmt_ratio(limits.max_aspect)}:1), không vừa khung ảnh của trang tin.",
                "Hãy cắt ảnh về tỉ lệ 3:2, 4:3 hoặc 16:9, giữ chủ thể ở giữa; không dùng "
                "ảnh toàn cảnh (panorama) hay ảnh chụp màn hình dài.",
            ))

        try:
            view, grid, cbcr = _analysis_view(im, orientation, limits, decoded)
        except (OSError, SyntaxError, ValueError, EOFError):
            probs.append(_unreadable(
                f"tệp {fmt} bị hỏng hoặc bị cắt cụt (chưa chép/tải xong)",
                "Hãy chép hoặc tải lại ảnh gốc từ điện thoại; nếu gửi qua Zalo/email, "
                "chờ tải xong hoàn toàn rồi mới lưu.",
            ))
            return

    m["analysis_width"], m["analysis_height"] = int(view.shape[1]), int(view.shape[0])
    noise = _noise_sigma(view)
    m["noise_sigma"] = round(noise, 4)

    a8 = np.clip(view * 255.0 + 0.5, 0, 255).astype(np.uint8)
    m.update(_exposure(a8, limits))
    blocky = grid.blockiness if grid is not None else 1.0
    m["jpeg_blockiness"] = round(blocky, 3)
    sharp = _measure_edges(view, noise, limits,
                           grid if blocky >= _BLOCKY and grid.separable() else None, cbcr)
    tiles = sharp.pop("_tiles", None)
    m.update(sharp)
    m["detail_clipped"] = _detail_clipped(a8, tiles, limits)
    m.update(_away_from_clipping(a8, limits))
    _judge_exposure(m, limits, probs)
    _judge_sharpness(m, limits, probs, long_side)

    angle = sharp.get("tilt_angle")
    if angle is not None and abs(angle) >= limits.max_tilt_degrees:
        side = "ngược chiều kim đồng hồ" if angle > 0 else "theo chiều kim đồng hồ"
        # a roll read from one slanted object may be the object's, not the
        # camera's: the editor decides (a warning), however large
        weak = sharp.get("tilt_evidence", "strong") != "strong"
        severe = abs(angle) >= limits.tilt_error_degrees and not weak
        doubt = (" Các cạnh này có thể chỉ là của một vật đặt nghiêng (không phải đường "
                 "chân trời hay cạnh thẳng đứng của công trình): nếu vậy, có thể bỏ qua."
                 if weak and abs(angle) >= limits.tilt_error_degrees else "")
        probs.append((error if severe else warning)(
            "photo.tilted",
            f"Ảnh bị nghiêng khoảng {_fmt_num(abs(angle))}° ({side}): đường chân trời "
            "hoặc các cạnh thẳng đứng không cân." + doubt,
            f"Hãy xoay ảnh lại {_fmt_num(abs(angle))}° "
            f"{'theo chiều kim đồng hồ' if angle > 0 else 'ngược chiều kim đồng hồ'} "
            "bằng công cụ Chỉnh sửa > Cắt/Xoay (Crop/Rotate) trong ứng dụng Ảnh của điện "
            "thoại; lần sau hãy bật lưới (Grid) trong camera để giữ máy thẳng.",
        ))


def _detail_clipped(a8: np.ndarray, tiles: dict | None, limits: PhotoLimits) -> float | None:
    """Share of clipped-white pixels in the tiles that carry detail.

    Over-exposure burns detail: the highlights of textured areas (faces,
    clothes, foliage, stone) clip. A lamp, a window or a white backdrop
    also clips, but it is smooth: its tiles have few edges. So clipping is
    counted only in the tiles with the most edges (at least the median of
    the tiles that have any), where the subject is.
    """
    if not tiles:
        return None
    tile, ntx, nty, counts = tiles["tile"], tiles["ntx"], tiles["nty"], tiles["counts"]
    h, w = a8.shape
    white = np.zeros((nty * tile, ntx * tile), dtype=np.uint8)
    white[:h, :w] = a8 >= int(round(limits.white_level * 255))
    wsum = white.reshape(nty, tile, ntx, tile).sum(axis=(1, 3), dtype=np.int64).ravel()
    rows = np.minimum(tile, h - np.arange(nty) * tile)
    cols = np.minimum(tile, w - np.arange(ntx) * tile)
    asum = (rows[:, None] * cols[None, :]).ravel().astype(np.float64)
    has = counts >= _TILE_MIN_EDGES
    if has.sum() < 3:
        return None
    rich = has & (counts >= np.median(counts[has]))
    return round(float(wsum[rich].sum() / max(asum[rich].sum(), 1.0)), 4)


def _away_from_clipping(a8: np.ndarray, limits: PhotoLimits) -> dict[str, Any]:
    """Share and mean luminance of the frame away from every clipped pixel.

    A window, lit blinds or a lamp clip as a few bounded regions, and the
    people before them lie apart from those regions; when a photo is
    over-exposed, the highlights of every surface clip, so clipped pixels
    are spread over the subject and little of the frame lies far from them.
    Measured on 4x4 blocks (a block counts as clipped when any pixel is),
    dilated by ``light_margin`` of the long side.
    """
    level = int(round(limits.white_level * 255))
    h, w = a8.shape
    b = 4
    hh, ww = h // b * b, w // b * b
    if hh == 0 or ww == 0:
        return {}
    # block maxima and sums, reduced one axis at a time (cheaper than 4-D)
    rows = a8[:hh, :ww].reshape(hh // b, b, ww)
    clip = (rows.max(axis=1).reshape(hh // b, ww // b, b).max(axis=2)) >= level
    if not clip.any():
        return {"clip_free_share": 1.0, "clip_free_mean": None}
    r = max(1, int(round(limits.light_margin * max(h, w) / b)))
    c = np.cumsum(np.pad(clip.astype(np.int32), ((r + 1, r), (0, 0))), axis=0)
    near = (c[2 * r + 1:] - c[:-2 * r - 1]) > 0
    c = np.cumsum(np.pad(near.astype(np.int32), ((0, 0), (r + 1, r))), axis=1)
    near = (c[:, 2 * r + 1:] - c[:, :-2 * r - 1]) > 0
    free = ~near
    share = float(free.mean())
    mean = None
    if free.any():
        sums = rows.sum(axis=1, dtype=np.uint16).reshape(hh // b, ww // b, b).sum(axis=2, dtype=np.uint32)
        mean = float(sums[free].mean()) / (b * b * 255.0)
    return {"clip_free_share": round(share, 4),
            "clip_free_mean": None if mean is None else round(mean, 4)}


def _judge_sharpness(m: dict[str, Any], limits: PhotoLimits, probs: list[Problem],
                     long_side: int) -> None:
    view_long = max(m["analysis_width"], m["analysis_height"])
    # A photo smaller than the analysis size is judged at its own size, not
    # as enlarged to it (fifth round, December 2026): focus is a property of
    # the photo, and the enlargement a browser applies softens every photo
    # of that size alike, in focus or not; that is the size, which
    # photo.too_small already reports (a warning under 1200 px). Charging it
    # to sharpness as well would refuse an 800 px camera original (its own
    # demosaicing and lens give it 3.5-4 px edges) though 800 px is the size
    # the site accepts. Defects stated relative to the picture (a blur of
    # 0.3 % of the long side) widen its edges the same at any size.
    region = m.get("edge_width")
    ew = round(region, 3) if region is not None else None
    m["edge_width"] = ew
    m["sharpness"] = round(1.0 / ew, 4) if ew else None
    fine = m.get("fine_detail")
    half = m.get("fine_detail_half")
    full = m.get("fine_detail_full")
    page = view_long >= limits.min_long_side
    upscaled = ((fine is not None and fine < limits.min_fine_detail)
                or (half is not None and half < limits.min_fine_detail_half and page)
                or (half is not None and full is not None and page
                    and full < limits.soft_fine_detail and half < limits.soft_fine_detail_half))
    m["upscaled"] = upscaled
    eff = m.get("effective_resolution")
    if upscaled:
        # the detail of a ``source`` px photo spans ``source`` px of the view
        source = max(50, min(long_side, int(round((eff or view_long) / 50.0)) * 50))
        if not (fine is not None and fine < limits.min_fine_detail):
            # seen at half scale only: no detail above half the view's size
            source = min(source, max(50, view_long // 2 // 50 * 50))
        m["upscaled_from"] = source
        probs.append(error(
            "photo.upscaled",
            f"Ảnh đã bị phóng to từ một ảnh nhỏ: tệp có {long_side} px nhưng chi tiết chỉ "
            f"tương đương ảnh khoảng {source} px (thường là ảnh tải về từ Zalo, Facebook "
            "hoặc ảnh chụp màn hình rồi phóng to).",
            "Hãy gửi ảnh gốc chụp bằng điện thoại hoặc máy ảnh (trong thư viện Ảnh của máy "
            "chụp), không gửi bản tải về từ Zalo/Facebook; khi gửi qua Zalo hãy chọn "
            "“Gửi ảnh gốc” (HD). Phóng to ảnh nhỏ không làm ảnh nét hơn.",
        ))
    if ew is not None and ew > limits.max_edge_width:
        what = ("bị nhòe theo một hướng, như khi máy bị rung lúc bấm chụp"
                if m.get("shake_direction") is not None and ew > (m.get("sharp_region_width") or 0)
                else "ngay cả vùng nét nhất của ảnh (chủ thể) cũng mờ")
        probs.append(error(
            "photo.blurry",
            f"Ảnh bị mờ, không rõ nét: {what} (độ rộng đường biên {_fmt_num(ew)} px, tối đa "
            f"{_fmt_num(limits.max_edge_width)} px ở khổ {limits.analysis_size} px).",
            "Hãy chụp lại: chạm vào chủ thể trên màn hình điện thoại để lấy nét, giữ chắc "
            "máy (tựa tay vào vật cố định, bấm chụp nhẹ), lau ống kính; không phóng to ảnh "
            "nhỏ hay cắt một phần nhỏ của ảnh.",
        ))
    elif m.get("jpeg_blockiness", 1.0) >= limits.max_blockiness:
        probs.append(error(
            "photo.blurry",
            "Ảnh không rõ nét: ảnh bị nén quá mức, vỡ thành các ô vuông, mất chi tiết.",
            "Hãy gửi ảnh gốc từ điện thoại; không gửi ảnh đã qua nhiều lần nén (chụp màn "
            "hình, tải về từ mạng xã hội, ứng dụng giảm dung lượng).",
        ))
    elif upscaled:
        probs.append(error(
            "photo.blurry",
            f"Ảnh không rõ nét khi đăng: ảnh bị phóng to nên thiếu chi tiết (chỉ tương đương "
            f"ảnh khoảng {m['upscaled_from']} px).",
            "Hãy gửi ảnh gốc (không phải bản tải về từ Zalo/Facebook hay bản đã phóng to).",
        ))


def _fmt_num(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _fmt_ratio(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _too_large_bytes(size_bytes: int, limits: PhotoLimits) -> Problem:
    return error(
        "photo.too_large",
        f"Tệp ảnh quá nặng ({_fmt_mb(size_bytes)}, tối đa {_fmt_mb(limits.max_bytes)}).",
        "Hãy gửi ảnh JPEG chụp ở chế độ thường của điện thoại (không phải RAW/ProRAW "
        "hay chế độ 108–200 MP), hoặc xuất lại ảnh với cạnh dài khoảng 2000–4000 px.",
    )


def _too_large_pixels(pixels: int | None, limits: PhotoLimits) -> Problem:
    what = _fmt_mp(pixels) if pixels else "quá nhiều điểm ảnh"
    return error(
        "photo.too_large",
        f"Ảnh có kích thước quá lớn ({what}, tối đa {_fmt_mp(limits.max_pixels)}); "
        "ảnh không được mở để tránh làm treo hệ thống.",
        "Hãy xuất lại ảnh với cạnh dài khoảng 2000–4000 px (JPEG) rồi gửi lại.",
    )


def _judge_exposure(m: dict[str, Any], limits: PhotoLimits, probs: list[Problem]) -> None:
    mean = m["mean_luminance"]
    dark = (m["highlights_p99"] < limits.dark_highlight and mean < limits.dark_mean) or (
        m["black_fraction"] > limits.max_black_fraction
    )
    white = m["white_fraction"]
    burnt = m.get("detail_clipped")
    if burnt is None:  # no detail anywhere to judge by: the frame alone decides
        bright = (mean > limits.bright_mean and white >= limits.bright_white_fraction) or (
            white > limits.max_white_fraction)
    else:
        # Clipping is a defect where it burns detail (the subject), not on
        # lamps, windows or a white backdrop, which are smooth.
        # Clipping confined to a few lights, with the subject away from them
        # normally exposed, is a backlit or high-key scene, not a burnt one.
        free_mean = m.get("clip_free_mean")
        lights_only = (m.get("clip_free_share", 0.0) >= limits.light_free_share
                       and free_mean is not None and free_mean >= limits.light_subject_mean)
        bright = (white > limits.max_white_fraction and burnt >= limits.burnt_detail_large) or (
            white >= limits.bright_white_fraction and burnt >= limits.burnt_detail
            and mean >= limits.burnt_mean and not lights_only) or (
            white >= limits.bright_white_fraction and mean >= limits.washed_white_mean
            and m.get("clip_overshoot", math.inf) >= limits.deep_clip_ratio)
    if dark:
        probs.append(error(
            "photo.too_dark",
            f"Ảnh quá tối (độ sáng trung bình {round(mean * 100)}%, "
            f"{round(m['black_fraction'] * 100)}% diện tích gần như đen; vùng sáng nhất "
            f"chỉ đạt {round(m['highlights_p99'] * 100)}%).",
            "Hãy chụp lại nơi đủ sáng hoặc bật đèn, quay lưng về phía nguồn sáng, chạm "
            "vào chủ thể rồi kéo thanh độ sáng lên; nếu ảnh chỉ hơi tối có thể tăng độ "
            "sáng bằng ứng dụng Ảnh.",
        ))
    if bright:
        probs.append(error(
            "photo.too_bright",
            f"Ảnh quá sáng, cháy sáng (độ sáng trung bình {round(mean * 100)}%, "
            f"{round(m['white_fraction'] * 100)}% diện tích trắng xóa mất chi tiết).",
            "Hãy chụp lại, tránh chĩa máy về phía mặt trời hoặc đèn; chạm vào vùng sáng "
            "nhất rồi kéo thanh độ sáng xuống, hoặc tắt đèn flash khi chụp gần.",
        ))
    # Low contrast is judged apart from exposure: an underexposed photo has a
    # short tonal range too, but its tones still run down to black (high
    # Michelson contrast), and the "too dark" hint already fixes it.
    flat = m["michelson_contrast"] < limits.min_michelson
    if flat and m["tonal_range"] < limits.min_tonal_range:
        probs.append(error(
            "photo.low_contrast",
            f"Ảnh mờ nhạt, bạc màu, thiếu tương phản (dải sáng tối chỉ còn "
            f"{round(m['tonal_range'] * 100)}%, một cảnh bình thường có từ 60% trở lên): ảnh "
            "trông xám, như phủ sương.",
            "Hãy lau ống kính, tránh chụp ngược sáng hoặc qua kính rồi chụp lại; hoặc mở ảnh "
            "gốc trong ứng dụng Ảnh, chọn Chỉnh sửa > “Tự động” hoặc tăng “Tương phản”, rồi "
            "gửi lại ảnh đã chỉnh.",
        ))
    elif flat and m["tonal_range"] < limits.soft_tonal_range:
        probs.append(warning(
            "photo.low_contrast",
            f"Ảnh hơi nhạt, ít tương phản (dải sáng tối {round(m['tonal_range'] * 100)}%). "
            "Nếu cảnh vốn có sương, khói thì có thể giữ nguyên.",
            "Có thể dùng chức năng “Tự động”/“Tương phản” trong ứng dụng Ảnh để ảnh rõ hơn.",
        ))


def assess_photos(
    paths: Iterable["str | os.PathLike[str]"],
    limits: PhotoLimits = PhotoLimits(),
    workers: int | None = None,
) -> list[FileReport]:
    """Check many photos, in parallel across cores; results in input order."""
    items = [str(p) for p in paths]
    if workers is None:
        workers = os.cpu_count() or 1
    workers = max(1, min(workers, len(items)))
    if workers == 1 or len(items) <= 1:
        return [assess_photo(p, limits) for p in items]
    chunk = max(1, len(items) // (workers * 4))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(assess_photo, items, [limits] * len(items), chunksize=chunk))
    except Exception:  # e.g. no process support in a sandbox: stay correct
        return [assess_photo(p, limits) for p in items]
