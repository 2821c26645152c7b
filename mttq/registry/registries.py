"""Topics and units: the site's two registries, read from ``data/*.yaml``.

Units change over time. On 01/07/2025 the district level ended and three
provinces became the city of Cần Thơ: the district committees and the old
province's bodies end on 30/06/2025, the new city's Front office, its
departments, the organisations under the Front and the commune-level
committees begin on 01/07/2025. So each unit has a validity period and, when
it ended, its successors: an old item keeps its unit (and its unit page,
marked as a former unit), while a new item and the monthly quota only see the
units that existed on the day in question.

``data/units.yaml`` is a mapping (see its header for the fields):

- ``periods``: named date ranges (``from``/``until``), so 114 units need not
  repeat the same two dates;
- ``kinds``: the kinds of unit and their Vietnamese names (the quota policy,
  ``data/quota.yaml``, says which kinds owe items);
- ``units``: one entry per unit: ``key``, ``name``, ``kind``, ``period`` or
  ``from``/``until``, ``successors``.

The older format, a plain list of units with ``valid_from``/``valid_until``
and the default kinds, is still read (tests and other provinces' files).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from mttq.core.paths import DATA_DIR
from mttq.core.runs import once_per_run
from mttq.core.text import is_slug, nfc
from mttq.registry.entries import load_yaml
from mttq.registry.periods import Period, RegistryError, read_period

__all__ = ["RegistryError", "Topic", "Unit", "UNIT_KINDS", "load_topics", "load_units",
           "load_unit_registry", "UnitRegistry"]

# Kinds known without a ``kinds`` section in the file.
UNIT_KINDS = {
    "district": "Ủy ban MTTQ cấp huyện",
    "member": "Tổ chức thành viên",
    "department": "Phòng, ban chuyên môn",
    "under-front": "Tổ chức chính trị – xã hội trực thuộc Mặt trận",
    "ward": "Ủy ban MTTQ phường",
    "commune": "Ủy ban MTTQ xã",
}
UNIT_FIELDS = ("key", "name", "kind", "period", "from", "until", "valid_from", "valid_until",
               "successors", "note")


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
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    successors: tuple[str, ...] = ()  # keys of the units that carry on its work
    kind_label: str = ""  # the kind's Vietnamese name (from the file's ``kinds``)
    note: str = ""  # shown on the unit page (e.g. what its successors cover)
    predecessors: tuple[str, ...] = ()  # filled from the others' ``successors``

    @property
    def kind_name(self) -> str:
        return self.kind_label or UNIT_KINDS.get(self.kind, self.kind)

    @property
    def period(self) -> Period:
        return Period(self.valid_from, self.valid_until)

    def active_on(self, day: dt.date) -> bool:
        return self.period.contains(day)

    def active_in_month(self, year: int, month: int) -> bool:
        return self.period.overlaps_month(year, month)

    def ended_before(self, day: dt.date) -> bool:
        """A former unit on ``day``: it had ended."""
        return self.valid_until is not None and self.valid_until < day

    def starts_after(self, day: dt.date) -> bool:
        return self.valid_from is not None and self.valid_from > day


class UnitRegistry(dict):
    """key -> :class:`Unit`, in file order, with the file's kinds and periods."""

    def __init__(self, units, kinds: dict[str, str], periods: dict[str, Period], path: Path):
        super().__init__(units)
        self.kinds = kinds
        self.periods = periods
        self.path = path

    def active_on(self, day: dt.date) -> list[Unit]:
        return [u for u in self.values() if u.active_on(day)]

    def successors_of(self, unit: Unit) -> list[Unit]:
        return [self[key] for key in unit.successors]

    def predecessors_of(self, unit: Unit) -> list[Unit]:
        return [self[key] for key in unit.predecessors]


def _load_list(path: Path, data=None) -> list[dict]:
    data = load_yaml(path, "tệp dữ liệu") if data is None else data
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise RegistryError(f"{path}: tệp phải là một danh sách các mục 'key: …'")
    return data


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


def _kinds(data, path: Path) -> dict[str, str]:
    if data is None:
        return dict(UNIT_KINDS)
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: 'kinds' phải là các dòng 'mã-loại: Tên loại đơn vị'.")
    kinds = {}
    for key, value in data.items():
        name = value.get("name") if isinstance(value, dict) else value
        if not is_slug(str(key)) or not name:
            raise RegistryError(f"{path}: loại đơn vị '{key}': ghi 'mã-loại: Tên loại' (mã chữ "
                                "thường không dấu, nối bằng '-').")
        kinds[str(key)] = nfc(str(name))
    return kinds


def _periods(data, path: Path) -> dict[str, Period]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: 'periods' phải là các mục 'tên-giai-đoạn: {{from: …, "
                            "until: …}}'.")
    periods = {}
    for key, value in data.items():
        if not is_slug(str(key)) or not isinstance(value, dict):
            raise RegistryError(f"{path}: giai đoạn '{key}': ghi 'tên-giai-doan: {{from: "
                                "YYYY-MM-DD, until: YYYY-MM-DD}}'.")
        periods[str(key)] = read_period(value, path, f"giai đoạn '{key}'")
    return periods


def _unit(entry: dict, key: str, path: Path, kinds: dict[str, str],
          periods: dict[str, Period]) -> Unit:
    where = f"đơn vị '{key}'"
    if "quota" in entry:
        raise RegistryError(
            f"{path}: {where}: trường 'quota' không còn dùng. Chỉ tiêu tin, bài theo loại đơn "
            "vị và theo giai đoạn ghi trong data/quota.yaml; xóa 'quota' khỏi dòng này.")
    unknown = [field for field in entry if field not in UNIT_FIELDS]
    if unknown:
        raise RegistryError(f"{path}: {where}: trường '{unknown[0]}' không dùng được. Các "
                            f"trường: {', '.join(UNIT_FIELDS)}.")
    kind = entry.get("kind")
    if kind not in kinds:
        raise RegistryError(f"{path}: {where}: kind phải là một trong {', '.join(kinds)}")
    period = read_period(entry, path, where, start_keys=("from", "valid_from"),
                         end_keys=("until", "valid_until"), named=periods)
    successors = entry.get("successors") or []
    if isinstance(successors, str):
        successors = [successors]
    if not isinstance(successors, list):
        raise RegistryError(f"{path}: {where}: 'successors' là danh sách mã đơn vị, ví dụ "
                            "[phuong-ninh-kieu, xa-phong-dien].")
    return Unit(key=key, name=nfc(str(entry["name"])), kind=kind, valid_from=period.start,
                valid_until=period.end, successors=tuple(str(s) for s in successors),
                kind_label=kinds[kind], note=nfc(str(entry.get("note") or "")))


def _link_successors(units: dict[str, Unit], path: Path) -> dict[str, Unit]:
    """Check every successor and fill in the predecessors."""
    predecessors: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.successors and unit.valid_until is None:
            raise RegistryError(f"{path}: đơn vị '{unit.key}' có 'successors' nhưng chưa có ngày "
                                "kết thúc: ghi 'until' (ngày cuối cùng đơn vị hoạt động).")
        for key in unit.successors:
            successor = units.get(key)
            if successor is None:
                raise RegistryError(f"{path}: đơn vị '{unit.key}': đơn vị kế tục '{key}' không "
                                    "có trong danh sách.")
            day_after = unit.valid_until + dt.timedelta(days=1)
            if not successor.active_on(day_after):
                raise RegistryError(
                    f"{path}: đơn vị '{unit.key}' kết thúc ngày {unit.valid_until:%d/%m/%Y} nhưng "
                    f"đơn vị kế tục '{key}' không hoạt động vào ngày {day_after:%d/%m/%Y}.")
            predecessors.setdefault(key, []).append(unit.key)
    return {key: (replace(unit, predecessors=tuple(predecessors[key]))
                  if key in predecessors else unit) for key, unit in units.items()}


@once_per_run
def load_unit_registry(path: Path = DATA_DIR / "units.yaml") -> UnitRegistry:
    """Every unit of the file, validated (messages name the file and the entry)."""
    path = Path(path)
    data = load_yaml(path, "tệp dữ liệu")
    if isinstance(data, list):  # the older format: a plain list, the default kinds
        data = {"units": data}
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise RegistryError(f"{path}: tệp phải có mục 'units:' là danh sách các đơn vị "
                            "(xem phần đầu tệp data/units.yaml).")
    unknown = [k for k in data if k not in ("units", "kinds", "periods")]
    if unknown:
        raise RegistryError(f"{path}: mục '{unknown[0]}' không dùng được (chỉ có periods, kinds, "
                            "units).")
    kinds = _kinds(data.get("kinds"), path)
    periods = _periods(data.get("periods"), path)
    seen: set[str] = set()
    units = {}
    for entry in _load_list(path, data["units"]):
        key = _check_key(entry, path, seen)
        units[key] = _unit(entry, key, path, kinds, periods)
    return UnitRegistry(_link_successors(units, path), kinds, periods, path)


def load_units(path: Path = DATA_DIR / "units.yaml") -> UnitRegistry:
    """The unit registry (a dict key -> :class:`Unit`; kept for its callers)."""
    return load_unit_registry(Path(path))


# What the unit check says when a unit did not exist on the day it is judged
# at (mttq/content/item.py): the message names the unit, the day and why that
# day; the hint names the units to use instead (successors or predecessors).
UNIT_DAY_BASES = {
    "event_date": "ngày diễn ra sự kiện (Event_date)",
    "submitted": "ngày gửi tin, bài (Submitted)",
    "date": "ngày đăng (Date)",
    "today": "hôm nay (ngày gửi)",
    "committed": "ngày gửi theo git (commit đầu tiên)",
}


def _unit_list(units: list[Unit]) -> str:
    return "; ".join(f"`{u.key}` ({u.name})" for u in units)


def unit_not_active(units: dict[str, Unit], unit: Unit, day: dt.date,
                    basis: str) -> tuple[str, str] | None:
    """(message, hint) when ``unit`` did not exist on ``day``; None when it did."""
    if unit.active_on(day):
        return None
    on = f"{UNIT_DAY_BASES[basis]} {day:%d/%m/%Y}"
    if unit.ended_before(day):
        message = (f"Đơn vị '{unit.name}' đã kết thúc hoạt động ngày "
                   f"{unit.valid_until:%d/%m/%Y}, trước {on}.")
        others = [units[k] for k in unit.successors if k in units and units[k].active_on(day)]
        since = unit.valid_until + dt.timedelta(days=1)
        hint = (f"Từ {since:%d/%m/%Y}, ghi mã của đơn vị kế tục: {_unit_list(others)}."
                if others else
                f"Từ {since:%d/%m/%Y}, ghi mã của đơn vị đang hoạt động vào {on}, ví dụ Ủy "
                "ban MTTQ xã, phường nơi diễn ra sự kiện (danh sách trong `data/units.yaml`).")
        hint += " Nếu tin, bài nói về sự kiện trước ngày đó, ghi đúng `Event_date`."
        return message, hint
    message = (f"Đơn vị '{unit.name}' bắt đầu hoạt động từ ngày {unit.valid_from:%d/%m/%Y}, "
               f"sau {on}.")
    others = [units[k] for k in unit.predecessors if k in units and units[k].active_on(day)]
    hint = (f"Với sự kiện trước ngày {unit.valid_from:%d/%m/%Y}, ghi mã đơn vị lúc đó: "
            f"{_unit_list(others)}." if others else
            f"Ghi mã của đơn vị đang hoạt động vào {on} (danh sách trong `data/units.yaml`).")
    return message, hint
