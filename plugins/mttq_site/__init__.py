"""The provincial Front site's Pelican plugin: thin adapters over :mod:`mttq`.

- reader: item bundles -> content + validated metadata + responsive figures
- links: previous/next, related items, home-page topic blocks
- units: unit pages
- photos: encode/copy the planned photo renditions (cached, in parallel)
"""
from pelican import signals

from .feeds import get_generators as feed_generators
from .links import link_items
from .photos import place_renditions
from .reader import add_reader
from .search import get_generators as search_generators
from .reports import get_generators as report_generators
from .units import UnitPagesGenerator

from mttq.presentation import FILTERS
from mttq.settings import with_defaults


def get_generators(pelican):
    return UnitPagesGenerator


def configure(pelican):
    """Project defaults and Jinja filters, before any generator copies settings."""
    with_defaults(pelican.settings)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)


def register():
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(link_items)
    signals.get_generators.connect(get_generators)
    signals.get_generators.connect(search_generators)
    signals.get_generators.connect(feed_generators)
    signals.get_generators.connect(report_generators)
    signals.all_generators_finalized.connect(place_renditions)
