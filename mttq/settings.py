"""Defaults of the project's own settings, in one place.

``pelicanconf.py`` (or a test) may override any of them; the plugins read them
through :func:`with_defaults` so a missing key never means a different rule.
"""
from __future__ import annotations

from .paths import DATA_DIR, DEFAULT_CACHE_DIR
from .renditions import DEFAULT_WIDTHS

DEFAULTS = {
    # Registries (data files editors maintain).
    "MTTQ_TOPICS_FILE": str(DATA_DIR / "topics.yaml"),
    "MTTQ_UNITS_FILE": str(DATA_DIR / "units.yaml"),
    # Where encoded photo renditions are cached between builds (outside output/).
    "MTTQ_CACHE_DIR": str(DEFAULT_CACHE_DIR),
    # Rendition widths in pixels; the page picks one with srcset/sizes.
    "MTTQ_RENDITION_WIDTHS": DEFAULT_WIDTHS,
    # Width of the rendition used for sharing previews (Open Graph asks ≥ 1200).
    "MTTQ_SHARE_WIDTH": 1200,
    # Worker processes that encode renditions; None = all cores.
    "MTTQ_WORKERS": None,
    # Output folder (under the site root) of item photos: anh/<slug>/…
    "MTTQ_PHOTO_DIR": "anh",
    # Related items listed on an item page.
    "MTTQ_RELATED_COUNT": 4,
    # Items per topic block on the home page.
    "MTTQ_HOME_TOPIC_ITEMS": 4,
    # URL patterns of unit pages (Pelican has no such taxonomy of its own).
    "MTTQ_UNIT_URL": "don-vi/{slug}/",
    "MTTQ_UNIT_SAVE_AS": "don-vi/{slug}/index.html",
    "MTTQ_UNITS_URL": "don-vi/",
    "MTTQ_UNITS_SAVE_AS": "don-vi/index.html",
}


def with_defaults(settings: dict) -> dict:
    """Fill in every missing project setting (in place) and return ``settings``."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def registries_from_settings(settings: dict):
    """The topic and unit registries named by ``settings`` (cached per file)."""
    from pathlib import Path

    from .item import Registries
    from .registry import load_topics, load_units

    settings = with_defaults(settings)
    return Registries(
        topics=load_topics(Path(settings["MTTQ_TOPICS_FILE"])),
        units=load_units(Path(settings["MTTQ_UNITS_FILE"])),
    )
