"""Unit pages: one paginated listing per unit and an index of all units.

Pelican knows categories, tags and authors; units (the contributing
committees and organisations) are our own taxonomy, so this generator writes
their pages the way Pelican writes category pages.

A unit that had ended on the build's day (the district committees and the
former province's bodies, on 30/06/2025) keeps its page and its items, marked
as a former unit with its successors (``data/units.yaml``); a unit that
carries on others' work names them.
"""
from __future__ import annotations

import functools
import os

from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from mttq.outputs.listing import group_by
from mttq.settings import registries_from_settings, run_now, with_defaults


class UnitLink(URLWrapper):
    """A unit as Pelican content refers to it: name, slug (= key), url."""

    # Set by the unit pages' generator for the build's day (not by the reader).
    former = False  # the unit had ended
    successor_links: list = []  # (UnitLink, has a page) of the units that carry on its work
    predecessor_links: list = []  # (UnitLink, has a page) of the units it carries on

    def __init__(self, unit, settings):
        super().__init__(unit.name, settings)
        self.slug = unit.key
        self.unit = unit

    def _unit_setting(self, key, get_page_name=False):
        # URL patterns are project settings (MTTQ_UNIT_*), not Pelican's own.
        value = self.settings[f"MTTQ_UNIT_{key}"]
        if get_page_name:
            value = os.path.splitext(value)[0]
        return value.format(**self.as_dict())

    url = property(functools.partial(_unit_setting, key="URL"))
    save_as = property(functools.partial(_unit_setting, key="SAVE_AS"))
    page_name = property(functools.partial(_unit_setting, key="URL", get_page_name=True))


class UnitPagesGenerator(Generator):
    def generate_context(self):
        settings = with_defaults(self.settings)
        registries = registries_from_settings(settings)
        by_unit = group_by(self.context.get("articles", []), lambda a: a.unit.slug)
        today = run_now(settings).date()
        links = {key: UnitLink(unit, settings) for key, unit in registries.units.items()}
        for key, link in links.items():
            link.former = link.unit.ended_before(today)
            link.successor_links = [(links[k], bool(by_unit.get(k))) for k in link.unit.successors
                                    if k in links]
            link.predecessor_links = [(links[k], bool(by_unit.get(k)))
                                      for k in link.unit.predecessors if k in links]
        units = [(link, by_unit.get(key, [])) for key, link in links.items()]
        self.units = units
        self.context["units"] = units
        self.context["current_units"] = [(u, items) for u, items in units if items and not u.former]
        self.context["former_units"] = [(u, items) for u, items in units if items and u.former]
        self.context["units_url"] = settings["MTTQ_UNITS_URL"]

    def generate_output(self, writer):
        settings = self.settings
        for link, items in self.units:
            if not items:
                continue
            writer.write_file(
                link.save_as, self.get_template("unit"), self.context,
                self.settings["RELATIVE_URLS"], paginated={"articles": items, "dates": items},
                template_name="unit", url=link.url, unit=link, articles=items, dates=items,
                page_name=link.page_name, all_articles=self.context["articles"],
            )
        writer.write_file(
            settings["MTTQ_UNITS_SAVE_AS"], self.get_template("units"), self.context,
            self.settings["RELATIVE_URLS"], template_name="units", url=settings["MTTQ_UNITS_URL"],
        )
