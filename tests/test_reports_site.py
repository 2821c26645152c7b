"""The editors' reports, the column plan page and the anniversary banner, built with Pelican.

The site is built "on" 14/08/2023 (``MTTQ_TODAY``): five days before 19/8, so
the banner shows; August is the current month; huyen-c ceased on 30/06.
"""
from __future__ import annotations

import re

import pytest

from conftest import build, page
from mttq.reports.charts import LABEL_WIDTH
from quota_content import (
    COLUMN_SLUG, DRAFT_SLUG, LATE_SLUG, ON_TIME_WAIVER_SLUG, WAIVED_SLUG, WARNING_SLUG,
    write_columns, write_quota_content, write_units,
)
from sitefactory import write_item

TODAY = "2023-08-14"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("reports-site")
    write_quota_content(base / "content", warning=True)
    settings = {
        "MTTQ_UNITS_FILE": str(write_units(base / "units.yaml")),
        "MTTQ_COLUMNS_DIR": str(write_columns(base / "columns")),
        "MTTQ_TODAY": TODAY,
    }
    result = build(base / "content", base / "output", base / "cache", **settings)
    assert result.ok, result.errors
    return base / "output", result


def quota_rows(soup):
    """unit -> (tin, bài, kết quả, trễ hạn, trễ có lý do) from a month table."""
    rows = {}
    for tr in soup.select("table.quota-table tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.select("td")]
        rows[tr["data-unit"]] = (int(cells[0]), int(cells[1]), cells[3], int(cells[4]),
                                 int(cells[5]))
    return rows


def bars(soup):
    """(unit, type) -> (value, required, width) of the chart's bars."""
    found = {}
    for rect in soup.select("svg.quota-chart rect.bar"):
        found[(rect["data-unit"], rect["data-type"])] = (
            int(rect["data-value"]), int(rect["data-required"]), float(rect["width"]))
    return found


def test_the_build_reports_only_the_expected_warning(site):
    _, result = site
    assert len(result.warnings) == 1 and "photographer" in result.warnings[0]


def test_may_table_has_the_counts_computed_by_hand(site):
    output, _ = site
    soup = page(output, "bien-tap/2023/05/")
    assert quota_rows(soup) == {
        "huyen-a": (2, 1, "Đạt", 1, 1),
        "huyen-b": (2, 0, "Chưa đạt", 0, 0),
        "huyen-c": (2, 1, "Đạt", 0, 0),
    }


def test_month_chart_has_two_bars_per_unit_proportional_to_the_counts(site):
    output, _ = site
    soup = page(output, "bien-tap/2023/05/")
    svg = soup.select_one("svg.quota-chart")
    assert svg["viewbox"].startswith("0 0 ")  # scales to a phone's width
    assert svg["role"] == "img" and svg.find("title").get_text() and svg.find("desc").get_text()
    found = bars(soup)
    assert {(u, t): (v, r) for (u, t), (v, r, _) in found.items()} == {
        ("huyen-a", "tin"): (2, 2), ("huyen-a", "bai"): (1, 1),
        ("huyen-b", "tin"): (2, 2), ("huyen-b", "bai"): (0, 1),
        ("huyen-c", "tin"): (2, 2), ("huyen-c", "bai"): (1, 1),
    }
    for unit in ("huyen-a", "huyen-b", "huyen-c"):
        assert len(soup.select(f'svg.quota-chart rect[data-unit="{unit}"]')) == 2
    # One bar of 1 is half a bar of 2; a zero is a zero-length bar.
    unit_length = found[("huyen-a", "bai")][2]
    assert unit_length > 0
    for value, _, width in found.values():
        assert width == pytest.approx(value * unit_length, abs=0.02)
    # The requirement marks stand at the requirement on the same scale.
    for line in soup.select("svg.quota-chart line.required"):
        expected = LABEL_WIDTH + int(line["data-required"]) * unit_length
        assert float(line["x1"]) == pytest.approx(expected, abs=0.02)
    # Every bar says what it is.
    for rect in soup.select("svg.quota-chart rect.bar"):
        assert re.search(r"\d+ (tin|bài) \(chỉ tiêu \d+\)", rect.find("title").get_text())


def test_a_unit_that_ceased_is_not_in_later_months(site):
    output, _ = site
    assert set(quota_rows(page(output, "bien-tap/2023/06/"))) == {"huyen-a", "huyen-b", "huyen-c"}
    assert quota_rows(page(output, "bien-tap/2023/06/"))["huyen-b"] == (0, 1, "Chưa đạt", 0, 0)
    july = page(output, "bien-tap/2023/07/")
    assert set(quota_rows(july)) == {"huyen-a", "huyen-b"}
    assert {u for u, _ in bars(july)} == {"huyen-a", "huyen-b"}


def test_only_begun_months_have_pages(site):
    output, _ = site
    months = sorted(p.name for p in (output / "bien-tap" / "2023").iterdir() if p.is_dir())
    assert months == [f"{m:02d}" for m in range(1, 9)]


def test_year_page_counts_months_met_and_totals(site):
    output, _ = site
    soup = page(output, "bien-tap/2023/")
    summary = {tr["data-unit"]: [td.get_text(strip=True) for td in tr.select("td")]
               for tr in soup.select("table.year-table tbody tr")}
    assert summary == {
        "huyen-a": ["1/8", "2", "1", "1", "1"],
        "huyen-b": ["0/8", "2", "1", "0", "0"],
        "huyen-c": ["1/6", "3", "1", "0", "0"],
    }
    found = bars(soup)
    assert found[("huyen-a", "tin")][:2] == (2, 16)  # 2 tin against 8 months x 2
    assert found[("huyen-c", "bai")][:2] == (1, 6)
    scale = found[("huyen-c", "tin")][2] / 3
    assert found[("huyen-a", "tin")][2] == pytest.approx(2 * scale, abs=0.02)


def test_editors_home_shows_this_month_late_items_and_build_warnings(site):
    output, _ = site
    soup = page(output, "bien-tap/")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup.select_one("table.quota-table")["data-month"] == "2023-08"
    assert set(quota_rows(soup)) == {"huyen-a", "huyen-b"}
    late = {li["data-slug"]: li["data-kind"] for li in soup.select("ul.late-items li")}
    assert late == {LATE_SLUG: "late", WAIVED_SLUG: "waived"}  # not ON_TIME_WAIVER_SLUG
    assert ON_TIME_WAIVER_SLUG not in str(soup)
    waived = soup.select_one(f'li[data-slug="{WAIVED_SLUG}"]').get_text(" ", strip=True)
    assert "Mất điện diện rộng hai ngày" in waived and "2 ngày làm việc" in waived
    warnings = soup.select("#canh-bao ~ ul.build-problems > li, section[aria-labelledby=canh-bao] ul.build-problems > li")
    assert len(warnings) == 1 and WARNING_SLUG in warnings[0].get_text()
    assert len(soup.select("svg.quota-chart")) == 2  # this month and the year


def test_month_page_lists_the_counted_items(site):
    output, _ = site
    soup = page(output, "bien-tap/2023/05/")
    counted = {ul["data-unit"]: [a["href"] for a in ul.select("a")]
               for ul in soup.select("ul.counted-items")}
    assert sorted(counted["huyen-b"]) == ["/tin-bai/b-tin-1/", "/tin-bai/b-tin-dung-han/"]
    assert DRAFT_SLUG not in str(soup)


def test_editors_pages_are_hidden_from_menu_and_sitemap(site):
    output, _ = site
    home = page(output, "")
    assert not [a for a in home.select("nav a") if "bien-tap" in a["href"]]
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "bien-tap" not in sitemap and "chuyen-muc/2023/" in sitemap
    for path in ("bien-tap/2023/", "bien-tap/2023/05/"):
        assert page(output, path).select_one('meta[name="robots"]')["content"] == "noindex"


def test_column_page_shows_plan_dates_and_items(site):
    output, _ = site
    soup = page(output, "chuyen-muc/2023/")
    may = soup.select_one('li[data-month="2023-05"]')
    assert "Chuyên mục thử tháng 5" in may.get_text()
    assert may.select_one("time.coordination-date").get_text() == "Thứ Sáu, 05/05/2023"
    assert [a["href"] for a in may.select(".column-items a")] == [f"/tin-bai/{COLUMN_SLUG}/"]
    november = soup.select_one('li[data-month="2023-11"]')
    date = november.select_one("time.coordination-date")
    assert date.get_text() == "Thứ Sáu, 03/11/2023" and date["datetime"] == "2023-11-03"
    assert "Ủy ban MTTQ Việt Nam huyện A" in november.get_text()
    assert "Ủy ban MTTQ Việt Nam huyện B" in november.get_text()
    assert "Chưa có kế hoạch" in soup.select_one('li[data-month="2023-01"]').get_text()
    index = page(output, "chuyen-muc/")
    assert [a["href"] for a in index.select("main li a")] == ["/chuyen-muc/2023/"]


def test_home_shows_the_anniversary_banner_in_its_window(site):
    output, _ = site
    banner = page(output, "").select_one("aside.anniversary-banner")
    assert banner is not None
    keys = [p["data-anniversary"] for p in banner.select("[data-anniversary]")]
    assert keys == ["cach-mang-thang-tam"]
    text = banner.get_text(" ", strip=True)
    assert "Kỷ niệm 78 năm Ngày Cách mạng tháng Tám thành công" in text
    assert "(19/8/1945 - 19/8/2023)" in text


def test_no_banner_outside_the_window(tmp_path):
    write_item(tmp_path / "content", "mot-tin", seed=5)
    result = build(tmp_path / "content", tmp_path / "output", tmp_path / "cache",
                   MTTQ_TODAY="2023-08-11")  # eight days before 19/8
    assert result.ok, result.errors
    assert page(tmp_path / "output", "").select_one("aside.anniversary-banner") is None
    result = build(tmp_path / "content", tmp_path / "output", tmp_path / "cache",
                   MTTQ_TODAY="2023-08-11", MTTQ_ANNIVERSARY_LEAD_DAYS=8)
    assert page(tmp_path / "output", "").select_one("aside.anniversary-banner") is not None


def test_every_report_page_names_the_rule_it_applied(site):
    output, _ = site
    for path in ("bien-tap/", "bien-tap/2023/05/", "bien-tap/2023/"):
        rules = page(output, path).select("ul.quota-rules li")  # the month's, the year's
        assert rules and {li["data-rule"] for li in rules} == {"cap-huyen-2-tin-1-bai"}, path
        assert all("2 tin, 1 bài mỗi tháng" in li.get_text() for li in rules)
    rows = page(output, "bien-tap/2023/").select("table.months-table tbody tr")
    assert {r.select_one("[data-rule]")["data-rule"] for r in rows} == {"cap-huyen-2-tin-1-bai"}


@pytest.fixture(scope="module")
def reform_site(tmp_path_factory):
    """A year that changed rules in July: a district until 30/06/2025, a commune
    committee from 01/07/2025, the repository's data/quota.yaml; built on 10/09/2025."""
    base = tmp_path_factory.mktemp("reform-site")
    units = base / "units.yaml"
    units.write_text(
        "units:\n"
        "  - {key: huyen-a, name: Ủy ban MTTQ Việt Nam huyện A, kind: district, until: 2025-06-30,"
        " successors: [xa-b]}\n"
        "  - {key: xa-b, name: Ủy ban MTTQ Việt Nam xã B, kind: commune, from: 2025-07-01}\n",
        encoding="utf-8")
    for n, (slug, kind, unit, date) in enumerate([
            ("h-tin-1", "tin", "huyen-a", "2025-06-02 09:00"),
            ("h-tin-2", "tin", "huyen-a", "2025-06-09 09:00"),
            ("h-bai-1", "bai", "huyen-a", "2025-06-16 09:00"),
            ("x-tin-1", "tin", "xa-b", "2025-07-15 09:00"),
            ("x-tin-2", "tin", "xa-b", "2025-09-01 09:00")]):
        write_item(base / "content", slug, type=kind, Unit=unit, date=date, seed=300 + n)
    columns = base / "columns"
    columns.mkdir()  # no column plan: the repository's name the real units
    result = build(base / "content", base / "output", base / "cache", MTTQ_UNITS_FILE=str(units),
                   MTTQ_COLUMNS_DIR=str(columns), MTTQ_TODAY="2025-09-10")
    assert result.ok, result.errors
    return base / "output"


def test_the_2025_summary_counts_each_month_against_its_own_rule(reform_site):
    soup = page(reform_site, "bien-tap/2025/")
    spans = {li["data-rule"]: li["data-months"] for li in soup.select("ul.quota-rules li[data-months]")}
    assert spans == {"cap-huyen-2-tin-1-bai": "1,2,3,4,5,6", "cap-xa-1-tin": "7,8,9"}
    summary = {tr["data-unit"]: [td.get_text(strip=True) for td in tr.select("td")]
               for tr in soup.select("table.year-table tbody tr")}
    # huyen-a: met June only, of six months owed; xa-b: met July and September of three.
    assert summary == {"huyen-a": ["1/6", "2", "1", "0", "0"], "xa-b": ["2/3", "2", "0", "0", "0"]}
    found = bars(soup)
    assert found[("huyen-a", "tin")][:2] == (2, 12) and found[("huyen-a", "bai")][:2] == (1, 6)
    assert found[("xa-b", "tin")][:2] == (2, 3) and found[("xa-b", "bai")][:2] == (0, 0)
    assert quota_rows(page(reform_site, "bien-tap/2025/06/")) == {"huyen-a": (2, 1, "Đạt", 0, 0)}
    july = page(reform_site, "bien-tap/2025/07/")
    assert quota_rows(july) == {"xa-b": (1, 0, "Đạt", 0, 0)}
    assert july.select_one("table.quota-table tr[data-unit]")["data-rule"] == "cap-xa-1-tin"
    home = page(reform_site, "bien-tap/")
    assert set(quota_rows(home)) == {"xa-b"}
