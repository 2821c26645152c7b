"""Topics and units: the site's two registries, read from ``data/*.yaml``.

Units change over time (the district level was abolished in 2025), so each
unit carries validity dates: an old item keeps its unit, while a new item and
the monthly quota only see units that existed on the day in question.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mttq.core.yamlfile import DataFileError, load_yaml

from mttq.core.paths import DATA_DIR
from mttq.core.runs import once_per_run
from mttq.core.text import is_slug, nfc

UNIT_KINDS = {
    "district": "Ủy ban MTTQ cấp huyện",
    "member": "Tổ chức thành viên",
    "department": "Phòng, ban chuyên môn",
}


class RegistryError(ValueError):
    """A registry data file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    kind: str
    quota: bool = False
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def kind_name(self) -> str:
        return UNIT_KINDS[self.kind]

    def active_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        return True

    def active_in_month(self, year: int, month: int) -> bool:
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return not (
            (self.valid_from and self.valid_from > last)
            or (self.valid_until and self.valid_until < first)
        )


def _load_list(path: Path) -> list[dict]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DataFileError) as exc:
        raise RegistryError(f"{path}: không đọc được tệp dữ liệu ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise RegistryError(f"{path}: tệp phải là một danh sách các mục 'key: …'")
    return data


def _as_date(value, path: Path, key: str, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RegistryError(f"{path}: '{key}': {field} phải có dạng YYYY-MM-DD") from exc


def _check_key(entry: dict, path: Path, seen: set[str]) -> str:
    key = str(entry.get("key", ""))
    if not is_slug(key):
        raise RegistryError(f"{path}: khóa '{key}' phải là chữ thường không dấu, nối bằng '-'")
    if key in seen:
        raise RegistryError(f"{path}: khóa '{key}' bị trùng")
    if not entry.get("name"):
        raise RegistryError(f"{path}: '{key}' thiếu 'name'")
    seen.add(key)
    return key


@once_per_run
def load_topics(path: Path = DATA_DIR / "topics.yaml") -> dict[str, Topic]:
    seen: set[str] = set()
    topics = {}
    for entry in _load_list(path):
        key = _check_key(entry, path, seen)
        topics[key] = Topic(key, nfc(str(entry["name"])), nfc(str(entry.get("description", ""))))
    return topics


@once_per_run
def load_units(path: Path = DATA_DIR / "units.yaml") -> dict[str, Unit]:
    seen: set[str] = set()
    units = {}
    for entry in _load_list(path):
        key = _check_key(entry, path, seen)
        kind = entry.get("kind")
        if kind not in UNIT_KINDS:
            raise RegistryError(f"{path}: '{key}': kind phải là một trong {', '.join(UNIT_KINDS)}")
        units[key] = Unit(
            key=key,
            name=nfc(str(entry["name"])),
            kind=kind,
            quota=bool(entry.get("quota", False)),
            valid_from=_as_date(entry.get("valid_from"), path, key, "valid_from"),
            valid_until=_as_date(entry.get("valid_until"), path, key, "valid_until"),
        )
    return units
