"""Responsive photo renditions, encoded once and cached outside ``output/``.

Planning a photo reads only its header (size and EXIF orientation), so the
Markdown reader can write ``width``/``height`` and ``srcset`` cheaply. Encoding
happens later, in parallel, into a cache keyed by the source's content hash and
the rendition settings (like Hugo's ``resources/_gen``): an unchanged photo is
never encoded twice, even by a publish that starts from an empty output folder.
Published files are re-encoded pixels only: EXIF, GPS and XMP never reach them.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

from mttq.core.filecache import StatMemo

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
FORMATS = {"jpeg": ".jpg", "webp": ".webp"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}
JPEG_QUALITY = 82
WEBP_QUALITY = 78
# libwebp's effort (0-6, default 4): 2 encodes ~3x faster for files ~2-3 % larger.
WEBP_METHOD = 2
ENCODER_VERSION = 2  # bump when the encoding changes, so cached files are redone

# EXIF orientations that swap width and height.
_TRANSPOSED = {5, 6, 7, 8}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # "jpeg" or "webp"
    path: str  # posix path relative to the output root

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


@dataclass(frozen=True)
class PhotoPlan:
    source: str  # absolute path of the contributed photo
    width: int  # upright size of the source
    height: int
    renditions: tuple[Rendition, ...]

    def of(self, fmt: str) -> list[Rendition]:
        return [r for r in self.renditions if r.format == fmt]

    def closest(self, width: int, fmt: str = "jpeg") -> Rendition:
        """The smallest rendition at least ``width`` wide (else the largest)."""
        candidates = self.of(fmt)
        wide_enough = [r for r in candidates if r.width >= width]
        return wide_enough[0] if wide_enough else candidates[-1]

    def srcset(self, fmt: str, prefix: str = "") -> str:
        return ", ".join(f"{prefix}/{r.path} {r.width}w" for r in self.of(fmt))


def upright_size(path: str | os.PathLike) -> tuple[int, int]:
    """Width and height as shown, from the header only (no pixel decoding)."""
    with Image.open(path) as image:
        width, height = image.size
        try:
            orientation = image.getexif().get(0x0112, 1)
        except Exception:  # a broken EXIF block must not hide the photo
            orientation = 1
    if orientation in _TRANSPOSED:
        width, height = height, width
    return width, height


def rendition_widths(source_width: int, widths=DEFAULT_WIDTHS) -> list[int]:
    """Standard widths below the source's, plus the source width when smaller
    than the largest standard one: never upscale, always at least one."""
    chosen = {w for w in widths if w < source_width}
    chosen.add(min(source_width, max(widths)))
    return sorted(chosen)


def plan_photo(source: Path, output_dir: str, widths=DEFAULT_WIDTHS) -> PhotoPlan:
    width, height = upright_size(source)
    stem = Path(source).stem.lower()
    renditions = []
    for fmt, suffix in FORMATS.items():
        for w in rendition_widths(width, widths):
            h = max(1, round(height * w / width))
            renditions.append(Rendition(w, h, fmt, f"{output_dir}/{stem}-{w}{suffix}"))
    return PhotoPlan(str(source), width, height, tuple(renditions))


# --- encoding ----------------------------------------------------------------

def _settings_key(widths) -> str:
    text = json.dumps([ENCODER_VERSION, JPEG_QUALITY, WEBP_QUALITY, WEBP_METHOD, sorted(widths)])
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def content_digest(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()[:24]


def _cached_name(digest: str, rendition: Rendition, key: str) -> str:
    return f"{digest[:2]}/{digest}-{key}-{rendition.width}{FORMATS[rendition.format]}"


class RenditionError(RuntimeError):
    """A rendition could not be written whole, or a cached one is damaged.

    The build fails (the published site stays) with this Vietnamese message.
    """


def _write_whole(data: bytes, target: str, source: str) -> str:
    """Write ``data`` to ``target`` (through a temporary name) and prove it whole.

    Pillow writes an optimized or progressive JPEG with a single ``write()``
    and ignores a short count, so a file-size limit or a nearly full disk gave
    truncated photos and no error. Here the bytes are encoded in memory,
    written by Python (which repeats short writes and raises on errors), and
    the size on disk is compared with the size encoded before the file gets
    its real name. Returns the SHA-256 of the bytes.
    """
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        size = os.path.getsize(tmp)
        if size != len(data):
            raise OSError(errno.EIO, f"{size} of {len(data)} bytes written")
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RenditionError(
            f"Không ghi được trọn bản thu nhỏ của ảnh {source} ({exc.strerror or exc}): ổ đĩa "
            "đầy hoặc tệp bị giới hạn kích thước. Giải phóng chỗ trống (hoặc bỏ giới hạn) rồi "
            "dựng lại; trang đang đăng được giữ nguyên.") from None
    return hashlib.sha256(data).hexdigest()


def encode_photo(source: str, jobs: list[tuple[int, int, str, str]],
                 limits=None) -> tuple[list[tuple[str, str]], object | None]:
    """Encode one source into ``jobs`` = [(width, height, format, target)].

    Runs in a worker process. Decodes once; JPEG sources are decoded at reduced
    scale (DCT scaling) when even the largest rendition is at most half the
    source. Each size is resized once, from the next larger one (a cascade:
    cheaper than resizing every size from the full source), and serves both
    formats.

    ``limits`` (:class:`mttq.photos.quality.PhotoLimits`): the photo check is
    run on the same decoded pixels (one decode per photo in a build), and its
    report returned; None: no check.

    Returns ``([(target, sha256)], report)``: the digest of the bytes written,
    recorded with the cache entry and checked before the entry is used again,
    and the photo check's report (or None).
    """
    largest_w, largest_h = max((w, h) for w, h, _, _ in jobs)
    written: list[tuple[str, str]] = []
    with Image.open(source) as image:
        if image.format == "JPEG":
            try:
                orientation = image.getexif().get(0x0112, 1)
            except Exception:
                orientation = 1
            # draft() keeps the stored (not yet upright) image at least this large.
            need = ((largest_h, largest_w) if orientation in _TRANSPOSED
                    else (largest_w, largest_h))
            image.draft("RGB", need)
        report = None
        if limits is not None:
            from mttq.photos.quality import assess_photo

            image.load()
            report = assess_photo(source, limits, decoded=image)
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            if "A" in image.getbands() or image.mode == "P":
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
            else:
                background.paste(image.convert("RGB"))
            image = background
        image = image.convert("RGB")
        icc = image.info.get("icc_profile")
        options = {"icc_profile": icc} if icc else {}
        resized = image
        for width, height in sorted({(w, h) for w, h, _, _ in jobs}, reverse=True):
            if resized.size != (width, height):
                resized = resized.resize((width, height), Image.Resampling.LANCZOS,
                                         reducing_gap=3.0)
            resized.info = {}  # nothing of the source's metadata travels on
            for fmt, target in [(f, t) for w, h, f, t in jobs if (w, h) == (width, height)]:
                buffer = io.BytesIO()
                if fmt == "jpeg":
                    resized.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True,
                                 progressive=True, **options)
                else:
                    resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD,
                                 **options)
                written.append((target, _write_whole(buffer.getvalue(), target, source)))
    return written, report


@dataclass
class RenditionStats:
    photos: int = 0
    renditions: int = 0
    encoded_photos: int = 0
    encoded_renditions: int = 0
    linked: int = 0
    checked: dict = field(default_factory=dict)  # source -> photo check report (encoded now)


def _place(cached: str, target: str) -> bool:
    """Hard-link (or copy) a cached file into the output; False if already there.

    Plain strings and one system call in the usual case (a fresh output folder):
    a warm build places tens of thousands of files.
    """
    for _ in range(3):
        try:
            os.link(cached, target)
            return True
        except FileExistsError:
            here, there = os.stat(target), os.stat(cached)
            if (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev):
                return False
            os.unlink(target)
        except FileNotFoundError:
            if not os.path.exists(cached):
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError:  # no hard links here (another file system, say): copy
            break
    shutil.copyfile(cached, target)
    if os.path.getsize(target) != os.path.getsize(cached):
        raise RenditionError(f"Không chép được trọn {cached} vào {target}: ổ đĩa đầy? "
                             "Giải phóng chỗ trống rồi dựng lại; trang đang đăng được giữ nguyên.")
    return True


def _verified(memo: StatMemo, path: str) -> bool:
    """Is the cached file ``path`` the one that was written and checked?

    Its size and modification time must be those recorded when it was
    written (one ``stat``); if they changed, its SHA-256 must still be the
    recorded one. A file without a record (left by an older build, which did
    not check its writes) is not trusted: it is encoded again.
    """
    try:
        hit, _ = memo.lookup(path)
    except FileNotFoundError:
        return False
    if hit:
        return True
    entry = memo.known.get(path)
    if entry is None:
        return False
    if hashlib.sha256(Path(path).read_bytes()).hexdigest() != entry[2]:
        return False
    memo.put(path, entry[2])
    return True


def publish_renditions(plans, output_root: Path, cache_dir: Path, widths=DEFAULT_WIDTHS,
                       workers: int | None = None, limits=None) -> RenditionStats:
    """Make sure every planned rendition exists in ``output_root``.

    ``limits``: also check every photo encoded now, from the same decoded
    pixels (``stats.checked``: source -> report), so that a cold build
    decodes each photo once."""
    cache_dir = Path(cache_dir)
    hashes = StatMemo(cache_dir / "source-hashes.json")
    written = StatMemo(cache_dir / "rendition-digests.json")  # checked cache entries
    key = _settings_key(widths)
    stats = RenditionStats()
    to_encode: dict[str, list[tuple[int, int, str, str]]] = {}
    # Sources with the same bytes (one photo in several items) share their cached
    # renditions: encoded once, from the first of them; the others get its check.
    encoding: dict[str, str] = {}  # digest -> the source encoded for it
    twins: dict[str, list[str]] = {}  # encoded source -> the other sources with its bytes
    placements: list[tuple[str, str]] = []
    seen: set[str] = set()
    root = os.path.join(str(cache_dir), "renditions")
    output_root = str(output_root)
    for plan in plans:
        if plan.source in seen:
            continue
        seen.add(plan.source)
        stats.photos += 1
        digest = hashes.get(plan.source, content_digest)
        jobs = []
        missing = False
        for rendition in plan.renditions:
            stats.renditions += 1
            name = _cached_name(digest, rendition, key)
            cached = os.path.join(root, name)
            missing = missing or not _verified(written, cached)
            jobs.append((rendition.width, rendition.height, rendition.format, cached))
            placements.append((cached, os.path.join(output_root, rendition.path)))
        if missing and digest in encoding:
            twins[encoding[digest]].append(plan.source)
        elif missing:  # all of a photo's sizes at once: the resize cascade is always the same
            os.makedirs(os.path.dirname(jobs[0][3]), exist_ok=True)
            to_encode[plan.source] = jobs
            encoding[digest] = plan.source
            twins[plan.source] = []
    hashes.save()
    if to_encode:
        stats.encoded_photos = len(to_encode)
        workers = workers or os.cpu_count() or 1
        if workers > 1 and len(to_encode) > 1:
            workers = min(workers, len(to_encode))
            # Chunks of 4 cut the pool's overhead on a cold build; a few new photos
            # (one merged item) go one per worker, not all in the first chunk.
            chunk = max(1, min(4, len(to_encode) // (2 * workers)))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                done = list(pool.map(encode_photo, to_encode, to_encode.values(),
                                     [limits] * len(to_encode), chunksize=chunk))
        else:
            done = [encode_photo(s, j, limits) for s, j in to_encode.items()]
        for source, (records, report) in zip(to_encode, done):
            for cached, digest in records:
                written.put(cached, digest)
            stats.encoded_renditions += len(records)
            if report is not None:
                stats.checked[source] = report
                for twin in twins[source]:
                    stats.checked[twin] = report
        written.save()
    for cached, target in placements:
        stats.linked += _place(cached, target)
    return stats
