"""The provincial Front site's Pelican plugin: thin adapters over :mod:`mttq`.

- reader: item bundles -> content + validated metadata + responsive figures
- links: previous/next, related items, home-page topic blocks
- units: unit pages
- photos: encode/copy the planned photo renditions (cached, in parallel)
- selected: rewrite only the pages showing an edited item (``invoke serve``)
- parallel: a second process renders the item and keyword pages
- cms: the web form for contributors, /soan-tin/ (Decap CMS)
"""
import os
from pathlib import Path

from pelican import signals
from pelican.contents import Content

from .cms import get_generators as cms_generators
from .feeds import get_generators as feed_generators
from .identity import configure_identity
from .links import link_items
from .photos import place_renditions
from .reader import add_reader
from .records import collect_problems, judge_item, refuse_duplicate_pages
from .search import get_generators as search_generators, start_index
from .selected import keep_for_preview
from . import parallel, speed
from .reports import get_generators as report_generators
from .units import UnitPagesGenerator

from mttq.content.item import IGNORED_FILES
from mttq.core import collector
from mttq.outputs import manifest
from mttq.outputs.presentation import FILTERS
from mttq.settings import with_defaults


def get_generators(pelican):
    return UnitPagesGenerator


_CARDS: dict[tuple, tuple] = {}  # (id(photo), siteurl, eager) -> (photo, markup)


def card_picture(photo, siteurl: str = "", eager: bool = False):
    """``card_picture``, remembered: an item's card is shown on ~10 listing
    pages and as a related item, and its markup never changes for the same
    photo. Keyed by the photo object (hashing its plan costs more than the
    lookup saves); the entry keeps the photo alive, so its id is not reused.
    A plain function, so the settings that hold it can still be pickled
    (Pelican's reader cache pickles them)."""
    key = (id(photo), siteurl, eager)
    entry = _CARDS.get(key)
    if entry is None or entry[0] is not photo:
        if len(_CARDS) > 50_000:
            _CARDS.clear()
        entry = _CARDS[key] = (photo, FILTERS["card_picture"](photo, siteurl, eager))
    return entry[1]


_FILTERS = {**FILTERS, "card_picture": card_picture}


# A pattern that never matches: Pelican's intrasite links ({static}, {attach},
# {filename}) would copy any readable file (``..`` included) into the output.
NO_INTRASITE_LINKS = r"(?!)"


def configure(pelican):
    """Project defaults and Jinja filters, before any generator copies settings.

    Whatever the settings file says, Pelican's intrasite links are off and no
    content file is copied as a static file: photos reach the site only as
    renditions (see :func:`drop_static_content`)."""
    with_defaults(pelican.settings)
    pelican.settings["INTRASITE_LINK_REGEX"] = NO_INTRASITE_LINKS
    pelican.settings["STATIC_PATHS"] = []
    pelican.settings["IGNORE_FILES"] = list(IGNORED_FILES)  # what the check skips, no more
    # What is published is decided once, by our rule (records.judge_item).
    pelican.settings["WITH_FUTURE_DATES"] = True
    outputs = manifest.begin(pelican.settings["OUTPUT_PATH"])
    settings = pelican.settings
    outputs.allow_theme_static(settings["THEME_STATIC_DIR"], [
        Path(settings["THEME"]) / p for p in settings.get("THEME_STATIC_PATHS", ["static"])])
    outputs.add("sitemap.xml")  # pelican-sitemap writes it itself, at the end
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(_FILTERS)
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"],
                                     "bytecode_cache": template_code_cache(settings["MTTQ_CACHE_DIR"])}
    forget_previous_builds()


def template_code_cache(cache_dir):
    """Jinja's own cache of compiled templates, in ``cache/jinja``: each of
    Pelican's generators has an environment of its own and compiled the same
    templates again in each, on every build (80 compilations at 1,000 items).
    Jinja checks each entry against its template's source; the publish cache is
    never shared with pull requests (``tests/test_workflow.py``)."""
    from jinja2 import FileSystemBytecodeCache

    folder = Path(cache_dir) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache: compiled in memory, as before
    return FileSystemBytecodeCache(str(folder))


def forget_previous_builds():
    """A process that builds again (``invoke serve``, tests) drops what it
    remembered of earlier builds: our card markup and Pelican's memoized item
    bodies and summaries (kept per object, they would keep every earlier
    build's items alive)."""
    _CARDS.clear()
    for method in (Content.get_content, Content.get_summary):
        method.cache.clear()


def record_written(path, context=None):
    """``content_written``: a page or file Pelican's writer produced."""
    outputs = manifest.current()
    if outputs is not None:
        outputs.add(os.path.relpath(path, outputs.root))


def drop_static_content(generator):
    """``static_generator_finalized``: copy nothing from the content tree.

    Pelican's static generator also copies files that items link to, whatever
    ``STATIC_PATHS`` says; only the theme's own files (copied separately, from
    ``theme/static``) are static files of this site."""
    generator.staticfiles = []
    generator.context["staticfiles"] = []


def contexts_ready(generators):
    """Every generator has its context. In this order (one receiver: blinker
    does not keep the order of receivers): the second page-writing process and
    the search index start (on other cores), then the photos are placed. First
    the objects made so far are set aside from the cycle collector
    (:mod:`mttq.core.collector`), before those processes fork."""
    collector.set_aside()
    parallel.start(generators)
    start_index(generators)
    place_renditions(generators)
    keep_for_preview(generators)  # invoke serve: rewrite one edited item's pages later


def register():
    speed.fast_period_archives()
    speed.lean_cache_saves()
    speed.stable_pagination()
    signals.initialized.connect(configure)
    signals.initialized.connect(configure_identity)
    signals.readers_init.connect(add_reader)
    signals.article_generator_context.connect(judge_item)
    signals.article_generator_finalized.connect(collect_problems)
    signals.page_generator_finalized.connect(refuse_duplicate_pages)
    signals.article_generator_finalized.connect(link_items)
    signals.get_generators.connect(get_generators)
    signals.get_generators.connect(search_generators)
    signals.get_generators.connect(feed_generators)
    signals.get_generators.connect(report_generators)
    signals.get_generators.connect(cms_generators)
    signals.static_generator_finalized.connect(drop_static_content)
    signals.content_written.connect(record_written)
    signals.all_generators_finalized.connect(contexts_ready)
    parallel.register()  # the writer when a second process renders item pages
