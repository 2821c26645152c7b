"""Listings derived from the published items: units, topics, neighbours, related.

Plain functions over any objects with ``slug``, ``date``, ``tags``,
``category`` and ``unit`` attributes (Pelican articles in the build, simple
records in tests). Each is linear or near-linear in the number of items: no
listing scans all items once per item.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Sequence


def newest_first(items: Iterable) -> list:
    return sorted(items, key=lambda item: (item.date, item.slug), reverse=True)


def group_by(items: Sequence, key) -> dict:
    """``key(item)`` -> items, each group newest first, keys in first-seen order."""
    groups: dict = defaultdict(list)
    for item in newest_first(items):
        groups[key(item)].append(item)
    return dict(groups)


def neighbours(items: Sequence) -> dict[str, tuple]:
    """slug -> (previous = older item, next = newer item) in publication order."""
    ordered = newest_first(items)
    result = {}
    for index, item in enumerate(ordered):
        newer = ordered[index - 1] if index > 0 else None
        older = ordered[index + 1] if index + 1 < len(ordered) else None
        result[item.slug] = (older, newer)
    return result


def related_items(items: Sequence, count: int = 4, tag_limit: int = 200) -> dict[str, list]:
    """slug -> up to ``count`` related items: shared tags first, then same topic.

    The order: most shared tags first; among equals, items of the same topic
    first, then the newer. Scores come from an inverted tag index; a tag carried
    by more than ``tag_limit`` items says little and would make the work
    quadratic, so only its newest ``tag_limit`` items are considered.

    The scores are counted by ``Counter.update`` over the tags' slug lists and
    only the best ``count`` are ordered (by score group, then topic, then rank):
    20,000 items with 2 of 42 tags each score 8 million pairs, which a Python
    loop with a sort key per candidate took ~20 s for.
    """
    ordered = newest_first(items)
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_topic: dict = defaultdict(list)
    topic_of: dict[str, str] = {}
    by_slug = {}
    for item in ordered:
        for tag in item.tags or ():
            if len(by_tag[tag.slug]) < tag_limit:
                by_tag[tag.slug].append(item.slug)
        by_topic[item.category.slug].append(item)
        topic_of[item.slug] = item.category.slug
        by_slug[item.slug] = item
    rank = {item.slug: position for position, item in enumerate(ordered)}
    result = {}
    for item in ordered:
        topic = item.category.slug
        scores: Counter = Counter()
        for tag in item.tags or ():
            scores.update(by_tag[tag.slug])
        scores.pop(item.slug, None)
        chosen: list = []
        if scores:
            groups: dict[int, list[str]] = defaultdict(list)
            for slug, score in scores.items():
                groups[score].append(slug)
            for score in sorted(groups, reverse=True):
                group = sorted(groups[score], key=rank.__getitem__)
                chosen += [by_slug[s] for s in group if topic_of[s] == topic][:count - len(chosen)]
                chosen += [by_slug[s] for s in group if topic_of[s] != topic][:count - len(chosen)]
                if len(chosen) >= count:
                    break
        if len(chosen) < count:
            taken = {o.slug for o in chosen} | {item.slug}
            for other in by_topic[topic]:
                if other.slug not in taken:
                    chosen.append(other)
                    if len(chosen) == count:
                        break
        result[item.slug] = chosen
    return result
