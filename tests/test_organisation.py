"""The organisation after the 2025 reform: units by period, successors, the unit
check judged on the event's day, the site's identity by period.

Expected values come from the sources the data files cite (Nghị quyết
1668/NQ-UBTVQH15 as reported by PLO and Lao Động; the plan's quota) and from
the issue's own examples, typed here by hand.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from mttq.core.paths import DATA_DIR
from mttq.core.text import is_slug
from mttq.registry.registries import RegistryError, load_units
from mttq.registry.site_identity import SiteIdentityError, load_site_identities
from sitefactory import write_item

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2025, 6, 30)
START = dt.date(2025, 7, 1)
DISTRICTS = {"tp-soc-trang", "my-xuyen", "ke-sach", "vinh-chau", "thanh-tri", "chau-thanh",
             "nga-nam", "cu-lao-dung", "tran-de", "my-tu", "long-phu"}
# Nghị quyết 1668: the eight units that were not rearranged (Lao Động's list).
UNCHANGED = {"phuong-tan-loc", "xa-truong-long", "xa-thanh-phu", "xa-thoi-hung", "xa-phong-nam",
             "xa-my-phuoc", "xa-lai-hoa", "xa-vinh-hai"}


def invoke(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True,
                          text=True)


def check_json(content: Path, *paths: Path) -> dict:
    args = ["check", "--no-photos", "--format", "json", "--content", str(content)]
    for path in paths:
        args += ["--path", str(path.parent)]
    result = invoke(*args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def unit_problems(report: dict) -> dict[str, list[dict]]:
    """Folder name -> its meta.invalid problems about the unit."""
    found = {}
    for f in report["files"]:
        if f["kind"] == "article":
            found[Path(f["path"]).parent.name] = [
                p for p in f["problems"] if p["code"] == "meta.invalid" and p.get("field") == "unit"]
    return found


# --- the registry -------------------------------------------------------------------------


def test_the_registry_has_the_103_commune_level_units_of_the_city():
    units = load_units(DATA_DIR / "units.yaml")
    wards = [u for u in units.values() if u.kind == "ward"]
    communes = [u for u in units.values() if u.kind == "commune"]
    assert (len(wards), len(communes)) == (31, 72)
    for unit in wards + communes:
        assert unit.valid_from == START and unit.valid_until is None, unit.key
        assert is_slug(unit.key) and unit.key.startswith("phuong-" if unit.kind == "ward" else "xa-")
        assert unit.name == unicodedata.normalize("NFC", unit.name)
    keys = {u.key for u in wards + communes}
    assert {"phuong-ninh-kieu", "xa-phong-dien", "phuong-long-phu-1", "xa-long-phu",
            "xa-vi-thanh-1", "phuong-vi-thanh", "phuong-soc-trang", "xa-cu-lao-dung"} <= keys
    assert UNCHANGED <= keys
    assert units["xa-phong-nam"].name == "Ủy ban MTTQ Việt Nam xã Phong Nẫm"
    assert units["phuong-o-mon"].name == "Ủy ban MTTQ Việt Nam phường Ô Môn"
    header = (DATA_DIR / "units.yaml").read_text(encoding="utf-8").split("\nunits:")[0]
    assert "1668/NQ-UBTVQH15" in header and "plo.vn" in header and "laodong.vn" in header


def test_the_former_provinces_bodies_end_on_30_june_2025_and_name_their_successors():
    units = load_units(DATA_DIR / "units.yaml")
    former = [u for u in units.values() if u.kind in ("district", "member")]
    assert DISTRICTS == {u.key for u in units.values() if u.kind == "district"}
    assert former and all(u.valid_until == END for u in former)
    for key in ("vp", "ban-pt-tg", "ban-dc-pl", "ban-tc-kt", "hoi-phu-nu", "hoi-nong-dan",
                "doan-thanh-nien", "hoi-cuu-chien-binh", "lien-doan-lao-dong"):
        unit = units[key]
        assert unit.valid_until == END and "Sóc Trăng" in unit.name
        [successor] = units.successors_of(unit)
        assert successor.active_on(START) and "Cần Thơ" in successor.name
        assert successor.predecessors == (key,)
    assert units["hoi-nong-dan"].successors == ("ct-hoi-nong-dan",)
    assert units["ct-hoi-nong-dan"].kind == "under-front"  # Luật 97/2025/QH15
    # Ngã Năm became two wards and a commune (Tiền Phong, 20/04/2025).
    assert set(units["nga-nam"].successors) == {"phuong-nga-nam", "phuong-my-quoi", "xa-tan-long"}


@pytest.mark.parametrize("entry, expected", [
    ("{key: a, name: A, kind: district, until: 2025-06-30, successors: [khong-co]}",
     "'a'.*'khong-co'"),
    ("{key: a, name: A, kind: district, until: 2025-06-30, successors: [b]}\n"
     "  - {key: b, name: B, kind: commune, from: 2025-08-01}", "'a'.*'b'.*01/07/2025"),
    ("{key: a, name: A, kind: district, successors: [b]}\n  - {key: b, name: B, kind: commune}",
     "'a'.*until"),
    ("{key: a, name: A, kind: district, quota: true}", "'a'.*quota.*data/quota.yaml"),
    ("{key: a, name: A, kind: district, valid_unitl: 2025-06-30}", "'a'.*valid_unitl"),
    ("{key: a, name: A, kind: huyen}", "'a'.*kind"),
    ("{key: a, name: A, kind: district, until: 30/06/2025}", "'a'.*YYYY-MM-DD"),
    ("{key: a, name: A, kind: district, period: khong-co}", "'a'.*khong-co"),
    ("{key: a, name: A, kind: district, from: 2025-07-01, until: 2025-06-30}", "'a'.*trước"),
])
def test_a_wrong_units_file_is_refused_naming_the_file_and_the_entry(tmp_path, entry, expected):
    path = tmp_path / "units.yaml"
    path.write_text(f"periods:\n  cu: {{until: 2025-06-30}}\nunits:\n  - {entry}\n",
                    encoding="utf-8")
    with pytest.raises(RegistryError, match=expected) as caught:
        load_units(path)
    assert str(path) in str(caught.value)


def test_the_check_says_so_in_vietnamese_when_the_units_file_is_wrong(tmp_path):
    units = tmp_path / "units.yaml"
    units.write_text("units:\n  - {key: a, name: A, kind: district, quota: true}\n",
                     encoding="utf-8")
    result = invoke("quota", "--month", "2025-05", "--units", str(units))
    assert result.returncode == 2
    assert result.stderr.startswith("LỖI:") and "Traceback" not in result.stderr
    assert "data/quota.yaml" in result.stderr


# --- the unit check, judged on the event's day ------------------------------------------------


def test_a_district_item_about_28_june_published_1_july_passes_and_one_of_november_2026_fails(tmp_path):
    content = tmp_path / "content"
    before = write_item(content, "my-xuyen-su-kien-cuoi-thang-6", Unit="my-xuyen",
                        date="2025-07-01 08:00", extra={"Event_date": "2025-06-28 08:00",
                                                        "Submitted": "2025-06-30 16:00"})
    after = write_item(content, "my-xuyen-su-kien-thang-11-2026", Unit="my-xuyen",
                       date="2026-11-11 08:00", extra={"Event_date": "2026-11-10 08:00"})
    found = unit_problems(check_json(content, before, after))
    assert found["my-xuyen-su-kien-cuoi-thang-6"] == []
    [problem] = found["my-xuyen-su-kien-thang-11-2026"]
    unit_line = after.read_text(encoding="utf-8").splitlines().index("Unit: my-xuyen") + 1
    assert problem["severity"] == "error" and problem["line"] == unit_line
    assert "30/06/2025" in problem["message"] and "10/11/2026" in problem["message"]
    assert "Event_date" in problem["message"]
    # The hint has a valid answer: the successor's code.
    assert "`phuong-my-xuyen`" in problem["hint"]


def test_a_member_organisation_of_the_former_province_no_longer_passes_after_june_2025(tmp_path):
    content = tmp_path / "content"
    index = write_item(content, "hoi-nong-dan-thang-7", Unit="hoi-nong-dan", date="2025-07-15 09:00")
    [problem] = unit_problems(check_json(content, index))["hoi-nong-dan-thang-7"]
    assert "15/07/2025" in problem["message"] and "`ct-hoi-nong-dan`" in problem["hint"]


def test_without_an_event_the_unit_is_judged_on_the_submission_then_the_publication_day(tmp_path):
    content = tmp_path / "content"
    sent_in_june = write_item(content, "vp-gui-thang-6", Unit="vp", date="2025-07-02 08:00",
                              extra={"Submitted": "2025-06-27 10:00"})
    published_july = write_item(content, "vp-dang-thang-7", Unit="vp", date="2025-07-02 08:00")
    new_unit_too_early = write_item(content, "phuong-su-kien-thang-6", Unit="phuong-my-xuyen",
                                    date="2025-07-03 08:00",
                                    extra={"Event_date": "2025-06-20 08:00"})
    found = unit_problems(check_json(content, sent_in_june, published_july, new_unit_too_early))
    assert found["vp-gui-thang-6"] == []
    [problem] = found["vp-dang-thang-7"]
    assert "Date" in problem["message"] and "02/07/2025" in problem["message"]
    [problem] = found["phuong-su-kien-thang-6"]
    assert "01/07/2025" in problem["message"] and "20/06/2025" in problem["message"]
    # Before the ward existed, the district committees of its area sent the items.
    assert "`my-xuyen`" in problem["hint"] and "`tp-soc-trang`" in problem["hint"]


def test_invoke_new_judges_the_unit_on_the_event_day_like_the_check(tmp_path):
    ok = invoke("new", "--type", "tin", "--unit", "my-xuyen", "--topic", "van-dong-phong-trao",
                "--title", "Ra quân xây dựng nhà Đại đoàn kết", "--event", "2025-05-13 08:00",
                "--author", "Nguyễn Thị Lan", "--content", str(tmp_path))
    assert ok.returncode == 0, ok.stderr
    [index] = tmp_path.glob("tin/*/*/ra-quan-xay-dung-nha-dai-doan-ket/index.md")
    assert "Unit: my-xuyen" in index.read_text(encoding="utf-8")
    today = invoke("new", "--type", "tin", "--unit", "my-xuyen", "--topic", "van-dong-phong-trao",
                   "--title", "Tin hôm nay", "--event", "", "--author", "A",
                   "--content", str(tmp_path))
    assert today.returncode == 2 and "30/06/2025" in today.stderr
    assert "phuong-my-xuyen" in today.stderr
    assert not list(tmp_path.glob("tin/*/*/tin-hom-nay"))


# --- the site's identity by period ----------------------------------------------------------

SOC_TRANG = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Sóc Trăng"
CAN_THO = "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ"


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory):
    """Items of May 2025 (the former province) and of August 2025 (the new city),
    built on 20/11/2026 with the repository's data files."""
    from conftest import build

    base = tmp_path_factory.mktemp("merged-site")
    write_item(base / "content", "tin-thang-5-2025", Unit="my-xuyen", date="2025-05-14 09:00",
               seed=1)
    write_item(base / "content", "tin-thang-8-2025", Unit="phuong-ninh-kieu",
               date="2025-08-12 09:00", seed=2)
    result = build(base / "content", base / "output", base / "cache", MTTQ_TODAY="2026-11-20")
    assert result.ok, result.errors
    return base / "output"


def jsonld(output: Path, slug: str) -> dict:
    from conftest import page

    script = page(output, f"tin-bai/{slug}/").select_one('script[type="application/ld+json"]')
    return json.loads(script.string)


def feed_author(output: Path, name: str) -> str:
    import feedparser

    parsed = feedparser.parse((output / "feeds" / name).read_bytes())
    assert not parsed.bozo
    return parsed.feed.author


def test_the_pages_carry_the_new_citys_front_and_old_items_keep_their_publisher(merged_site):
    from conftest import page

    home = page(merged_site, "")
    assert home.title.get_text() == "Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ"
    assert home.select_one(".footer-name").get_text() == CAN_THO
    assert "0292" in home.select_one(".site-footer").get_text()
    assert "Sóc Trăng" not in home.select_one(".site-header").get_text()
    assert jsonld(merged_site, "tin-thang-5-2025")["publisher"]["name"] == SOC_TRANG
    assert jsonld(merged_site, "tin-thang-8-2025")["publisher"]["name"] == CAN_THO
    # Old items keep their unit and their address.
    old = page(merged_site, "tin-bai/tin-thang-5-2025/")
    assert "Ủy ban MTTQ Việt Nam huyện Mỹ Xuyên" in old.get_text()


def test_the_feeds_publisher_follows_the_period_and_entry_ids_never_change(merged_site):
    assert feed_author(merged_site, "all.atom.xml") == CAN_THO
    assert feed_author(merged_site, "luu-tru/2025-05.atom.xml") == SOC_TRANG
    assert feed_author(merged_site, "luu-tru/2025-08.atom.xml") == CAN_THO
    atom = (merged_site / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    # One pinned authority (data/site.yaml) for every item, before and after the merger.
    assert "<id>tag:mttq.soctrang.example,2025:tin-bai/tin-thang-5-2025</id>" in atom
    assert "<id>tag:mttq.soctrang.example,2025:tin-bai/tin-thang-8-2025</id>" in atom


def test_a_site_built_before_the_merger_carries_the_provinces_identity(tmp_path):
    from conftest import build, page

    write_item(tmp_path / "content", "tin-thang-5-2025", Unit="my-xuyen", date="2025-05-14 09:00")
    result = build(tmp_path / "content", tmp_path / "output", tmp_path / "cache",
                   MTTQ_TODAY="2025-06-15")
    assert result.ok, result.errors
    home = page(tmp_path / "output", "")
    assert home.title.get_text() == "Mặt trận Tổ quốc Việt Nam tỉnh Sóc Trăng"
    assert home.select_one(".footer-name").get_text() == SOC_TRANG


@pytest.mark.parametrize("identities, expected", [
    ("  - {key: a, until: 2025-06-30, NAME}\n  - {key: b, from: 2025-07-02, NAME}", "'b'.*01/07/2025"),
    ("  - {key: a, until: 2025-06-30, NAME}\n  - {key: b, from: 2025-06-01, NAME}", "'b'.*01/07/2025"),
    ("  - {key: a, from: 2025-01-01, NAME}", "'a'.*from"),
    ("  - {key: a, until: 2025-06-30, NAME}", "'a'.*until"),
    ("  - {key: a, name: A, short_name: A, publisher: P, logo: x.svg, contact: {address: X}}",
     "'a'.*contact"),
    ("  - {key: a, NAME, motto: X}", "'a'.*motto"),
    ("  - {key: a, name: A, short_name: A, publisher: P, logo: ../x.svg, "
     "contact: {address: X, phone: '1', email: e@x.example}}", "'a'.*logo"),
])
def test_a_wrong_site_file_is_refused_naming_the_file_and_the_identity(tmp_path, identities, expected):
    name = ("name: A, short_name: A, publisher: P, logo: theme/img/logo.svg, "
            "contact: {address: X, phone: '1', email: e@x.example}")
    path = tmp_path / "site.yaml"
    path.write_text("identities:\n" + identities.replace("NAME", name) + "\n", encoding="utf-8")
    with pytest.raises(SiteIdentityError, match=expected) as caught:
        load_site_identities(path)
    assert str(path) in str(caught.value)


def test_the_feed_id_authority_is_a_bare_domain(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("feed_id_authority: https://mttq.example/\nidentities:\n  - {key: a, name: A, "
                    "short_name: A, publisher: P, logo: l.svg, contact: {address: X, phone: '1', "
                    "email: e@x.example}}\n", encoding="utf-8")
    with pytest.raises(SiteIdentityError, match="feed_id_authority"):
        load_site_identities(path)


# --- unit pages -------------------------------------------------------------------------


def test_a_former_units_page_stays_marked_with_its_successor(merged_site):
    from conftest import page

    former = page(merged_site, "don-vi/my-xuyen/")
    box = former.select_one(".former-unit")
    assert box is not None and "30/06/2025" in box.get_text()
    # The successor has no page yet (no item): named, not linked.
    assert box.select_one('.successors [data-unit="phuong-my-xuyen"]').name == "span"
    assert "/tin-bai/tin-thang-5-2025/" in [a["href"] for a in former.select(".card-title a")]
    current = page(merged_site, "don-vi/phuong-ninh-kieu/")
    assert current.select_one(".former-unit") is None
    index = page(merged_site, "don-vi/")
    assert [a["href"] for a in index.select('[data-units="former"] a')] == ["/don-vi/my-xuyen/"]
    assert [a["href"] for a in index.select('[data-units="current"] a')] == [
        "/don-vi/phuong-ninh-kieu/"]


def test_a_successor_with_items_is_linked_and_names_its_predecessors(tmp_path):
    from conftest import build, page

    write_item(tmp_path / "content", "tin-nga-nam", Unit="nga-nam", date="2025-05-14 09:00")
    write_item(tmp_path / "content", "tin-xa-tan-long", Unit="xa-tan-long", date="2025-09-03 09:00",
               seed=3)
    result = build(tmp_path / "content", tmp_path / "output", tmp_path / "cache",
                   MTTQ_TODAY="2026-11-20")
    assert result.ok, result.errors
    former = page(tmp_path / "output", "don-vi/nga-nam/")
    assert former.select_one('.successors a[data-unit="xa-tan-long"]')["href"] == "/don-vi/xa-tan-long/"
    successor = page(tmp_path / "output", "don-vi/xa-tan-long/")
    named = {e["data-unit"]: e.name for e in successor.select(".predecessors [data-unit]")}
    assert named == {"nga-nam": "a", "thanh-tri": "span"}  # Tân Long took in part of Thạnh Trị


# --- the demo, as the issue judges it ----------------------------------------------------------


def demo_quota(month: str) -> dict:
    result = invoke("quota", "--month", month, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_demo_quota_of_november_2026_lists_the_commune_level_committees_and_the_rule():
    data = demo_quota("2026-11")
    assert [(r["key"], sorted(r["kinds"]), r["required"]) for r in data["rules"]] == [
        ("cap-xa-1-tin", ["commune", "ward"], {"tin": 1, "bai": 0})]
    units = {u["unit"]: u for u in data["units"]}
    assert len(units) == 103 and {u["rule"] for u in units.values()} == {"cap-xa-1-tin"}
    assert not DISTRICTS & set(units)
    # A real month: some committees met it, one was late, one late with a reason.
    met = {key for key, u in units.items() if u["met"]}
    assert {"phuong-ninh-kieu", "xa-phong-dien", "xa-vinh-hai"} <= met
    assert units["xa-phong-dien"]["late"] == 1 and units["xa-vinh-hai"]["waived"] == 1


def test_the_demo_quota_of_may_2025_still_lists_the_eleven_district_committees():
    data = demo_quota("2025-05")
    assert [r["key"] for r in data["rules"]] == ["cap-huyen-2-tin-1-bai"]
    assert {u["unit"] for u in data["units"]} == DISTRICTS
    assert all(u["required"] == {"tin": 2, "bai": 1} for u in data["units"])
    # The district item about 28/06, published on 01/07/2025, counts for June.
    june = {u["unit"]: u for u in demo_quota("2025-06")["units"]}
    assert june["my-xuyen"]["tin"] >= 1


def test_the_demo_has_items_of_the_new_units_in_every_month_of_2026_until_november():
    from mttq.content.item import find_items, read_item
    from mttq.settings import registries_from_settings

    registries = registries_from_settings({})
    items = [read_item(p, registries, ROOT / "content") for p in find_items(ROOT / "content")]
    published = [i for i in items if i.meta.status == "published"]
    months_2026 = {i.meta.date.month for i in published if i.meta.date.year == 2026
                   and i.meta.date < dt.datetime(2026, 12, 1, tzinfo=i.meta.date.tzinfo)}
    assert months_2026 == set(range(1, 12))
    since = [i for i in items if i.meta.date.date() >= START]
    kinds = {registries.units[i.meta.unit].kind for i in since}
    assert {"commune", "ward", "department", "under-front"} <= kinds
    assert any(i.meta.status == "draft" for i in since)
    assert any(i.meta.date.date() > dt.date(2026, 12, 2) for i in since)  # scheduled
    assert all(i.ok for i in items if i.meta.status == "published")


def test_an_undated_item_is_judged_on_its_first_commit_not_on_the_day_of_the_build(tmp_path):
    """Items without Date are published at their merge: a district's item merged in
    June 2025 must still build in 2026, while a new one of today is refused."""
    from gitsite import add_item, at, new_repo

    repo = new_repo(tmp_path / "site")
    repo.merge("tin-thang-6", at("2025-06-20 09:00"),
               lambda: add_item(repo, "tin-huyen-thang-6", 1, Unit="my-xuyen"))
    output = repo.build("2026-11-20")
    assert (output / "tin-bai" / "tin-huyen-thang-6" / "index.html").is_file()
    add_item(repo, "tin-huyen-hom-nay", 2, Unit="my-xuyen")  # not committed: sent today
    found = unit_problems(check_json(repo.content, repo.content / "tin" / "2025" / "05" /
                                     "tin-huyen-hom-nay" / "index.md",
                                     repo.content / "tin" / "2025" / "05" /
                                     "tin-huyen-thang-6" / "index.md"))
    assert found["tin-huyen-thang-6"] == []
    [problem] = found["tin-huyen-hom-nay"]
    assert "hôm nay" in problem["message"] and "`phuong-my-xuyen`" in problem["hint"]
