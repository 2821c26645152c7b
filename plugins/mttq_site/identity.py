"""The site's identity, from ``data/site.yaml`` (:mod:`mttq.registry.site_identity`).

- ``initialized``: the identity in force on the build's "today" (``MTTQ_TODAY``,
  else now) becomes the settings every template and feed already reads
  (``SITENAME``, ``SITE_SHORTNAME``, ``SITE_TAGLINE``, ``SITE_PUBLISHER``,
  ``SITELOGO``, ``SITE_CONTACT``), plus ``SITE_IDENTITY`` and ``SITE_IDENTITIES``;
  the feeds' id authority comes from the file unless a setting pins one.
  Each item's JSON-LD takes the identity in force on its publication date from
  ``SITE_IDENTITIES`` (:func:`mttq.outputs.presentation.news_article_jsonld`), so
  an item of the former province keeps its publisher while the pages carry today's.

Without ``MTTQ_SITE_FILE`` (set to None) the settings file's own values stay.
"""
from __future__ import annotations

from mttq.settings import run_now, site_identities_from_settings, with_defaults


def configure_identity(pelican) -> None:
    settings = with_defaults(pelican.settings)
    if not settings.get("MTTQ_SITE_FILE"):
        return
    identities = site_identities_from_settings(settings)
    current = identities.on(run_now(settings))
    settings.update(current.as_settings())
    settings["SITE_IDENTITY"] = current
    settings["SITE_IDENTITIES"] = identities
    if settings.get("MTTQ_FEED_ID_AUTHORITY") is None and identities.feed_id_authority:
        settings["MTTQ_FEED_ID_AUTHORITY"] = identities.feed_id_authority

