"""Builders of small, real content trees for tests (items, photos, pages)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from PIL import Image

DEFAULT_META = {
    "Category": "van-dong-phong-trao",
    "Unit": "my-xuyen",
    "Author": "Nguyễn Thị Lan",
    "Summary": "Tóm tắt ngắn của tin.",
}


def make_photo(path: Path, size=(1600, 1067), seed: int = 0, exif: Image.Exif | None = None,
               fmt: str = "JPEG") -> Path:
    """A sharp, well-exposed, photo-like picture: sky, ground, blocks, texture."""
    rng = np.random.default_rng(seed)
    width, height = size
    y = np.linspace(0, 1, height)[:, None]
    sky = np.stack([120 + 80 * y, 160 + 60 * y, 220 - 20 * y], axis=-1)
    image = np.broadcast_to(sky, (height, width, 3)).copy()
    horizon = int(height * 0.55)
    # the ground darkens towards the camera (foreground in shade), so the
    # picture has real shadows, as a photo does, not a flat grey range
    near = np.linspace(1.0, 0.45, height - horizon)[:, None, None]
    image[horizon:] = np.array([70, 120, 50]) * near
    for _ in range(14):
        x0 = int(rng.integers(0, width - width // 8))
        w = int(rng.integers(width // 20, width // 6))
        h = int(rng.integers(height // 10, height // 3))
        image[horizon - h:horizon, x0:x0 + w] = rng.integers(30, 230, 3)
    image += rng.normal(0, 6, image.shape)
    Image.fromarray(np.clip(image, 0, 255).astype("uint8")).save(
        path, fmt, quality=88, **({"exif": exif} if exif is not None else {}))
    return Path(path)


def write_item(root: Path, slug: str, *, type: str = "tin", date: str | None = "2025-05-14 09:00",
               title: str | None = None, photos=("anh-1.jpg",), body: str | None = None,
               folder_month: str | None = None, extra: dict | None = None, seed: int = 0,
               **meta) -> Path:
    """Write ``<root>/<type>/<yyyy>/<mm>/<slug>/index.md`` with its photos."""
    when = dt.datetime.fromisoformat(date) if date else dt.datetime(2025, 5, 14)
    yyyy, mm = (folder_month or f"{when:%Y-%m}").split("-")
    folder = Path(root) / type / yyyy / mm / slug
    folder.mkdir(parents=True, exist_ok=True)
    fields = {"Title": title or f"Tin thử nghiệm {slug}", "Type": type, **DEFAULT_META}
    if date:
        fields["Date"] = date
    fields.update({k.capitalize() if k.islower() else k: v for k, v in meta.items()})
    fields.update(extra or {})
    header = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    if body is None:
        body = "Nội dung tin về hoạt động của Mặt trận.\n\n" + "\n\n".join(
            f"![Ảnh {i + 1} của {slug}]({name})" for i, name in enumerate(photos))
    for i, name in enumerate(photos):
        if not (folder / name).exists():
            make_photo(folder / name, seed=seed * 10 + i)
    (folder / "index.md").write_text(f"{header}\n\n{body}\n", encoding="utf-8")
    return folder / "index.md"


def write_page(root: Path, slug: str, title: str, body: str = "Nội dung trang.") -> Path:
    folder = Path(root) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(f"Title: {title}\nSlug: {slug}\n\n{body}\n", encoding="utf-8")
    return path
