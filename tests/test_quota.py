"""``invoke quota``, the column plans and the anniversaries: expected values by hand."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from mttq.reports.anniversaries import Anniversary, current_banners, load_anniversaries, years_since
from mttq.reports.columns import ColumnPlanError, load_column_plan, load_column_plans
from mttq.core.paths import DATA_DIR
from mttq.core.times import parse_month
from mttq.reports.quota import (
    QuotaConfigError, format_table, month_report, months_until, published, read_records,
    today_from_setting, year_report,
)
from mttq.registry.quota_policy import QuotaPolicy, load_quota_policy
from mttq.content.history import History
from mttq.content.item import Item, ItemMeta
from mttq.registry.registries import load_topics, load_units
from mttq.content.item import Registries
from mttq.core.times import LOCAL_TZ
from mttq.calendar.workdays import column_coordination_date
from quota_content import (
    BROKEN_SLUG, DRAFT_SLUG, FUTURE_SLUG, write_quota_content, write_units,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
REQ = {"tin": 2, "bai": 1}
QUOTA = {"district": REQ}


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("quota")
    content = write_quota_content(base / "content", broken=True)
    units = write_units(base / "units.yaml")
    return content, units


def quota_json(tree, *args):
    content, units = tree
    result = invoke("quota", *args, "--format", "json", "--content", str(content),
                    "--units", str(units))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def row(unit, name, tin, bai, met, late=0, waived=0):
    return {"unit": unit, "name": f"Ủy ban MTTQ Việt Nam huyện {name}", "tin": tin, "bai": bai,
            "required": REQ, "met": met, "late": late, "waived": waived}


MAY = {"month": "2023-05", "units": [
    row("huyen-a", "A", 2, 1, True, late=1, waived=1),
    row("huyen-b", "B", 2, 0, False),
    row("huyen-c", "C", 2, 1, True),
]}
JUNE = {"month": "2023-06", "units": [
    row("huyen-a", "A", 0, 0, False),
    row("huyen-b", "B", 0, 1, False),
    row("huyen-c", "C", 1, 0, False),  # the on-time item's waiver is moot: not "waived"
]}
JULY = {"month": "2023-07", "units": [  # huyen-c ceased on 30/06
    row("huyen-a", "A", 0, 0, False),
    row("huyen-b", "B", 0, 0, False),
]}


def counts(month_json):
    """The counts the tables above give by hand (the JSON also lists the late items
    and the rules applied)."""
    keys = set(row("x", "X", 0, 0, False))
    return {"month": month_json["month"],
            "units": [{k: u[k] for k in keys} for u in month_json["units"]]}


DISTRICT_RULE = "cap-huyen-2-tin-1-bai"  # data/quota.yaml: districts, until 30/06/2025


def test_every_month_names_the_rule_it_counted_against(tree):
    may = quota_json(tree, "--month", "2023-05")
    assert [(r["key"], r["kinds"], r["required"], r["until"]) for r in may["rules"]] == [
        (DISTRICT_RULE, ["district"], REQ, "2025-06-30")]
    assert "2 tin, 1 bài" in may["rules"][0]["source"]  # the plan's own words
    assert {u["rule"] for u in may["units"]} == {DISTRICT_RULE}
    content, units = tree
    table = invoke("quota", "--month", "2023-05", "--content", str(content), "--units", str(units))
    assert f"Quy định áp dụng [{DISTRICT_RULE}]" in table.stdout
    assert "2 tin, 1 bài mỗi tháng; đến hết 30/06/2025" in table.stdout


def test_month_json_counts_by_local_date_and_separates_late_and_waived(tree):
    may = quota_json(tree, "--month", "2023-05")
    assert counts(may) == MAY
    assert counts(quota_json(tree, "--month", "2023-06")) == JUNE
    late = {i["slug"]: i["waived"] for u in may["units"] for i in u["late_items"]}
    assert len(late) == 2 and sorted(late.values()) == [False, True]


def test_a_unit_is_only_reported_in_months_it_existed(tree):
    assert counts(quota_json(tree, "--month", "2023-07")) == JULY


def test_year_json_has_every_month_and_a_summary_per_unit(tree):
    data = quota_json(tree, "--year", "2023")
    assert data["year"] == 2023
    assert [m["month"] for m in data["months"]] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert [counts(m) for m in data["months"][4:7]] == [MAY, JUNE, JULY]
    assert data["months"][0]["units"][0]["tin"] == 0  # the 30/04 17:30 UTC tin is May's
    assert data["summary"] == [
        {"unit": "huyen-a", "name": "Ủy ban MTTQ Việt Nam huyện A", "rules": [DISTRICT_RULE],
         "months_active": 12, "months_met": 1, "tin": 2, "bai": 1,
         "required": {"tin": 24, "bai": 12}, "late": 1, "waived": 1},
        {"unit": "huyen-b", "name": "Ủy ban MTTQ Việt Nam huyện B", "rules": [DISTRICT_RULE],
         "months_active": 12, "months_met": 0, "tin": 2, "bai": 1,
         "required": {"tin": 24, "bai": 12}, "late": 0, "waived": 0},
        {"unit": "huyen-c", "name": "Ủy ban MTTQ Việt Nam huyện C", "rules": [DISTRICT_RULE],
         "months_active": 6, "months_met": 1, "tin": 3, "bai": 1,
         "required": {"tin": 12, "bai": 6}, "late": 0, "waived": 0},
    ]
    assert [(r["key"], r["months"]) for r in data["rules"]] == [(DISTRICT_RULE, list(range(1, 13)))]


def test_drafts_future_and_broken_items_never_count(tree):
    content, units = tree
    registries = Registries(load_topics(DATA_DIR / "topics.yaml"), load_units(units))
    records = read_records(content, registries, History(content, ledger_file=None))
    slugs = {r.slug for r in published(records, dt.datetime.now(LOCAL_TZ))}
    assert DRAFT_SLUG not in slugs and FUTURE_SLUG not in slugs and BROKEN_SLUG not in slugs
    assert len(slugs) == 11  # 13 written + 1 broken, minus draft, future, broken
    # "Now" before the future item's date excludes it; after, it counts.
    later = published(records, dt.datetime(2100, 1, 1, tzinfo=LOCAL_TZ))
    assert FUTURE_SLUG in {r.slug for r in later}


def test_csv_has_a_header_row_and_one_row_per_unit_and_month(tree):
    content, units = tree
    result = invoke("quota", "--year", "2023", "--format", "csv", "--content", str(content),
                    "--units", str(units))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Tháng", "Mã đơn vị", "Đơn vị", "Tin", "Bài", "Chỉ tiêu tin",
                       "Chỉ tiêu bài", "Kết quả", "Trễ hạn", "Trễ có lý do", "Quy định"]
    assert len(rows) == 1 + 12 + 12 + 6
    may_b = next(r for r in rows if r[0] == "2023-05" and r[1] == "huyen-b")
    assert may_b[3:] == ["2", "0", "2", "1", "Chưa đạt", "0", "0", DISTRICT_RULE]


def test_csv_to_a_file_has_a_bom_for_excel(tree, tmp_path):
    content, units = tree
    target = tmp_path / "bao-cao.csv"
    result = invoke("quota", "--month", "2023-05", "--format", "csv", "--content", str(content),
                    "--units", str(units), "--output", str(target))
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Mã đơn vị".encode() in raw


def test_table_has_vietnamese_headers_and_aligned_columns(tree):
    content, units = tree
    result = invoke("quota", "--month", "2023-05", "--content", str(content), "--units", str(units))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Đơn vị"))
    for name in ("Tin", "Bài", "Chỉ tiêu", "Kết quả", "Trễ hạn", "Trễ có lý do"):
        assert name in lines[header]
    body = lines[header + 2:header + 5]
    assert [line.split()[6] for line in body] == ["A", "B", "C"]
    # Right-aligned numbers end under the end of their header.
    tin_end = lines[header].index("Tin") + len("Tin") - 1
    assert [line[tin_end] for line in body] == ["2", "2", "2"]
    bai_end = lines[header].index("Bài") + len("Bài") - 1
    assert [line[bai_end] for line in body] == ["1", "0", "1"]
    assert "Đạt chỉ tiêu: 2/3 đơn vị." in result.stdout


def test_usage_errors_exit_2(tree):
    content, units = tree
    for args in (["--month", "2023-13"], ["--month", "05/2023"], ["--year", "23"],
                 ["--month", "2023-05", "--year", "2023"], ["--format", "xml"]):
        result = invoke("quota", *args, "--content", str(content), "--units", str(units))
        assert result.returncode == 2, args
        assert result.stderr.startswith("LỖI:")


# --- the counting functions -------------------------------------------------------------


def unit(key, kind="district", **dates):
    from mttq.registry.registries import Unit

    return Unit(key, f"Đơn vị {key}", kind, **dates)


def rec(slug, kind, unit_key, date, event_date=None, submitted=None, waiver=None):
    """An item's record, judged as the build and the check judge it."""
    meta = ItemMeta(title=slug, type=kind, unit=unit_key,
                    date=dt.datetime.fromisoformat(date).replace(tzinfo=LOCAL_TZ),
                    event_date=event_date, submitted=submitted, deadline_waiver=waiver)
    item = Item(path=Path("/nowhere") / slug / "index.md", slug=slug, meta=meta)
    return History("/nowhere", ledger_file=None).judge(item)


def policy(text: str, tmp_path) -> QuotaPolicy:
    """The policy of ``text``, from a file of its own (files are read once per run)."""
    path = tmp_path / f"quota-{len(list(tmp_path.glob('quota-*.yaml')))}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_quota_policy(path)


def test_the_requirement_is_a_rule_per_kind_of_unit(tmp_path):
    units = {"h": unit("h"), "m": unit("m", kind="member"), "d": unit("d", kind="department")}
    items = [rec("t1", "tin", "h", "2025-03-02 08:00"), rec("t2", "tin", "h", "2025-03-03 08:00"),
             rec("b1", "bai", "h", "2025-03-04 08:00"), rec("x", "tin", "m", "2025-03-04 08:00"),
             rec("y", "tin", "d", "2025-03-05 08:00")]
    strict = policy("rules:\n"
                    "  - {key: huyen, name: Huyện, kinds: [district], tin: 3, bai: 1}\n"
                    "  - {key: to-chuc, name: Tổ chức, kinds: [member], tin: 1}\n", tmp_path)
    report = month_report(items, units, strict, 2025, 3)
    # The department's kind is in no rule: it owes nothing and is not reported.
    assert [(r.unit.key, r.rule.key, r.tin, r.bai, r.met) for r in report.rows] == [
        ("h", "huyen", 2, 1, False), ("m", "to-chuc", 1, 0, True)]
    # A rule naming a kind the registry does not have is refused, not silently empty.
    typo = policy("rules:\n  - {key: xa, name: Xã, kinds: [comune], tin: 1}\n", tmp_path)
    with pytest.raises(QuotaConfigError, match="comune"):
        month_report(items, units, typo, 2025, 3)


def test_a_quota_file_is_checked_with_messages_naming_the_rule(tmp_path):
    for text, expected in [
        ("rules:\n  - {key: a, name: A, kinds: [district], tin: 2, from: 2025-07-15}\n",
         "'a'.*ngày 1"),
        ("rules:\n  - {key: a, name: A, kinds: [district], tin: 2, until: 2025-06-30}\n"
         "  - {key: b, name: B, kinds: [district], tin: 1, from: 2025-06-01}\n", "'a'.*'b'"),
        ("rules:\n  - {key: a, name: A, kinds: [district], tin: -1}\n", "'tin'"),
        ("rules:\n  - {key: a, name: A, kinds: [district], tin: 1, quota: true}\n", "'quota'"),
        ("- a\n", "rules"),
    ]:
        with pytest.raises(QuotaConfigError, match=expected):
            policy(text, tmp_path)


def test_a_year_that_changed_rules_in_july_sums_each_months_own_rule():
    units = {"huyen": unit("huyen", valid_until=dt.date(2025, 6, 30)),
             "xa": unit("xa", kind="commune", valid_from=dt.date(2025, 7, 1))}
    items = [rec("h1", "tin", "huyen", "2025-03-02 08:00"), rec("h2", "tin", "huyen", "2025-03-09 08:00"),
             rec("h3", "bai", "huyen", "2025-03-20 08:00"), rec("x1", "tin", "xa", "2025-08-01 08:00"),
             rec("x2", "bai", "xa", "2025-09-01 08:00")]
    report = year_report(items, units, load_quota_policy(DATA_DIR / "quota.yaml"), 2025)
    summary = {u.unit.key: u.as_json() for u in report.summary}
    # The district owed 2 tin + 1 bài in each of six months, the commune 1 tin in six.
    assert summary["huyen"]["months_active"] == 6 and summary["huyen"]["months_met"] == 1
    assert summary["huyen"]["required"] == {"tin": 12, "bai": 6}
    assert summary["xa"]["months_active"] == 6 and summary["xa"]["months_met"] == 1
    assert summary["xa"]["required"] == {"tin": 6, "bai": 0}
    assert [(s.rule.kinds, s.months, s.months_text) for s in report.rule_spans] == [
        (("district",), [1, 2, 3, 4, 5, 6], "T1–T6"), (("commune", "ward"), list(range(7, 13)), "T7–T12")]
    table = format_table(report)
    assert "T1–T6/2025" in table and "T7–T12/2025" in table


def test_an_item_published_after_its_unit_ended_counts_for_the_units_last_month():
    units = {"huyen": unit("huyen", valid_until=dt.date(2025, 6, 30))}
    event = dt.datetime(2025, 6, 28, 8, tzinfo=LOCAL_TZ)
    late_published = rec("h", "tin", "huyen", "2025-07-01 08:00", event_date=event,
                         submitted=dt.datetime(2025, 6, 30, 16, tzinfo=LOCAL_TZ))
    policy_ = load_quota_policy(DATA_DIR / "quota.yaml")
    june = month_report([late_published], units, policy_, 2025, 6)
    assert [(r.unit.key, r.tin) for r in june.rows] == [("huyen", 1)]
    assert month_report([late_published], units, policy_, 2025, 7).rows == []


def test_late_and_waived_come_from_the_deadline_rule():
    event = dt.datetime(2025, 5, 9, 8, tzinfo=LOCAL_TZ)  # Friday: due Monday 12/05
    on_time = rec("a", "tin", "h", "2025-05-13 08:00", event_date=event,
                  submitted=dt.datetime(2025, 5, 12, 23, 0, tzinfo=LOCAL_TZ))
    late = rec("b", "tin", "h", "2025-05-14 08:00", event_date=event,
               submitted=dt.datetime(2025, 5, 13, 9, 0, tzinfo=LOCAL_TZ))
    waived = rec("c", "tin", "h", "2025-05-14 08:00", event_date=event, waiver="Bão",
                 submitted=dt.datetime(2025, 5, 13, 9, 0, tzinfo=LOCAL_TZ))
    unknown = rec("d", "tin", "h", "2025-05-14 08:00", event_date=event, waiver="Bão")
    assert (on_time.late, on_time.waived) == (False, False)
    assert (late.late, late.waived, late.verdict.working_days_late) == (True, False, 1)
    assert (waived.late, waived.waived) == (False, True)
    assert (unknown.late, unknown.waived, unknown.verdict) == (False, False, None)
    report = month_report([on_time, late, waived, unknown], {"h": unit("h")}, QUOTA, 2025, 5)
    assert counts(report.as_json())["units"][0] == {
        "unit": "h", "name": "Đơn vị h", "tin": 4, "bai": 0, "required": REQ, "met": False,
        "late": 1, "waived": 1}


def test_units_created_mid_year_and_the_current_month():
    units = {"new": unit("new", valid_from=dt.date(2025, 7, 1)), "old": unit("old")}
    report = year_report([], units, QUOTA, 2025, today=dt.date(2025, 9, 10))
    assert [m.month for m in report.months] == list(range(1, 10))
    assert report.months[-1].in_progress and not report.months[-2].in_progress
    assert [(u.unit.key, u.months_active) for u in report.summary] == [("new", 3), ("old", 9)]
    assert months_until(2024, dt.date(2025, 1, 1)) == list(range(1, 13))
    assert months_until(2026, dt.date(2025, 1, 1)) == []


def test_helpers_parse_months_and_today():
    assert parse_month("2023-05") == (2023, 5)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("2023-5-1")
    assert today_from_setting("2023-11-12") == dt.date(2023, 11, 12)
    assert today_from_setting(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert today_from_setting(None) == dt.datetime.now(LOCAL_TZ).date()


# --- monthly column ------------------------------------------------------------------------


def test_coordination_dates_move_weekends_to_the_preceding_friday():
    assert dt.date(2023, 11, 5).weekday() == 6  # a Sunday
    assert column_coordination_date(2023, 11) == dt.date(2023, 11, 3)
    assert dt.date(2023, 8, 5).weekday() == 5  # a Saturday
    assert column_coordination_date(2023, 8) == dt.date(2023, 8, 4)
    assert column_coordination_date(2023, 10) == dt.date(2023, 10, 5)  # a Thursday


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_2023_plan_is_the_seed_table():
    units = load_units(DATA_DIR / "units.yaml")
    plan = load_column_plan(DATA_DIR / "columns" / "2023.yaml", units)
    assert sorted(plan.months) == list(range(1, 13))
    seed = _squash((SEEDS / "002_f215236570bcb06e.txt").read_text(encoding="utf-8"))
    for month in plan.months.values():
        assert month.theme == unicodedata.normalize("NFC", month.theme)
        assert month.theme in seed, month.month
    coordinators = {m: [u.key for u in plan.months[m].units] for m in range(1, 12)}
    assert coordinators == {1: ["tp-soc-trang"], 2: ["my-xuyen"], 3: ["ke-sach"],
                            4: ["vinh-chau"], 5: ["thanh-tri"], 6: ["chau-thanh"],
                            7: ["nga-nam"], 8: ["cu-lao-dung"], 9: ["tran-de"], 10: ["my-tu"],
                            11: ["long-phu"]}
    assert len(plan.months[12].units) == 11
    assert plan.months[11].coordination_date == dt.date(2023, 11, 3)


def test_the_2025_example_uses_units_that_existed_each_month():
    units = load_units(DATA_DIR / "units.yaml")
    plans = load_column_plans(DATA_DIR / "columns", units)
    assert {2023, 2025} <= set(plans)
    text = (DATA_DIR / "columns" / "2025.yaml").read_text(encoding="utf-8")
    assert "VÍ DỤ" in text.splitlines()[0]  # clearly marked as an example
    for month, planned in plans[2025].months.items():
        kinds = {u.kind for u in planned.units}
        assert kinds == ({"district"} if month <= 6 else {"department"}), month


def test_a_plan_naming_an_unknown_or_ceased_unit_is_refused(tmp_path):
    units = {"h": unit("h", valid_until=dt.date(2025, 6, 30))}
    path = tmp_path / "2025.yaml"
    path.write_text("year: 2025\nmonths:\n  3: {theme: Chủ đề, units: [khong-co]}\n")
    with pytest.raises(ColumnPlanError, match="khong-co"):
        load_column_plan(path, units)
    path.write_text("year: 2025\nmonths:\n  7: {theme: Chủ đề, units: [h]}\n")
    with pytest.raises(ColumnPlanError, match="không hoạt động"):
        load_column_plan(path, units)
    path.write_text("year: 2024\nmonths: {}\n")
    with pytest.raises(ColumnPlanError, match="2025"):
        load_column_plan(path, units)


# --- anniversaries -------------------------------------------------------------------------


def test_years_since_the_founding_year():
    assert years_since(1930, dt.date(2025, 2, 3)) == 95
    assert years_since(1930, dt.date(2023, 11, 18)) == 93
    assert years_since(1890, dt.date(2022, 5, 19)) == 132


def test_the_data_file_has_the_seed_anniversaries_and_slogans():
    data = load_anniversaries(DATA_DIR / "anniversaries.yaml")
    dates = {(a.day, a.month) for a in data.anniversaries}
    assert {(3, 2), (30, 4), (7, 5), (19, 5), (2, 9), (18, 11)} <= dates
    seed = _squash((SEEDS / "004_e229f4c55330eb42.txt").read_text(encoding="utf-8"))
    with_slogan = [a for a in data.anniversaries if a.slogan]
    assert len(with_slogan) >= 6
    for anniversary in with_slogan:  # rendered for 2022, the seed's year, it is the seed's text
        assert anniversary.slogan_for(2022) in seed, anniversary.key
    for slogan in data.slogans:
        assert slogan in seed
    party = next(a for a in data.anniversaries if (a.day, a.month) == (3, 2))
    assert party.slogan_for(2025) == ("Nhiệt liệt chào mừng 95 năm Ngày thành lập Đảng Cộng sản "
                                      "Việt Nam (03/02/1930 - 03/02/2025)!")


def test_the_banner_window_is_lead_days_before_until_the_day():
    front = Anniversary("mttq", 18, 11, 1930, "Ngày truyền thống Mặt trận Tổ quốc Việt Nam")
    shown = lambda day, lead=7: [(b.anniversary.key, b.years, b.days_left)  # noqa: E731
                                 for b in current_banners([front], day, lead)]
    assert shown(dt.date(2023, 11, 10)) == []
    assert shown(dt.date(2023, 11, 11)) == [("mttq", 93, 7)]
    assert shown(dt.date(2023, 11, 18)) == [("mttq", 93, 0)]
    assert shown(dt.date(2023, 11, 19)) == []
    assert shown(dt.date(2023, 11, 15), lead=2) == []
    new_year = Anniversary("ny", 2, 1, 2000, "Thử qua năm mới")
    assert [(b.date, b.years) for b in current_banners([new_year], dt.date(2023, 12, 28))] == [
        (dt.date(2024, 1, 2), 24)]


def test_overlapping_anniversaries_show_together_nearest_first():
    data = load_anniversaries(DATA_DIR / "anniversaries.yaml")
    banners = current_banners(data.anniversaries, dt.date(2025, 4, 30), 7)
    assert [(b.date, b.years) for b in banners] == [(dt.date(2025, 4, 30), 50),
                                                   (dt.date(2025, 5, 7), 71)]
    assert re.search(r"50 năm Ngày Giải phóng miền Nam.*30/4/2025", banners[0].slogan)
