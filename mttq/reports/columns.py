"""The monthly column (chuyên mục hằng tháng): one plan per year.

Seed 002, II.2: a table of twelve monthly themes, each with the unit that
coordinates it; "vào ngày 5 hàng tháng (nếu trùng thứ bảy, chủ nhật thì dời
xuống vào ngày thứ sáu gần kề …)" the unit agrees content and timing with the
provincial board (:func:`mttq.workdays.column_coordination_date`).

``data/columns/<year>.yaml``::

    year: 2023
    source: "Kế hoạch …"          # optional: where the plan comes from
    months:
      1:
        theme: "…"                 # required
        units: [tp-soc-trang]      # unit keys of data/units.yaml (one or more)
        notes: "Đã thực hiện"      # optional

Items join a month's column with ``Column: YYYY-MM``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from mttq.core.yamlfile import DataFileError, load_yaml

from mttq.registry.registries import Unit
from mttq.core.text import nfc
from mttq.calendar.workdays import column_coordination_date


class ColumnPlanError(ValueError):
    """A column plan file is malformed; the message (Vietnamese) names file and month."""


@dataclass(frozen=True)
class ColumnMonth:
    year: int
    month: int
    theme: str
    units: tuple[Unit, ...]
    notes: str = ""

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def coordination_date(self) -> dt.date:
        return column_coordination_date(self.year, self.month)


@dataclass(frozen=True)
class ColumnPlan:
    year: int
    months: dict[int, ColumnMonth]
    source: str = ""
    path: Path | None = None

    def month(self, month: int) -> ColumnMonth | None:
        return self.months.get(month)


def _text(value, where: str, name: str, required: bool) -> str:
    if value is None:
        if required:
            raise ColumnPlanError(f"{where}: thiếu «{name}».")
        return ""
    if not isinstance(value, (str, int, float)):
        raise ColumnPlanError(f"{where}: «{name}» phải là một đoạn chữ.")
    text = nfc(" ".join(str(value).split()))
    if required and not text:
        raise ColumnPlanError(f"{where}: «{name}» không được để trống.")
    return text


def load_column_plan(path: Path, units: Mapping[str, Unit]) -> ColumnPlan:
    """Read and validate one year's plan against the unit registry."""
    path = Path(path)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DataFileError) as exc:
        raise ColumnPlanError(f"{path}: không đọc được kế hoạch chuyên mục ({exc}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("months"), dict):
        raise ColumnPlanError(f"{path}: tệp phải có «year» và «months» (tháng → chuyên mục).")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ColumnPlanError(f"{path}: «year» phải là một năm, ví dụ 2023.")
    if path.stem.isdigit() and int(path.stem) != year:
        raise ColumnPlanError(f"{path}: tên tệp là năm {path.stem} nhưng «year» là {year}.")
    months: dict[int, ColumnMonth] = {}
    for month, entry in raw["months"].items():
        where = f"{path}, tháng {month}"
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            raise ColumnPlanError(f"{where}: tháng phải là số từ 1 đến 12.")
        if not isinstance(entry, dict):
            raise ColumnPlanError(f"{where}: phải có «theme» và «units».")
        unknown = set(entry) - {"theme", "units", "notes"}
        if unknown:
            raise ColumnPlanError(f"{where}: khóa không dùng được {sorted(map(str, unknown))}; "
                                  "chỉ dùng theme, units, notes.")
        keys = entry.get("units")
        if isinstance(keys, str):
            keys = [keys]
        if not isinstance(keys, list) or not keys:
            raise ColumnPlanError(f"{where}: «units» phải là danh sách mã đơn vị phối hợp.")
        chosen = []
        for key in keys:
            unit = units.get(str(key))
            if unit is None:
                raise ColumnPlanError(f"{where}: đơn vị '{key}' không có trong danh sách đơn vị.")
            if not unit.active_in_month(year, month):
                raise ColumnPlanError(f"{where}: đơn vị '{key}' không hoạt động trong tháng "
                                      f"{month}/{year}.")
            chosen.append(unit)
        months[month] = ColumnMonth(
            year=year, month=month, theme=_text(entry.get("theme"), where, "theme", True),
            units=tuple(chosen), notes=_text(entry.get("notes"), where, "notes", False),
        )
    source = _text(raw.get("source"), str(path), "source", False)
    return ColumnPlan(year, dict(sorted(months.items())), source, path)


def load_column_plans(directory: Path, units: Mapping[str, Unit]) -> dict[int, ColumnPlan]:
    """Every ``<year>.yaml`` of ``directory`` (none if it does not exist), by year."""
    directory = Path(directory)
    plans = {}
    if directory.is_dir():
        for path in sorted(directory.glob("*.yaml")):
            plan = load_column_plan(path, units)
            plans[plan.year] = plan
    return plans
