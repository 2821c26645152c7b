"""Attach previous/next and related items, and the home page's topic blocks."""
from __future__ import annotations

from mttq.listing import group_by, neighbours, related_items
from mttq.settings import registries_from_settings, with_defaults


def link_items(generator):
    settings = with_defaults(generator.settings)
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
