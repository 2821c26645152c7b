"""A small content tree with known topics, units, months, tags and photos."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

from sitefactory import make_photo, write_item, write_page

# slug: (type, topic, unit, date, tags)
ITEMS = {
    "ra-quan-nha-dai-doan-ket": ("tin", "van-dong-phong-trao", "my-xuyen", "2025-05-14 09:00", "Vì người nghèo, Nhà đại đoàn kết"),
    "trao-qua-tet-ho-ngheo": ("tin", "van-dong-phong-trao", "ke-sach", "2025-02-03 10:00", "Vì người nghèo"),
    "giam-sat-cong-trinh-duong-xa": ("bai", "giam-sat-phan-bien", "ke-sach", "2025-04-10 10:00", "Giám sát"),
    "doi-thoai-voi-nhan-dan": ("tin", "giam-sat-phan-bien", "tran-de", "2025-04-22 15:00", "Giám sát, Đối thoại"),
    "giao-luu-huu-nghi-campuchia": ("bai", "doi-ngoai-nhan-dan", "ban-pt-tg", "2025-05-20 08:00", "Đối ngoại"),
    "ngay-hoi-dai-doan-ket-khom-3": ("tin", "dai-doan-ket", "tp-soc-trang", "2025-03-18 16:30", "Ngày hội Đại đoàn kết"),
    "tap-huan-cong-tac-vien": ("tin", "cung-co-to-chuc", "ct-van-phong", "2026-09-08 09:00", "Tập huấn"),
}
DRAFT_SLUG = "ban-nhap-chua-duyet"
FUTURE_SLUG = "tin-hen-gio-dang"
PORTRAIT_SLUG = "ra-quan-nha-dai-doan-ket"  # its second photo is EXIF-rotated with GPS


def _exif_with_gps_and_rotation() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    gps = {1: "N", 2: (9.0, 36.0, 12.0), 3: "E", 4: (105.0, 58.0, 30.0)}
    exif[0x8825] = gps
    return exif


def write_fixture_content(root: Path) -> dict:
    root = Path(root)
    for n, (slug, (item_type, topic, unit, date, tags)) in enumerate(ITEMS.items()):
        photos = ("anh-1.jpg", "anh-2.jpg") if slug == PORTRAIT_SLUG else ("anh-1.jpg",)
        if slug == PORTRAIT_SLUG:
            folder = root / item_type / date[:4] / date[5:7] / slug
            folder.mkdir(parents=True, exist_ok=True)
            # Stored landscape 1600x1000 with orientation 6: shown as 1000x1600.
            make_photo(folder / "anh-2.jpg", size=(1600, 1000), seed=99,
                       exif=_exif_with_gps_and_rotation())
        write_item(root, slug, type=item_type, Category=topic, Unit=unit, date=date, Tags=tags,
                   photos=photos, seed=n, title=f"Tiêu đề {slug.replace('-', ' ')}")
    write_item(root, DRAFT_SLUG, Status="draft", seed=40)
    write_item(root, FUTURE_SLUG, date="2099-01-05 08:00", seed=41, Unit="ct-van-phong")
    write_page(root, "gioi-thieu", "Giới thiệu")
    by_topic: dict[str, list[str]] = {}
    by_unit: dict[str, list[str]] = {}
    for slug, (_, topic, unit, _, _) in ITEMS.items():
        by_topic.setdefault(topic, []).append(slug)
        by_unit.setdefault(unit, []).append(slug)
    return {"items": ITEMS, "by_topic": by_topic, "by_unit": by_unit}
