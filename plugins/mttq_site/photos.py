"""Encode and place the photo renditions that the reader planned."""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from pelican.generators import ArticlesGenerator, PagesGenerator

from mttq.core import problems as P
from mttq.core import runs
from mttq.outputs import manifest
from mttq.photos.audit import audit_photos
from mttq.photos.limits import PhotoLimits
from mttq.photos.renditions import publish_renditions
from mttq.settings import with_defaults
from .reader import display_path

log = logging.getLogger(__name__)


def planned_photos(generators):
    """Photos of every content Pelican will write (drafts only when drafts are written)."""
    for generator in generators:
        settings = generator.settings
        if isinstance(generator, ArticlesGenerator):
            contents = [*generator.articles, *generator.translations]
            if settings.get("DRAFT_SAVE_AS"):
                contents += generator.drafts
        elif isinstance(generator, PagesGenerator):
            contents = [*generator.pages, *generator.hidden_pages]
            if settings.get("DRAFT_PAGE_SAVE_AS"):
                contents += generator.draft_pages
        else:
            continue
        for content in contents:
            for photo in getattr(content, "photos", ()):
                yield photo.plan


def place_renditions(generators):
    settings = with_defaults(generators[0].settings)
    outputs = manifest.current()
    if outputs is not None:
        for plan in planned_photos(generators):
            for rendition in plan.renditions:
                outputs.add(rendition.path)
    limits = PhotoLimits.from_settings(settings)
    stats = publish_renditions(
        planned_photos(generators),
        Path(settings["OUTPUT_PATH"]),
        Path(settings["MTTQ_CACHE_DIR"]),
        widths=settings["MTTQ_RENDITION_WIDTHS"],
        workers=settings["MTTQ_WORKERS"],
        limits=limits,  # photos encoded now are checked from the same decode
    )
    log.info("Ảnh: %d ảnh, %d bản thu nhỏ (%d ảnh mới mã hóa)",
             stats.photos, stats.renditions, stats.encoded_photos)
    report_photo_problems(generators, settings, limits, stats.checked)


def report_photo_problems(generators, settings, limits, checked):
    """The photo check's verdicts on every published photo, for the editors
    (:mod:`mttq.photos.audit`), as problems of the run. ``checked``: the ones
    made while encoding; only photos with cached renditions and no remembered
    verdict are decoded again here."""
    sources = sorted({plan.source for plan in planned_photos(generators)})
    problems = audit_photos(sources, limits, Path(settings["MTTQ_CACHE_DIR"]),
                            settings["MTTQ_WORKERS"], known=checked)
    content_root = Path(settings["PATH"])
    collected = runs.current().problems
    for source, found in problems.items():
        # The pull request's check refused what it had to; here they are advice.
        collected.add(display_path(Path(source), content_root),
                      [dataclasses.replace(p, severity=P.WARNING) for p in found])
