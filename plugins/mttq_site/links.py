"""Attach previous/next and related items, and the home page's topic blocks."""
from __future__ import annotations

import logging

from mttq.listing import group_by, neighbours, related_items
from mttq.settings import registries_from_settings, with_defaults

log = logging.getLogger(__name__)


def refuse_duplicate_slugs(generator):
    """Two items with one folder name would overwrite each other's page: stop."""
    by_slug: dict[str, list] = {}
    for article in [*generator.articles, *generator.drafts]:
        by_slug.setdefault(article.slug, []).append(article.relative_source_path)
    for slug, paths in by_slug.items():
        if len(paths) > 1:
            log.error("[article.duplicate_slug] %s dùng chung tên thư mục '%s', sẽ ghi đè lên "
                      "nhau.\n      → Đổi tên một thư mục, ví dụ '%s-2'.",
                      " và ".join(sorted(paths)), slug, slug)


def link_items(generator):
    settings = with_defaults(generator.settings)
    refuse_duplicate_slugs(generator)
    articles = generator.articles
    pairs = neighbours(articles)
    related = related_items(articles, settings["MTTQ_RELATED_COUNT"])
    for article in articles:
        article.previous_item, article.next_item = pairs[article.slug]
        article.related_items = related[article.slug]
    registries = registries_from_settings(settings)
    by_topic = group_by(articles, lambda a: a.category.slug)
    categories = {c.slug: c for c, _ in generator.categories}
    generator.context["topic_blocks"] = [
        (topic, categories.get(key), by_topic.get(key, []))
        for key, topic in registries.topics.items()
    ]
