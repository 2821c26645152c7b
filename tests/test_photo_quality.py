"""Tests of the photo quality check (seed rule "Ảnh chụp phải rõ nét, đủ độ sáng
và cân đối hài hòa.").

Cases are built from real photographs shipped in scikit-image (see
``photo_cases.py``). The accuracy rates are asserted on the HELD_OUT photos,
which the thresholds were not tuned on.
"""
from __future__ import annotations

import io
import math
import os
import statistics
import sys
import time
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mttq.photos.quality import (
    ACCEPTED_FORMATS,
    DUPLICATE_MAX_DISTANCE,
    PhotoLimits,
    assess_photo,
    assess_photos,
    duplicate_problem,
    hamming,
    perceptual_hash,
)

try:  # tests/ may or may not be a package
    from . import photo_cases as pc
except ImportError:
    import photo_cases as pc


def codes(report) -> set[str]:
    return {p.code for p in report.problems}


def save(im: Image.Image, path, fmt="JPEG", **kw):
    im.save(path, fmt, **kw)
    return path


# --------------------------------------------------------------------------
# Fixtures (session-wide: the case sets are built once)
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def held_out(tmp_path_factory):
    cases = pc.quality_cases(tmp_path_factory.mktemp("held_out"), pc.HELD_OUT, workers=2)
    reports = assess_photos([c.path for c in cases], workers=2)
    return cases, reports


@pytest.fixture(scope="session")
def collage_paths(tmp_path_factory):
    """A sharp 4000x3000 JPEG made of native photo pixels, and its 1000 px view."""
    d = tmp_path_factory.mktemp("collage")
    big = pc.collage(pc.HELD_OUT)
    paths = {
        "big": save(big, d / "big.jpg", quality=92),
        "small": save(pc.rescale(big, 1000), d / "small.jpg", quality=92),
        "big_blur": save(pc.gaussian_blur(big, 0.0025), d / "big_blur.jpg", quality=92),
        "small_blur": save(pc.gaussian_blur(pc.rescale(big, 1000), 0.0025), d / "small_blur.jpg",
                           quality=92),
    }
    return paths


# --------------------------------------------------------------------------
# Accuracy on held-out photos
# --------------------------------------------------------------------------

def test_held_out_rates(held_out):
    cases, reports = held_out
    r = pc.rates(cases, reports)
    # the numbers behind the verdict, shown with -rA or on failure
    print(f"held-out: {r['bad']} bad, {r['good']} good; detected {r['detected']:.1%}, "
          f"false rejects {r['false_rejects']:.1%}")
    print("missed:", r["missed"])
    print("false:", r["false"])
    assert r["bad"] >= 80 and r["good"] >= 50
    assert r["detected"] >= 0.95, r["missed"]
    assert r["false_rejects"] <= 0.05, r["false"]


@pytest.mark.parametrize("code,minimum", [
    ("photo.blurry", 0.95),
    ("photo.too_dark", 0.95),
    ("photo.too_bright", 0.95),
    ("photo.low_contrast", 0.95),
    ("photo.bad_aspect", 1.0),
    # tilt is judged only when straight lines allow it; see docs
    ("photo.tilted", 0.5),
])
def test_held_out_rate_per_code(held_out, code, minimum):
    cases, reports = held_out
    bad = [(c, rep) for c, rep in zip(cases, reports) if c.label == "bad" and c.expect == code]
    assert bad, code
    hit = sum(code in codes(rep) for _, rep in bad) / len(bad)
    assert hit >= minimum, [c.id for c, rep in bad if code not in codes(rep)]


def test_good_photos_in_all_formats_pass(held_out):
    cases, reports = held_out
    for c, rep in zip(cases, reports):
        if c.defect == "original":
            assert not pc.quality_flags(rep), (c.id, rep.problems)
            assert rep.metrics["format"] in ACCEPTED_FORMATS


def test_real_dusk_photo_is_not_too_dark(held_out):
    # rocket.jpg is a real launch photo at dusk: dark sky, lit rocket
    cases, reports = held_out
    for c, rep in zip(cases, reports):
        if c.photo == "rocket" and c.label == "good":
            assert "photo.too_dark" not in codes(rep), (c.id, rep.metrics["mean_luminance"])
        if c.defect == "evening":
            assert "photo.too_dark" not in codes(rep), c.id


# --------------------------------------------------------------------------
# Sharpness: resolution independence, enlargement, noise, artefacts
# --------------------------------------------------------------------------

def test_same_scene_scores_alike_at_4000_and_1000_px(collage_paths):
    big = assess_photo(collage_paths["big"])
    small = assess_photo(collage_paths["small"])
    assert big.metrics["width"] == 4000 and small.metrics["width"] == 1000
    assert big.metrics["edge_width"] == pytest.approx(small.metrics["edge_width"], rel=0.12)
    assert "photo.blurry" not in codes(big) | codes(small)
    # and the same relative blur is blurry at both sizes
    assert "photo.blurry" in codes(assess_photo(collage_paths["big_blur"]))
    assert "photo.blurry" in codes(assess_photo(collage_paths["small_blur"]))


@pytest.mark.parametrize("name", ["chelsea", "coins"])
def test_small_photo_enlarged_to_4000_is_blurry(tmp_path, name):
    im = pc.enlarge_small(pc.load(name), 200, 4000)
    rep = assess_photo(save(im, tmp_path / "big.jpg", quality=92))
    assert rep.metrics["width"] == 4000
    assert "photo.blurry" in codes(rep)


@pytest.mark.parametrize("sigma", [0.02, 0.05, 0.08])
def test_noise_does_not_make_a_blurry_photo_sharp(tmp_path, sigma):
    im = pc.noise(pc.gaussian_blur(pc.good_base("rocket"), 0.004), sigma)
    rep = assess_photo(save(im, tmp_path / "n.jpg", quality=90))
    assert "photo.blurry" in codes(rep), rep.metrics


@pytest.mark.parametrize("quality", [5, 15])
def test_jpeg_blocks_do_not_make_a_blurry_photo_sharp(tmp_path, quality):
    im = pc.gaussian_blur(pc.good_base("chelsea"), 0.004)
    rep = assess_photo(save(im, tmp_path / "q.jpg", quality=quality))
    assert "photo.blurry" in codes(rep), rep.metrics


def test_real_motion_blurred_photo_is_blurry(tmp_path):
    # clock_motion.png: the camera was moved while shooting (public domain)
    im = Image.open(pc.DATA_DIR / pc.BLURRED_REAL[0]).convert("RGB")
    im = im.resize((im.width * 2, im.height * 2), Image.Resampling.LANCZOS)
    rep = assess_photo(save(im, tmp_path / "clock.jpg", quality=92))
    assert "photo.blurry" in codes(rep)


def test_blurry_message_is_vietnamese_with_hint(tmp_path):
    rep = assess_photo(save(pc.gaussian_blur(pc.good_base("coffee"), 0.005), tmp_path / "b.jpg"))
    p = next(p for p in rep.problems if p.code == "photo.blurry")
    assert p.severity == "error"
    assert "mờ" in p.message and "lấy nét" in p.hint


# --------------------------------------------------------------------------
# Sharpness where the photo is sharp; shake; enlarged thumbnails
# --------------------------------------------------------------------------

def subject_on_soft_background(name: str, share: float, background_blur: float,
                               subject_blur: float = 0.0) -> Image.Image:
    """A photo whose centre (``share`` of the frame) is as taken and whose
    surroundings are out of focus, as with a long lens at an event."""
    im = pc.good_base(name)
    soft = pc.gaussian_blur(im, background_blur)
    w, h = im.size
    side = math.sqrt(share)
    box = (round(w * (1 - side) / 2), round(h * (1 - side) / 2),
           round(w * (1 + side) / 2), round(h * (1 + side) / 2))
    subject = im.crop(box)
    if subject_blur:
        subject = pc.gaussian_blur(subject, subject_blur * max(im.size) / max(subject.size))
    soft.paste(subject, box[:2])
    return soft


@pytest.mark.parametrize("name", ["astronaut", "coffee"])
def test_sharp_subject_on_soft_background_is_not_blurry(tmp_path, name):
    # 9 % of the frame in focus, the rest blurred by 0.8 % of the long side
    rep = assess_photo(save(subject_on_soft_background(name, 0.09, 0.008), tmp_path / "s.jpg"))
    assert "photo.blurry" not in codes(rep), rep.metrics
    # the same photo with its subject out of focus too is blurry
    both = assess_photo(save(subject_on_soft_background(name, 0.09, 0.008, 0.003),
                             tmp_path / "b.jpg"))
    assert severity(both, "photo.blurry") == "error", both.metrics


def test_camera_shake_is_blurry_and_says_so(tmp_path):
    im = pc.motion_blur(pc.good_base("astronaut"), 0.025, 0)
    rep = assess_photo(save(im, tmp_path / "m.jpg"))
    p = next(p for p in rep.problems if p.code == "photo.blurry")
    assert p.severity == "error" and "rung" in p.message
    assert rep.metrics["shake_direction"] == 0  # the smear is horizontal


@pytest.mark.parametrize("name,small,target", [("astronaut", 400, 3000), ("coffee", 320, 4000),
                                                ("chelsea", 400, 2000)])
def test_thumbnail_blown_up_is_upscaled(tmp_path, name, small, target):
    im = pc.rescale(pc.rescale(pc.load(name), small), target)
    rep = assess_photo(save(im, tmp_path / "u.jpg", quality=90))
    assert max(rep.metrics["width"], rep.metrics["height"]) == target
    p = next(p for p in rep.problems if p.code == "photo.upscaled")
    assert p.severity == "error" and "phóng to" in p.message and "Zalo" in p.hint
    assert severity(rep, "photo.blurry") == "error"  # soft at page size too
    assert rep.metrics["upscaled_from"] <= 2 * small


def test_sharp_camera_photo_and_its_reductions_are_not_upscaled(collage_paths, tmp_path):
    for key in ("big", "small"):
        rep = assess_photo(collage_paths[key])
        assert "photo.upscaled" not in codes(rep), (key, rep.metrics["fine_detail"])
    # a native photo enlarged a little (x1.25) keeps its detail: not a thumbnail
    im = pc.load("motorcycle")
    rep = assess_photo(save(pc.rescale(im, round(max(im.size) * 1.25)), tmp_path / "m.jpg"))
    assert "photo.upscaled" not in codes(rep), rep.metrics["fine_detail"]


# --------------------------------------------------------------------------
# High-key scenes: lamps and a white backdrop are not over-exposure
# --------------------------------------------------------------------------

def high_key_stage(name: str) -> Image.Image:
    """A normally exposed subject in front of a white, lit backdrop with two
    lamps clipped to white (a hall, a stage, a studio)."""
    subject = pc.good_base(name)
    w, h = subject.size
    W, H = round(w * 1.5), round(h * 1.5)
    yy, xx = np.mgrid[0:H, 0:W]
    backdrop = 0.9 + 0.12 * (1 - yy / H)  # brighter towards the lamps above
    for cx in (0.2 * W, 0.8 * W):
        d = np.hypot(xx - cx, yy - 0.12 * H) / (0.1 * H)
        backdrop = backdrop + 0.6 * np.exp(-d * d)
    a = np.clip(backdrop, 0, 1)[:, :, None].repeat(3, axis=2)
    stage = Image.fromarray((a * 255 + 0.5).astype(np.uint8), "RGB")
    stage.paste(subject, ((W - w) // 2, H - h))
    return stage


def test_bright_scene_with_lamps_and_white_backdrop_is_not_too_bright(tmp_path):
    im = high_key_stage("astronaut")
    rep = assess_photo(save(im, tmp_path / "k.jpg"))
    # the case is a high-key one: a bright frame with a visible share clipped
    assert rep.metrics["mean_luminance"] > 0.62 and rep.metrics["white_fraction"] > 0.08
    assert "photo.too_bright" not in codes(rep), rep.metrics
    # the same scene over-exposed by 2 EV burns the subject: too bright
    over = assess_photo(save(pc.exposure(im, 2.0), tmp_path / "o.jpg"))
    assert severity(over, "photo.too_bright") == "error", over.metrics


# --------------------------------------------------------------------------
# Exposure, contrast, tilt, aspect
# --------------------------------------------------------------------------

def test_exposure_codes_and_metrics(tmp_path):
    base = pc.good_base("coffee")
    dark = assess_photo(save(pc.exposure(base, -3), tmp_path / "d.jpg"))
    bright = assess_photo(save(pc.exposure(base, 3), tmp_path / "b.jpg"))
    ok = assess_photo(save(base, tmp_path / "ok.jpg"))
    assert "photo.too_dark" in codes(dark) and "photo.too_bright" not in codes(dark)
    assert "photo.too_bright" in codes(bright) and "photo.too_dark" not in codes(bright)
    assert not codes(ok) & {"photo.too_dark", "photo.too_bright", "photo.low_contrast"}
    for key in ("mean_luminance", "black_fraction", "white_fraction", "highlights_p99",
                "tonal_range", "michelson_contrast"):
        assert 0.0 <= ok.metrics[key] <= 1.0
    assert dark.metrics["mean_luminance"] < ok.metrics["mean_luminance"] < bright.metrics["mean_luminance"]


def test_crushed_black_alone_is_too_dark(tmp_path):
    a = np.asarray(pc.good_base("chelsea")).copy()
    a[: int(a.shape[0] * 0.6)] = 0  # more than half of the frame pure black
    rep = assess_photo(save(Image.fromarray(a), tmp_path / "c.png", "PNG"))
    assert "photo.too_dark" in codes(rep)
    assert rep.metrics["black_fraction"] > 0.5


def severity(report, code):
    return next((p.severity for p in report.problems if p.code == code), None)


def test_washed_out_to_a_third_is_an_error_gentle_flatness_a_warning(tmp_path):
    base = pc.good_base("chelsea")
    hazy = assess_photo(save(pc.haze(base, 0.3), tmp_path / "h.jpg"))
    flat = assess_photo(save(pc.flatten(base, 0.33), tmp_path / "f.jpg"))
    dark = assess_photo(save(pc.exposure(base, -3.5), tmp_path / "d.jpg"))
    # "phải rõ nét": a photo keeping a third of its contrast is sent back
    assert severity(hazy, "photo.low_contrast") == "error"
    assert severity(flat, "photo.low_contrast") == "error"
    p = next(p for p in hazy.problems if p.code == "photo.low_contrast")
    assert "tương phản" in p.message and "Tự động" in p.hint
    assert "photo.low_contrast" not in codes(dark)
    # a gently flat picture (fog, smoke) is left to the editor: a warning
    camera = pc.load("camera")
    gentle = assess_photo(save(pc.haze(camera, 0.43), tmp_path / "g.jpg"))
    assert 0.37 <= gentle.metrics["tonal_range"] < 0.45  # the case is what it says
    assert severity(gentle, "photo.low_contrast") == "warning"


@pytest.mark.parametrize("deg", [-7, -5, 5, 7])
def test_tilt_measured_with_sign(tmp_path, deg):
    rep = assess_photo(save(pc.rotate_crop(pc.good_base("camera"), deg), tmp_path / "t.jpg"))
    assert "photo.tilted" in codes(rep)
    assert rep.metrics["tilt_angle"] == pytest.approx(deg, abs=1.0)
    p = next(p for p in rep.problems if p.code == "photo.tilted")
    # a horizon off by 5° breaks "cân đối hài hòa": an error, not a hint
    assert p.severity == "error" and "nghiêng" in p.message and "xoay" in p.hint.lower()


@pytest.mark.parametrize("name,deg", [("camera", -3), ("astronaut", 3)])
def test_gentle_tilt_is_only_a_warning(tmp_path, name, deg):
    rep = assess_photo(save(pc.rotate_crop(pc.good_base(name), deg), tmp_path / "t.jpg"))
    assert rep.metrics["tilt_angle"] == pytest.approx(deg, abs=1.0)
    assert severity(rep, "photo.tilted") == "warning"


def test_level_photo_and_photo_without_lines_are_not_tilted(tmp_path):
    level = assess_photo(save(pc.good_base("camera"), tmp_path / "l.jpg"))
    assert "photo.tilted" not in codes(level)
    assert level.metrics["tilt_angle"] is not None and abs(level.metrics["tilt_angle"]) < 1.0
    # a cat's face has no level reference: no opinion, even when rotated
    cat = assess_photo(save(pc.rotate_crop(pc.good_base("chelsea"), 6), tmp_path / "c.jpg"))
    assert "photo.tilted" not in codes(cat)


def test_tilt_follows_exif_orientation(tmp_path):
    """A photo stored sideways with an EXIF orientation tag is measured as shown."""
    shown = pc.rotate_crop(pc.good_base("camera"), -5)
    stored = shown.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "o.jpg"
    stored.save(path, "JPEG", quality=92, exif=exif.tobytes())
    rep = assess_photo(path)
    assert rep.metrics["orientation"] == 6
    assert (rep.metrics["width"], rep.metrics["height"]) == shown.size
    assert rep.metrics["tilt_angle"] == pytest.approx(-5, abs=1.0)
    # mirrored (orientation 2): what is shown is the mirror, so the tilt flips
    exif[0x0112] = 2
    path2 = tmp_path / "m.jpg"
    shown.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(path2, "JPEG", quality=92,
                                                         exif=exif.tobytes())
    rep2 = assess_photo(path2)
    assert rep2.metrics["tilt_angle"] == pytest.approx(-5, abs=1.0)


def test_aspect(tmp_path):
    base = pc.good_base("motorcycle")
    strip = assess_photo(save(pc.strip(base, 4.0), tmp_path / "s.jpg"))
    assert "photo.bad_aspect" in codes(strip) and strip.metrics["aspect"] == pytest.approx(4.0, rel=0.01)
    ok = assess_photo(save(pc.strip(base, 2.9), tmp_path / "o.jpg"))
    assert "photo.bad_aspect" not in codes(ok)
    tall = assess_photo(save(pc.strip(base, 4.0).transpose(Image.Transpose.ROTATE_90), tmp_path / "t.jpg"))
    assert "photo.bad_aspect" in codes(tall)


# --------------------------------------------------------------------------
# Size limits, decided from the header
# --------------------------------------------------------------------------

def test_decompression_bomb_is_refused_fast_without_warnings(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(pc.png_bomb_header(50_000, 50_000))
    assert path.stat().st_size < 2000
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any Pillow warning would fail the test
        start = time.perf_counter()
        rep = assess_photo(path)
        elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert codes(rep) == {"photo.too_large"}
    assert rep.metrics["pixels"] == 2_500_000_000
    assert "megapixel" in rep.problems[0].message


@pytest.mark.parametrize("side", [9000, 11000])
def test_header_over_pixel_limit_is_too_large(tmp_path, side):
    # 81 MP passes Pillow's own bomb check, 121 MP only warns there: both are ours
    path = tmp_path / "big.png"
    path.write_bytes(pc.png_bomb_header(side, side))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        start = time.perf_counter()
        rep = assess_photo(path)
    assert time.perf_counter() - start < 1.0
    assert codes(rep) == {"photo.too_large"}
    assert (rep.metrics["width"], rep.metrics["height"]) == (side, side)


def test_too_many_bytes_is_refused_before_decoding(tmp_path):
    path = save(pc.good_base("coffee"), tmp_path / "c.jpg", quality=95)
    limits = PhotoLimits(max_bytes=10_000)
    rep = assess_photo(path, limits)
    assert codes(rep) == {"photo.too_large"}
    assert "edge_width" not in rep.metrics


@pytest.mark.parametrize("long_side,severity", [(600, "error"), (1000, "warning"), (1200, None)])
def test_too_small(tmp_path, long_side, severity):
    im = pc.rescale(pc.collage(("coffee",), (1800, 1200)), long_side)
    rep = assess_photo(save(im, tmp_path / "s.jpg"))
    found = [p for p in rep.problems if p.code == "photo.too_small"]
    if severity is None:
        assert not found
    else:
        assert found and found[0].severity == severity and "px" in found[0].message


# --------------------------------------------------------------------------
# Unreadable files: content, not extension; never raises
# --------------------------------------------------------------------------

def _jpeg(tmp_path):
    return save(pc.good_base("astronaut"), tmp_path / "a.jpg", quality=92)


@pytest.mark.parametrize("kind", [
    "missing", "directory", "empty", "garbage", "text_as_jpg", "truncated_jpeg",
    "truncated_png", "heic", "gif", "bmp", "tiff",
])
def test_unreadable(tmp_path, kind):
    path = tmp_path / f"{kind}.jpg"
    if kind == "missing":
        pass
    elif kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(os.urandom(5000))
    elif kind == "text_as_jpg":
        path.write_text("Đây không phải là ảnh", encoding="utf-8")
    elif kind == "truncated_jpeg":
        data = _jpeg(tmp_path).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "truncated_png":
        buf = io.BytesIO()
        pc.good_base("astronaut").save(buf, "PNG")
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    elif kind == "heic":
        path.write_bytes(pc.heic_like_bytes())
    else:
        pc.good_base("astronaut").save(path, kind.upper() if kind != "tiff" else "TIFF")
    rep = assess_photo(path)  # must not raise
    assert "photo.unreadable" in codes(rep), rep.problems
    p = next(p for p in rep.problems if p.code == "photo.unreadable")
    assert p.severity == "error" and p.hint
    if kind == "heic":
        assert "HEIC" in p.message and "JPEG" in p.hint
    if kind in ("gif", "bmp", "tiff"):
        assert kind.upper() in p.message


def test_wrong_extension_is_judged_by_content(tmp_path):
    png_as_jpg = save(pc.good_base("coffee"), tmp_path / "photo.jpg", "PNG")
    jpg_as_png = save(pc.good_base("coffee"), tmp_path / "photo.png", "JPEG")
    webp_as_jpeg = save(pc.good_base("coffee"), tmp_path / "photo.jpeg", "WEBP")
    for path, fmt in ((png_as_jpg, "PNG"), (jpg_as_png, "JPEG"), (webp_as_jpeg, "WEBP")):
        rep = assess_photo(path)
        assert rep.metrics["format"] == fmt
        assert not pc.quality_flags(rep)


def test_odd_modes_are_read(tmp_path):
    base = pc.good_base("astronaut")
    rgba = base.convert("RGBA")
    grey16 = Image.fromarray(np.asarray(base.convert("L"), np.uint16) * 257)
    assert grey16.mode == "I;16"
    for name, im, fmt in (("rgba.png", rgba, "PNG"), ("p.png", base.convert("P"), "PNG"),
                          ("g16.png", grey16, "PNG"), ("cmyk.jpg", base.convert("CMYK"), "JPEG")):
        rep = assess_photo(save(im, tmp_path / name, fmt))
        assert "photo.unreadable" not in codes(rep), (name, rep.problems)
        assert 0.3 < rep.metrics["mean_luminance"] < 0.6, name


# --------------------------------------------------------------------------
# Limits from settings
# --------------------------------------------------------------------------

def test_limits_defaults_and_frozen():
    lim = PhotoLimits()
    assert lim.max_aspect == 3.0 and lim.analysis_size == 1000
    assert lim.min_long_side <= lim.recommended_long_side == 1200
    with pytest.raises(Exception):
        lim.max_bytes = 1  # type: ignore[misc]


def test_limits_from_settings():
    lim = PhotoLimits.from_settings({
        "PHOTO_MAX_BYTES": "1000000",
        "PHOTO_MAX_TILT_DEGREES": 3,
        "PHOTO_MAX_EDGE_WIDTH": "5.5",
        "SITENAME": "MTTQ",
        "PHOTO_UNKNOWN_KEY": 1,
    })
    assert lim.max_bytes == 1_000_000 and isinstance(lim.max_bytes, int)
    assert lim.max_tilt_degrees == 3.0 and isinstance(lim.max_tilt_degrees, float)
    assert lim.max_edge_width == 5.5
    assert lim.min_long_side == PhotoLimits().min_long_side
    with pytest.raises(ValueError, match="PHOTO_MAX_PIXELS"):
        PhotoLimits.from_settings({"PHOTO_MAX_PIXELS": "nhiều"})
    with pytest.raises(ValueError):
        PhotoLimits.from_settings({"PHOTO_MAX_ASPECT": -1})


def test_custom_limits_change_the_verdict(tmp_path):
    path = save(pc.rotate_crop(pc.good_base("camera"), 5), tmp_path / "t.jpg")
    assert "photo.tilted" in codes(assess_photo(path))
    assert "photo.tilted" not in codes(assess_photo(path, PhotoLimits(max_tilt_degrees=8)))


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------

def test_every_message_is_vietnamese_nfc_with_hint(held_out, tmp_path):
    _, reports = held_out
    problems = [p for rep in reports for p in rep.problems]
    extra = tmp_path / "x.jpg"
    extra.write_bytes(b"not an image")
    problems += assess_photo(extra).problems + [duplicate_problem("tin/2024/hoi-nghi")]
    seen = set()
    for p in problems:
        seen.add(p.code)
        assert p.message and p.hint, p
        for text in (p.message, p.hint):
            assert unicodedata.normalize("NFC", text) == text
            assert any(ch in text for ch in "ảạăâđêôơưáàóòéèíìúù"), text
    assert {"photo.blurry", "photo.too_dark", "photo.too_bright", "photo.low_contrast",
            "photo.tilted", "photo.bad_aspect", "photo.unreadable", "photo.duplicate"} <= seen


# --------------------------------------------------------------------------
# Duplicates
# --------------------------------------------------------------------------

def test_perceptual_hash_near_duplicates_and_distinct_photos(tmp_path):
    names = [n for n in pc.PHOTOS if n != "motorcycle"]  # the stereo pair is a near-duplicate
    hashes = {n: perceptual_hash(pc.load(n)) for n in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert hamming(hashes[a], hashes[b]) > DUPLICATE_MAX_DISTANCE, (a, b)
    for n in ("chelsea", "rocket", "coins"):
        im = pc.load(n)
        variants = [pc.jpeg_roundtrip(im, 30), pc.good_base(n), pc.rescale(im, max(im.size) // 2),
                    pc.exposure(im, 0.7), pc.noise(im, 0.03), im.convert("L")]
        for v in variants:
            assert hamming(hashes[n], perceptual_hash(v)) <= DUPLICATE_MAX_DISTANCE
    # from a path, honouring EXIF orientation like the check does
    path = save(pc.good_base("chelsea"), tmp_path / "c.jpg")
    assert hamming(perceptual_hash(path), hashes["chelsea"]) <= DUPLICATE_MAX_DISTANCE
    assert 0 <= perceptual_hash(path) < 2 ** 64


def test_hamming_and_duplicate_problem():
    assert hamming(0, 0) == 0 and hamming(0b1011, 0b0001) == 2 and hamming(0, 2 ** 64 - 1) == 64
    p = duplicate_problem("tin/2024-05-01-hoi-nghi")
    assert p.code == "photo.duplicate" and p.severity == "warning"
    assert "tin/2024-05-01-hoi-nghi" in p.message


# --------------------------------------------------------------------------
# Batch and speed
# --------------------------------------------------------------------------

def test_assess_photos_parallel_matches_serial(tmp_path):
    paths = [save(pc.good_base(n), tmp_path / f"{n}.jpg") for n in ("coffee", "rocket", "coins")]
    paths.append(tmp_path / "missing.jpg")
    serial = assess_photos(paths, workers=1)
    parallel = assess_photos(paths, workers=2)
    assert [r.path for r in parallel] == [str(p) for p in paths]
    assert [r.as_json() for r in serial] == [r.as_json() for r in parallel]
    assert len(assess_photos(paths[:1])) == 1
    assert assess_photos([]) == []


def test_12mp_jpeg_is_judged_on_a_reduced_view(collage_paths):
    path = collage_paths["big"]
    assess_photo(path)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        rep = assess_photo(path)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"12-MP JPEG: best {best * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms")
    assert rep.metrics["pixels"] == 12_000_000
    # The verdict is made on a 1000-px view, not 12 MP. The time itself is a
    # benchmark figure (bench/), not a pass/fail assertion on a shared machine.
    assert rep.metrics["analysis_width"] == 1000


# --------------------------------------------------------------------------
# Real camera photos (tuning part of tests/photoset, fetched from PyPI)
# --------------------------------------------------------------------------

#: Tuning photos that ship in PyPI source packages (face_recognition,
#: insightface, ultralytics), so a fresh clone can fetch them with pip alone:
#: official portraits in a hall with flags, a room lit by a chandelier, a
#: group indoors, a street with people. The held-out split is never used here.
REAL = ("obama", "state_room", "group", "bus")


@pytest.fixture(scope="session")
def real_cases():
    sys.path.insert(0, str(Path(__file__).parent / "photoset"))
    import materialise
    cases = materialise.materialise("tuning", list(REAL))
    reports = assess_photos([c["path"] for c in cases], workers=2)
    return cases, reports


def test_real_portrait_with_soft_background_is_not_blurry(real_cases):
    # obama.jpg: a sharp face in front of a flag and curtains out of focus
    cases, reports = real_cases
    for c, rep in zip(cases, reports):
        if c["photo"] == "obama" and c["label"] == "good":
            assert "photo.blurry" not in codes(rep), (c["case"], rep.metrics["edge_width"])


def test_real_photos_rates(real_cases):
    cases, reports = real_cases
    good = [(c, r) for c, r in zip(cases, reports) if c["label"] == "good"]
    rejected = [c["photo"] + "/" + c["case"] for c, r in good
                if any(p.severity == "error" for p in r.problems)]
    assert len(good) >= 35 and len(rejected) <= 0.05 * len(good), rejected
    # tilt needs straight lines these photos lack (perspective, curtains):
    # it is scored by the bench, not asserted here (docs/photo-thresholds.md)
    bad = [(c, r) for c, r in zip(cases, reports)
           if c["label"] == "bad" and c["expect"] != "photo.tilted"]
    missed = []
    for c, r in bad:
        errs = {p.code for p in r.problems if p.severity == "error"}
        # an enlarged thumbnail gets photo.upscaled, and photo.blurry with it
        if c["expect"] not in errs and not (c["expect"] == "photo.upscaled"
                                            and "photo.blurry" in errs):
            missed.append(f"{c['photo']}/{c['case']}:{sorted(errs)}")
    assert len(bad) >= 100 and len(missed) <= 0.05 * len(bad), missed


# --------------------------------------------------------------------------
# Real photos: tilt against slanted objects, bilinear enlargement
# --------------------------------------------------------------------------

def _photoset(ids):
    sys.path.insert(0, str(Path(__file__).parent / "photoset"))
    import materialise
    return {(c["photo"], c["case"]): c for c in materialise.materialise("tuning", list(ids))}


@pytest.fixture(scope="session")
def slanted_and_level():
    # field_wall (pillow sdist): a stone wall and posts in a field, level;
    # realsense (opencv-doc): depth cameras set down at an angle on a white
    # table, whose long edges lean by about 5 degrees (a slanted object, not
    # a tilted camera)
    return _photoset(["field_wall", "realsense"])


def test_real_photo_rotated_6_degrees_is_refused_as_tilted(slanted_and_level):
    for case in ("tilt-6", "tilt8"):
        c = slanted_and_level[("field_wall", case)]
        rep = assess_photo(c["path"])
        p = next((p for p in rep.problems if p.code == "photo.tilted"), None)
        assert p is not None and p.severity == "error", (case, rep.metrics.get("tilt_estimate"))
        # the direction is right and the size within 2 degrees of the truth
        assert rep.metrics["tilt_angle"] == pytest.approx(c["true_tilt"], abs=2.0)
        assert "nghiêng" in p.message


def test_slanted_objects_are_not_a_tilt_error(slanted_and_level):
    for case in ("original", "jpeg90", "phone_q70", "webp", "tilt1", "noise"):
        rep = assess_photo(slanted_and_level[("realsense", case)]["path"])
        tilted = [p for p in rep.problems if p.code == "photo.tilted"]
        assert all(p.severity == "warning" for p in tilted), (case, rep.metrics["tilt_angle"])
    # the editor is told why it is only a warning
    rep = assess_photo(slanted_and_level[("realsense", "original")]["path"])
    p = next(p for p in rep.problems if p.code == "photo.tilted")
    assert "vật đặt nghiêng" in p.message and unicodedata.is_normalized("NFC", p.message)


@pytest.mark.parametrize("name", ["astronaut", "coffee"])
def test_tiny_thumbnail_enlarged_bilinear_is_upscaled(tmp_path, name):
    # a 240 px thumbnail (a Zalo copy, JPEG q80) blown up ten times with
    # bilinear interpolation, the resampling of many phone editors
    im = pc.load(name)
    buf = io.BytesIO()
    pc.rescale(im, 240).save(buf, "JPEG", quality=80)
    thumb = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    w, h = thumb.size
    big = thumb.resize((w * 10, h * 10), Image.Resampling.BILINEAR)
    rep = assess_photo(save(big, tmp_path / "b.jpg", quality=88))
    assert severity(rep, "photo.upscaled") == "error", (rep.metrics["fine_detail"],
                                                        rep.metrics["fine_detail_half"])
    assert rep.metrics["upscaled_from"] <= 500


# --------------------------------------------------------------------------
# Real photo: people before window blinds lit from outside
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def backlit_window():
    # window_four_phone (npm @vladmandic/face-api): a Samsung phone photo of
    # four people before window blinds lit from outside; the blinds' slats
    # clip to white (11 % of the frame) while the faces are well exposed.
    # It was the held_out_2 split, seen since and now tuning data.
    sys.path.insert(0, str(Path(__file__).parent / "photoset"))
    import materialise
    return {c["case"]: c for c in materialise.materialise("held_out_2", ["window_four_phone"])}


def test_real_backlit_window_photo_is_not_too_bright(backlit_window):
    for case in ("original", "jpeg90", "phone_q70", "webp", "resize80", "phone1600"):
        rep = assess_photo(backlit_window[case]["path"])
        assert "photo.too_bright" not in codes(rep), (case, rep.metrics)
        # the clipping is there: what passes it is that it is confined to the lights
        assert rep.metrics["white_fraction"] >= 0.08, (case, rep.metrics["white_fraction"])


def test_real_backlit_window_photo_over_exposed_is_still_refused(backlit_window):
    for case in ("ev+2.0", "ev+3.0"):
        rep = assess_photo(backlit_window[case]["path"])
        assert severity(rep, "photo.too_bright") == "error", (case, rep.metrics)
        p = next(p for p in rep.problems if p.code == "photo.too_bright")
        assert "cháy sáng" in p.message and unicodedata.is_normalized("NFC", p.message)


# --------------------------------------------------------------------------
# Real photos: a facade rotated 5–8°, sun-lit scenes under-exposed
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def street_and_sunlit():
    # street_truck (labelme sdist): a street with a truck before a facade
    # whose window rows and cornices are level; road_sign_phone and
    # walker_from_above (smartcrop sdist): a Xiaomi phone photo of a sun-lit
    # dirt road, a walker on bright sand seen from above. All three were
    # held_out_3, seen once and now tuning data.
    return _photoset(["street_truck", "road_sign_phone", "walker_from_above"])


@pytest.mark.parametrize("case", ["tilt5", "tilt-6", "tilt8", "tilt-5.5"])
def test_real_street_rotated_5_to_8_degrees_is_refused_as_tilted(street_and_sunlit, case):
    # a camera rolled by 5° or more makes the facade's lines visibly crooked:
    # the rule says "cân đối", so it is sent back (an error), and the
    # contributor is told which way to turn it back
    c = street_and_sunlit[("street_truck", case)]
    rep = assess_photo(c["path"])
    p = next((p for p in rep.problems if p.code == "photo.tilted"), None)
    assert p is not None and p.severity == "error", (case, rep.metrics.get("tilt_estimate"))
    assert math.copysign(1.0, rep.metrics["tilt_angle"]) == math.copysign(1.0, c["true_tilt"])
    assert abs(rep.metrics["tilt_angle"] - c["true_tilt"]) <= 2.0
    turn = "theo chiều kim đồng hồ" if c["true_tilt"] > 0 else "ngược chiều kim đồng hồ"
    assert f"{turn} bằng công cụ" in p.hint


def test_real_street_as_sent_is_not_a_tilt_error(street_and_sunlit):
    for case in ("original", "jpeg90", "phone_q70", "webp", "tilt1", "noise"):
        rep = assess_photo(street_and_sunlit[("street_truck", case)]["path"])
        assert severity(rep, "photo.tilted") != "error", (case, rep.metrics.get("tilt_angle"))


@pytest.mark.parametrize("photo", ["road_sign_phone", "walker_from_above"])
def test_real_sunlit_scene_under_exposed_is_refused_as_too_dark(street_and_sunlit, photo):
    # a bright scene 2.5 stops under keeps a mean near 0.35 (its sand or
    # road was near white), but nothing in it reaches middle grey any more
    rep = assess_photo(street_and_sunlit[(photo, "ev-2.5")]["path"])
    assert severity(rep, "photo.too_dark") == "error", rep.metrics
    assert rep.metrics["mean_luminance"] > 0.30  # not dark on average: bright scene
    p = next(p for p in rep.problems if p.code == "photo.too_dark")
    assert "quá tối" in p.message and unicodedata.is_normalized("NFC", p.message)
    # the photo as sent, and gently darkened, is not refused as too dark
    for case in ("original", "phone_q70", "darker07"):
        rep = assess_photo(street_and_sunlit[(photo, case)]["path"])
        assert "photo.too_dark" not in codes(rep), (case, rep.metrics["mean_luminance"])


# --------------------------------------------------------------------------
# Real photos, December 2026 (fourth round): a sun-lit scene a little
# bright, bilinear enlargement seen at both scales, tilt read through lines
# in perspective
# --------------------------------------------------------------------------

def test_real_sunlit_sand_half_a_stop_bright_is_not_too_bright(street_and_sunlit):
    # walker_from_above: a walker on sun-lit sand seen from above. Half a
    # stop brighter, the sand is at the top of the range (mean 0.9, 15 %
    # clipped) but more of it lies just below white than is clipped: a
    # bright scene a little bright, not a burnt one
    rep = assess_photo(street_and_sunlit[("walker_from_above", "brighter05")]["path"])
    assert "photo.too_bright" not in codes(rep), rep.metrics
    assert rep.metrics["mean_luminance"] >= 0.80 and rep.metrics["white_fraction"] >= 0.08
    assert rep.metrics["clip_overshoot"] < 1.0
    # two and three stops over pile the sand into the clip: refused
    for case in ("ev+2.0", "ev+3.0"):
        rep = assess_photo(street_and_sunlit[("walker_from_above", case)]["path"])
        assert severity(rep, "photo.too_bright") == "error", (case, rep.metrics)


def test_real_thumbnail_enlarged_bilinear_is_upscaled_and_the_original_is_not(street_and_sunlit):
    # road_sign_phone: a 12-MP phone photo; a 240 px copy of it (a Zalo
    # thumbnail) blown up to 2400 px with bilinear interpolation lacks the
    # fine detail at full and at half scale
    rep = assess_photo(street_and_sunlit[("road_sign_phone", "enlarged240to2400")]["path"])
    assert severity(rep, "photo.upscaled") == "error", (
        rep.metrics["fine_detail_full"], rep.metrics["fine_detail_half"])
    p = next(p for p in rep.problems if p.code == "photo.upscaled")
    assert "Gửi ảnh gốc" in p.hint and unicodedata.is_normalized("NFC", p.message)
    for case in ("original", "phone_q70", "phone1600", "half", "noise"):
        rep = assess_photo(street_and_sunlit[("road_sign_phone", case)]["path"])
        assert "photo.upscaled" not in codes(rep), (case, rep.metrics["fine_detail_full"],
                                                     rep.metrics["fine_detail_half"])


def test_real_room_rotated_8_degrees_is_refused_though_lines_spread(real_cases):
    # state_room (face_recognition sdist): a state room whose mouldings and
    # door frames, seen in perspective, spread around the roll; rotated by
    # 8° two readings on the same side (about 5° and 8°) compete: both say
    # "rolled the same way by more than 4.5°", so the photo is refused, with
    # the winner's angle
    cases, reports = real_cases
    rep = next(r for c, r in zip(cases, reports)
               if c["photo"] == "state_room" and c["case"] == "tilt8")
    assert severity(rep, "photo.tilted") == "error", rep.metrics
    assert rep.metrics["tilt_angle"] == pytest.approx(8.0, abs=2.0)
    # the room as sent is not a tilt error
    for c, r in zip(cases, reports):
        if c["photo"] == "state_room" and c["label"] == "good":
            assert severity(r, "photo.tilted") != "error", (c["case"], r.metrics.get("tilt_angle"))


# --------------------------------------------------------------------------
# Real photos, 5 December 2026 (fifth round): a soft 800 px camera original,
# blur under noise and heavy JPEG in a big file
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fifth_round():
    # frozen_waterfall (sigal sdist): a 600x800 photo from an old Nikon
    # compact, soft at the pixel level as such cameras are; toy_heads and
    # red_tiles (npm simplelightbox): 2000 px photos, a JPEG that the check
    # decodes at half scale. All three were held_out_5, seen since and now
    # tuning data.
    return _photoset(["frozen_waterfall", "toy_heads", "red_tiles"])


def test_real_soft_800px_compact_photo_is_not_blurry(fifth_round):
    # 800 px is the size the site accepts; the photo is in focus, only its
    # camera is modest. The size gets its own warning, not a blur error.
    for case in ("original", "jpeg90", "phone_q70", "webp", "brighter05", "noise"):
        rep = assess_photo(fifth_round[("frozen_waterfall", case)]["path"])
        assert "photo.blurry" not in codes(rep), (case, rep.metrics["edge_width"])
        assert severity(rep, "photo.too_small") == "warning", case
    # the same photo out of focus or shaken is still refused
    for case in ("gauss0.003", "gauss0.006", "motion0.025@0", "motion0.035@90"):
        rep = assess_photo(fifth_round[("frozen_waterfall", case)]["path"])
        assert severity(rep, "photo.blurry") == "error", (case, rep.metrics["edge_width"])


@pytest.mark.parametrize("photo", ["toy_heads", "red_tiles"])
def test_real_blur_under_noise_and_jpeg_q15_is_blurry(fifth_round, photo):
    # out of focus by 0.35 % of the long side, with sensor noise, saved at
    # JPEG quality 15 (a photo passed through a data-saving app): the blocks
    # do not hide the blur, and the photo gets a verdict, not silence
    rep = assess_photo(fifth_round[(photo, "gauss+noise+jpeg15")]["path"])
    assert severity(rep, "photo.blurry") == "error", rep.metrics
    assert rep.metrics["edges_measured"] >= 150
    p = next(p for p in rep.problems if p.code == "photo.blurry")
    assert "mờ" in p.message and unicodedata.is_normalized("NFC", p.message)
    # the photo as sent and recompressed by a phone is not
    for case in ("original", "phone_q70", "half" if photo == "toy_heads" else "resize80"):
        c = fifth_round.get((photo, case))
        if c is not None:
            rep = assess_photo(c["path"])
            assert "photo.blurry" not in codes(rep), (case, rep.metrics["edge_width"])


def test_blocky_jpeg_decoded_at_reduced_scale_keeps_its_edges(fifth_round, tmp_path):
    # red_tiles (2000 px) saved at JPEG quality 15: decoded at half scale,
    # its blocks are 4 px, and leaving out the edges on block boundaries
    # would leave none. Sharp, it is still measured as sharp, and the same
    # photo out of focus by 0.35 % measures much wider.
    im = Image.open(fifth_round[("red_tiles", "original")]["path"]).convert("RGB")
    sharp = assess_photo(save(im, tmp_path / "s.jpg", quality=15))
    blurred = assess_photo(save(pc.gaussian_blur(im, 0.0035), tmp_path / "b.jpg", quality=15))
    assert sharp.metrics["jpeg_blockiness"] >= 2.0 or blurred.metrics["jpeg_blockiness"] >= 2.0
    assert sharp.metrics["edges_measured"] >= 150 and blurred.metrics["edges_measured"] >= 150
    assert "photo.blurry" not in codes(sharp), sharp.metrics["edge_width"]
    assert severity(blurred, "photo.blurry") == "error", blurred.metrics
    assert blurred.metrics["edge_width"] > 1.5 * sharp.metrics["edge_width"]


def colour_only_horizon(deg: float, w: int = 1500, h: int = 1000, seed: int = 1) -> Image.Image:
    """A dusk sea horizon seen only as a change of hue: pink sky over
    blue-grey water *of the same luma* on each row (Rec. 601), the light
    falling smoothly down the frame, with film grain. The boundary crosses
    the frame at ``deg`` degrees (counter-clockwise positive)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    sea = yy > 0.55 * h - (xx - w / 2) * math.tan(math.radians(deg))
    luma = (215.0 - 130.0 * yy / h)[..., None]

    def colour(cb: float, cr: float) -> np.ndarray:
        r = luma + 1.402 * (cr - 128)
        b = luma + 1.772 * (cb - 128)
        g = (luma - 0.299 * r - 0.114 * b) / 0.587
        return np.concatenate([r, g, b], axis=2)

    img = np.where(sea[..., None], colour(140, 120), colour(118, 150))
    img = img + rng.normal(0.0, 3.0, (h, w, 1))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


@pytest.mark.parametrize("deg", [-6, 6, 8])
def test_colour_only_horizon_tilted_is_refused(tmp_path, deg):
    # the horizon is no luma edge at all: only its colour shows where it is
    im = colour_only_horizon(deg)
    a = np.asarray(im.convert("L"), dtype=np.float32)
    h = a.shape[0]
    assert abs(a[int(0.45 * h):int(0.5 * h), 700:800].mean()
               - a[int(0.6 * h):int(0.65 * h), 700:800].mean()) < 0.1 * 255  # only the ramp
    rep = assess_photo(save(im, tmp_path / "sea.jpg", quality=90))
    assert severity(rep, "photo.tilted") == "error", rep.metrics.get("tilt_angle")
    assert rep.metrics["tilt_angle"] == pytest.approx(deg, abs=1.0)
    # and the same horizon level (or within a degree) is not refused
    for level in (0, 1):
        rep = assess_photo(save(colour_only_horizon(level), tmp_path / f"l{level}.jpg", quality=90))
        assert severity(rep, "photo.tilted") is None, rep.metrics.get("tilt_angle")
