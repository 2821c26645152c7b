"""Content with known quota counts, for ``test_quota.py`` and ``test_reports_site.py``.

Units (a custom registry, via ``MTTQ_UNITS_FILE`` / ``invoke quota --units``):

- ``huyen-a``: meets the quota in 05/2023 (2 tin + 1 bài); one tin is late, the
  bài is late with a recorded reason (waived); one tin is dated 30/04 17:30 UTC,
  i.e. 01/05 00:30 in Vietnam, so it counts for May.
- ``huyen-b``: 2 tin in 05/2023 but its bài is dated 31/05 18:30 UTC = 01/06
  01:30 local, so May is one article short and June has the bài; a draft bài
  and a future bài never count.
- ``huyen-c``: ceased on 30/06/2023; meets May, short in June, absent after.
- ``vp``: a department; no rule of the quota policy covers its kind, so its
  items are not in the report.

The quota policy is the repository's ``data/quota.yaml``: districts owe
2 tin + 1 bài a month until 30/06/2025, so all of 2023.

Submission times come from ``Submitted`` (the trees are not in git).
"""
from __future__ import annotations

from pathlib import Path

from sitefactory import write_item

UNITS_YAML = """\
- {key: vp, name: Văn phòng Ủy ban MTTQ Việt Nam tỉnh, kind: department}
- {key: huyen-a, name: Ủy ban MTTQ Việt Nam huyện A, kind: district}
- {key: huyen-b, name: Ủy ban MTTQ Việt Nam huyện B, kind: district}
- {key: huyen-c, name: Ủy ban MTTQ Việt Nam huyện C, kind: district, valid_until: 2023-06-30}
"""

COLUMNS_2023_YAML = """\
year: 2023
months:
  5:
    theme: Chuyên mục thử tháng 5
    units: [huyen-a]
  11:
    theme: Chào mừng Ngày truyền thống Mặt trận Tổ quốc Việt Nam
    units: [huyen-a, huyen-b]
    notes: Ghi chú thử
"""

LATE_SLUG = "a-tin-tre-han"
WAIVED_SLUG = "a-bai-tre-co-ly-do"
ON_TIME_WAIVER_SLUG = "c-tin-dung-han-co-ly-do"
COLUMN_SLUG = "a-tin-chuyen-muc"
DRAFT_SLUG = "b-bai-nhap"
FUTURE_SLUG = "b-bai-tuong-lai"
BROKEN_SLUG = "a-bai-thieu-tom-tat"
WARNING_SLUG = "vp-tin-co-truong-la"

# slug: (type, unit, Date, extra metadata)
ITEMS = {
    # huyen-a, May 2023: 2 tin + 1 bài -> met; 1 late, 1 waived.
    COLUMN_SLUG: ("tin", "huyen-a", "2023-04-30T17:30:00Z", {"Column": "2023-05"}),
    LATE_SLUG: ("tin", "huyen-a", "2023-05-12 15:00", {
        "Event_date": "2023-05-08 08:00", "Submitted": "2023-05-12 10:00"}),
    WAIVED_SLUG: ("bai", "huyen-a", "2023-05-19 09:00", {
        "Event_date": "2023-05-15 08:00", "Submitted": "2023-05-18 16:00",
        "Deadline_waiver": "Mất điện diện rộng hai ngày"}),
    # huyen-b, May 2023: 2 tin (one on time) -> short of a bài; June: 1 bài.
    "b-tin-1": ("tin", "huyen-b", "2023-05-03 09:00", {}),
    "b-tin-dung-han": ("tin", "huyen-b", "2023-05-11 09:00", {
        "Event_date": "2023-05-10 08:00", "Submitted": "2023-05-11 08:00"}),
    "b-bai-cuoi-thang": ("bai", "huyen-b", "2023-05-31T18:30:00Z", {}),
    # huyen-c: May met, June one tin (its waiver is moot: on time).
    "c-tin-1": ("tin", "huyen-c", "2023-05-02 09:00", {}),
    "c-tin-2": ("tin", "huyen-c", "2023-05-20 09:00", {}),
    "c-bai-1": ("bai", "huyen-c", "2023-05-25 09:00", {}),
    ON_TIME_WAIVER_SLUG: ("tin", "huyen-c", "2023-06-10 09:00", {
        "Event_date": "2023-06-09 08:00", "Submitted": "2023-06-09 20:00",
        "Deadline_waiver": "Không cần"}),
    # A department: no quota.
    "vp-tin-1": ("tin", "vp", "2023-05-05 09:00", {}),
    # Never counted.
    DRAFT_SLUG: ("bai", "huyen-b", "2023-05-15 09:00", {"Status": "draft"}),
    FUTURE_SLUG: ("bai", "huyen-b", "2099-01-05 08:00", {}),
}


def write_units(path: Path) -> Path:
    path.write_text(UNITS_YAML, encoding="utf-8")
    return path


def write_columns(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "2023.yaml").write_text(COLUMNS_2023_YAML, encoding="utf-8")
    return directory


def write_quota_content(root: Path, *, broken: bool = False, warning: bool = False) -> Path:
    """The items above; ``broken`` adds an item with an error (only ``invoke quota``
    may read it: the build refuses it); ``warning`` adds one with an unknown field."""
    for n, (slug, (item_type, unit, date, extra)) in enumerate(ITEMS.items()):
        write_item(root, slug, type=item_type, Unit=unit, date=date,
                   extra=extra, seed=100 + n, title=f"Tiêu đề {slug.replace('-', ' ')}")
    if broken:
        write_item(root, BROKEN_SLUG, type="bai", Unit="huyen-a", date="2023-05-20 09:00",
                   Summary=None, seed=150)
    if warning:
        write_item(root, WARNING_SLUG, Unit="vp", date="2023-05-06 09:00",
                   extra={"Photographer": "Lê Văn Ảnh"}, seed=151)
    return root
