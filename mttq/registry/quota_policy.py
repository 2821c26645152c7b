"""The quota policy: which kinds of unit owe how many tin and bài a month, and when.

``data/quota.yaml`` holds one rule per period and group of unit kinds. The
plan's own rule (seed 002, II.1: the district-level committees, at least
2 tin + 1 bài a month) applies until 30/06/2025, when the district level
ended; from 01/07/2025 the commune-level committees owe what the file says.
A rule is data, not code: editors change a number or add a period in one
place, and every report says which rule it counted against.

Rules are monthly, so their periods start on a 1st and end on a month's last
day; two rules for the same kind never overlap, so a unit owes exactly one
rule (or none) in any month.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping


from mttq.core.paths import DATA_DIR
from mttq.core.runs import once_per_run
from mttq.core.text import nfc
from mttq.registry.entries import checked_entry, load_yaml
from mttq.registry.periods import Period, RegistryError, read_period

ITEM_KINDS = ("tin", "bai")
RULE_FIELDS = ("key", "name", "kinds", "from", "until", "tin", "bai", "source", "note")


class QuotaPolicyError(RegistryError):
    """``data/quota.yaml`` is malformed or does not fit the unit registry."""


@dataclass(frozen=True)
class QuotaRule:
    key: str
    name: str
    kinds: tuple[str, ...]
    period: Period
    tin: int
    bai: int
    source: str = ""  # where the rule comes from (a plan, a decision of the editors)
    note: str = ""

    @property
    def required(self) -> dict[str, int]:
        return {"tin": self.tin, "bai": self.bai}

    def applies(self, kind: str, year: int, month: int) -> bool:
        return kind in self.kinds and self.period.overlaps_month(year, month)

    @property
    def requirement_text(self) -> str:
        return requirement_text(self.required)

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, "kinds": list(self.kinds),
                **self.period.as_json(), "required": self.required, "source": self.source}


def requirement_text(required: Mapping[str, int]) -> str:
    """``{"tin": 2, "bai": 1}`` -> ``2 tin, 1 bài``; a zero is left out."""
    parts = [f"{required[k]} {'tin' if k == 'tin' else 'bài'}" for k in ITEM_KINDS if required.get(k)]
    return ", ".join(parts) or "không"


@dataclass(frozen=True)
class QuotaPolicy:
    rules: tuple[QuotaRule, ...]
    path: Path | None = None

    def rule_for(self, kind: str, year: int, month: int) -> QuotaRule | None:
        for rule in self.rules:
            if rule.applies(kind, year, month):
                return rule
        return None

    def rules_in(self, year: int, month: int | None = None) -> list[QuotaRule]:
        """The rules in force in a month (or in some month of a year)."""
        months = [month] if month else range(1, 13)
        return [r for r in self.rules if any(r.period.overlaps_month(year, m) for m in months)]

    def kinds(self) -> set[str]:
        return {kind for rule in self.rules for kind in rule.kinds}

    def check_kinds(self, known: Iterable[str]) -> None:
        """Every kind a rule names is a kind of the unit registry."""
        known = set(known)
        for rule in self.rules:
            for kind in rule.kinds:
                if kind not in known:
                    raise QuotaPolicyError(
                        f"{self.path or 'quy định chỉ tiêu'}: quy định '{rule.key}' ghi loại đơn "
                        f"vị '{kind}', nhưng danh sách đơn vị không có loại này (các loại: "
                        f"{', '.join(sorted(known))}).")

    @classmethod
    def from_requirements(cls, requirements: Mapping[str, Mapping[str, int]]) -> "QuotaPolicy":
        """One rule per kind, in force at all times (``{"district": {"tin": 2, "bai": 1}}``)."""
        return cls(tuple(
            QuotaRule(f"chi-tieu-{kind}", f"Chỉ tiêu của loại đơn vị {kind}", (kind,), Period(),
                      int(required.get("tin", 0)), int(required.get("bai", 0)))
            for kind, required in requirements.items()))


def _count(entry: dict, field: str, path: Path, where: str) -> int:
    value = entry.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise QuotaPolicyError(f"{path}: {where}: '{field}' là số tin, bài mỗi tháng (0, 1, 2…), "
                               f"không phải '{value}'.")
    return value


def _rule(entry, path: Path, seen: set[str]) -> QuotaRule:
    key, where = checked_entry(entry, path, seen, "quy định", RULE_FIELDS,
                               "'key: …, kinds: […], tin: …, bai: …'", QuotaPolicyError)
    if not entry.get("name"):
        raise QuotaPolicyError(f"{path}: {where}: thiếu 'name' (tên quy định, hiện trên báo cáo).")
    kinds = entry.get("kinds")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not kinds or not isinstance(kinds, list):
        raise QuotaPolicyError(f"{path}: {where}: 'kinds' là danh sách loại đơn vị phải thực "
                               "hiện, ví dụ [commune, ward].")
    period = read_period(entry, path, where)
    if not period.month_aligned:
        raise QuotaPolicyError(
            f"{path}: {where}: chỉ tiêu tính theo tháng, nên 'from' phải là ngày 1 và 'until' "
            f"là ngày cuối tháng (hiện là {period.label()}).")
    return QuotaRule(key, nfc(str(entry["name"])), tuple(str(k) for k in kinds), period,
                     _count(entry, "tin", path, where), _count(entry, "bai", path, where),
                     nfc(str(entry.get("source") or "")), nfc(str(entry.get("note") or "")))


def parse_quota_policy(data, path: Path) -> QuotaPolicy:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise QuotaPolicyError(f"{path}: tệp phải có mục 'rules:' là danh sách các quy định "
                               "chỉ tiêu (xem phần đầu tệp data/quota.yaml).")
    seen: set[str] = set()
    rules = tuple(_rule(entry, path, seen) for entry in data["rules"])
    for n, rule in enumerate(rules):
        for other in rules[:n]:
            shared = set(rule.kinds) & set(other.kinds)
            if shared and rule.period.overlaps_period(other.period):
                raise QuotaPolicyError(
                    f"{path}: quy định '{other.key}' ({other.period.label()}) và '{rule.key}' "
                    f"({rule.period.label()}) cùng áp dụng cho loại đơn vị "
                    f"'{sorted(shared)[0]}' trong cùng thời gian. Sửa 'until' của quy định cũ "
                    "thành ngày trước 'from' của quy định mới.")
    return QuotaPolicy(rules, path)


@once_per_run
def load_quota_policy(path: Path = DATA_DIR / "quota.yaml") -> QuotaPolicy:
    data = load_yaml(path, "tệp quy định chỉ tiêu", QuotaPolicyError)
    return parse_quota_policy(data, Path(path))
