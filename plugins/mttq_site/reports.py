"""Editors' reports (bien-tap/), the monthly column plan (chuyen-muc/) and the
anniversary banner of the home page.

A thin adapter over :mod:`mttq.reports.quota`, :mod:`mttq.reports.charts`, :mod:`mttq.reports.columns`
and :mod:`mttq.reports.anniversaries`: the records of Pelican's published
articles (drafts and future-dated items are already left out), counted by the
same functions as ``invoke quota``, against the same quota policy
(``data/quota.yaml``); every page names the rules it applied.

- ``bien-tap/``: this month's quota table and chart, the year so far, the late
  and waived items, and the warnings logged while the site was built;
  ``bien-tap/<yyyy>/`` and ``bien-tap/<yyyy>/<mm>/`` for every year and begun
  month. Not in the menu, ``noindex``, excluded from the sitemap
  (``SITEMAP["exclude"]``). A static site has no access control: anyone who
  knows the address can read these pages.
- ``chuyen-muc/`` and ``chuyen-muc/<yyyy>/``: the year's column plan with each
  month's coordination date and the items published for it (``Column:``).
- ``anniversary_banners`` in the context, for ``index.html``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from mttq.reports.anniversaries import current_banners, load_anniversaries
from mttq.reports.charts import month_rows, quota_chart, year_rows
from mttq.reports.columns import load_column_plans
from mttq.core import runs
from mttq.reports.quota import (checked_policy, group_items, months_until, today_from_setting,
                                year_report)
from mttq.settings import quota_policy_from_settings, registries_from_settings, with_defaults
from mttq.core.times import weekday_date
from mttq.calendar.workdays import column_coordination_date

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------


class EditorsReportsGenerator(Generator):
    template_names = ("editors", "editors_year", "editors_month")

    def generate_context(self):
        settings = with_defaults(self.settings)
        self.today = today_from_setting(settings["MTTQ_TODAY"])
        units = registries_from_settings(settings).units
        # A policy naming an unknown kind of unit fails the build here, clearly.
        quota = checked_policy(units, quota_policy_from_settings(settings))
        # The records the reader made and the run judged: the same verdicts as the
        # pull-request check (mttq/content/history.py). Published articles only.
        records = [a.item for a in self.context.get("articles", []) if getattr(a, "item", None)]
        self.records = records
        # Items sent after their deadline, by month: one pass, not one per month shown.
        self.late_by_month: dict[tuple[int, int], list] = {}
        for r in records:
            if r.missed_deadline:
                self.late_by_month.setdefault((r.local_date.year, r.local_date.month), []).append(r)
        first_year = min([r.local_date.year for r in records] + [self.today.year])
        grouped = group_items(records, units)
        self.years = {year: year_report(records, units, quota, year, today=self.today,
                                        grouped=grouped)
                      for year in range(first_year, self.today.year + 1)}
        self.base = settings["MTTQ_EDITORS_PATH"].strip("/")
        self.unit_names = {key: unit.name for key, unit in units.items()}
        self.context["editors_url"] = f"{self.base}/"

    def _late(self, year: int, month: int | None = None) -> list:
        chosen = [r for (y, m), late in self.late_by_month.items()
                  if y == year and (month is None or m == month) for r in late]
        return sorted(chosen, key=lambda r: (r.date, r.slug), reverse=True)

    def _write(self, writer, path: str, template: str, **values):
        writer.write_file(f"{path}index.html", self.get_template(template), self.context,
                          self.settings["RELATIVE_URLS"], template_name=template, url=path,
                          editors_base=f"{self.base}/", unit_names=self.unit_names,
                          today=self.today, **values)

    def generate_output(self, writer):
        # Everything the build found so far, as data (mttq/core/runs.py): refused
        # files with their errors, warnings of published items and photos.
        collected = runs.current().problems
        refused = {path: found for path, found in collected.errors().items()
                   if path in collected.refused}
        warnings = collected.warnings()
        current = self.years[self.today.year]
        for year, report in self.years.items():
            months = {m.month: m for m in report.months}
            for month_number in months_until(year, self.today):
                month = months[month_number]
                self._write(
                    writer, f"{self.base}/{year}/{month_number:02d}/", "editors_month",
                    report=month, year_report=report, late_items=self._late(year, month_number),
                    chart=quota_chart(month_rows(month), f"Chỉ tiêu tin, bài {month.label.lower()}",
                                      f"bieu-do-{month.key}"),
                )
            self._write(
                writer, f"{self.base}/{year}/", "editors_year", year_report=report,
                late_items=self._late(year),
                chart=quota_chart(year_rows(report), f"Chỉ tiêu tin, bài năm {year} (cộng dồn)",
                                  f"bieu-do-{year}"),
            )
        this_month = current.months[-1]
        self._write(
            writer, f"{self.base}/", "editors", report=this_month, year_report=current,
            years=sorted(self.years, reverse=True), late_items=self._late(self.today.year),
            chart=quota_chart(month_rows(this_month),
                              f"Chỉ tiêu tin, bài {this_month.label.lower()}", "bieu-do-thang-nay"),
            year_chart=quota_chart(year_rows(current), f"Chỉ tiêu tin, bài năm {current.year} "
                                   "(cộng dồn)", "bieu-do-nam-nay"),
            build_warnings=warnings, refused_files=refused,
        )


class ColumnPagesGenerator(Generator):
    """``chuyen-muc/<yyyy>/``: the monthly column plan and its items."""

    def generate_context(self):
        settings = with_defaults(self.settings)
        self.today = today_from_setting(settings["MTTQ_TODAY"])
        units = registries_from_settings(settings).units
        self.plans = load_column_plans(Path(settings["MTTQ_COLUMNS_DIR"]), units)
        articles = self.context.get("articles", [])
        by_column: dict[str, list] = {}
        for article in articles:
            column = getattr(article, "column", None)
            if column:
                by_column.setdefault(column, []).append(article)
        for items in by_column.values():
            items.sort(key=lambda a: (a.date, a.slug))
        with_items = {a.unit.slug for a in articles}
        self.base = settings["MTTQ_COLUMNS_PATH"].strip("/")
        years = sorted(set(self.plans) | {int(key[:4]) for key in by_column})
        self.years = []
        for year in years:
            plan = self.plans.get(year)
            rows = []
            for month in range(1, 13):
                planned = plan.month(month) if plan else None
                day = column_coordination_date(year, month)
                rows.append({
                    "key": f"{year:04d}-{month:02d}",
                    "month": month,
                    "plan": planned,
                    "units": [(u, u.key in with_items) for u in planned.units] if planned else [],
                    "coordination_date": day,
                    "coordination_text": weekday_date(day),
                    "articles": by_column.get(f"{year:04d}-{month:02d}", []),
                })
            self.years.append((year, plan, rows))
        self.context["columns_url"] = f"{self.base}/"

    def generate_output(self, writer):
        current = None
        for year, plan, rows in self.years:
            if year == self.today.year:
                current = rows[self.today.month - 1]
            writer.write_file(
                f"{self.base}/{year}/index.html", self.get_template("column_plan"), self.context,
                self.settings["RELATIVE_URLS"], template_name="column_plan",
                url=f"{self.base}/{year}/", year=year, plan=plan, rows=rows,
            )
        writer.write_file(
            f"{self.base}/index.html", self.get_template("column_plans"), self.context,
            self.settings["RELATIVE_URLS"], template_name="column_plans", url=f"{self.base}/",
            years=[(year, plan) for year, plan, _ in self.years], current=current,
            today=self.today,
        )


class AnniversaryBannerGenerator(Generator):
    """Puts ``anniversary_banners`` in the context (decided at build time)."""

    def generate_context(self):
        settings = with_defaults(self.settings)
        today = today_from_setting(settings["MTTQ_TODAY"])
        data = load_anniversaries(Path(settings["MTTQ_ANNIVERSARIES_FILE"]))
        self.context["anniversary_banners"] = current_banners(
            data.anniversaries, today, int(settings["MTTQ_ANNIVERSARY_LEAD_DAYS"]))


def get_generators(pelican):
    return [AnniversaryBannerGenerator, ColumnPagesGenerator, EditorsReportsGenerator]

