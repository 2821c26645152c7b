"""Listings derived from the published items: units, topics, neighbours, related.

Plain functions over any objects with ``slug``, ``date``, ``tags``,
``category`` and ``unit`` attributes (Pelican articles in the build, simple
records in tests). Each is linear or near-linear in the number of items: no
listing scans all items once per item.
"""
from __future__ import annotations

from collections import defaultdict
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

    Scores come from an inverted tag index; a tag carried by more than
    ``tag_limit`` items says little and would make the work quadratic, so only
    its newest ``tag_limit`` items are considered.
    """
    ordered = newest_first(items)
    by_tag: dict[str, list] = defaultdict(list)
    by_topic: dict = defaultdict(list)
    for item in ordered:
        for tag in item.tags or ():
            if len(by_tag[tag.slug]) < tag_limit:
                by_tag[tag.slug].append(item)
        by_topic[item.category.slug].append(item)
    rank = {item.slug: position for position, item in enumerate(ordered)}
    result = {}
    for item in ordered:
        scores: dict[str, int] = defaultdict(int)
        candidates = {}
        for tag in item.tags or ():
            for other in by_tag[tag.slug]:
                if other.slug != item.slug:
                    scores[other.slug] += 1
                    candidates[other.slug] = other
        chosen = sorted(candidates.values(),
                        key=lambda o: (-scores[o.slug],
                                       o.category.slug != item.category.slug,
                                       rank[o.slug]))[:count]
        if len(chosen) < count:
            taken = {o.slug for o in chosen} | {item.slug}
            for other in by_topic[item.category.slug]:
                if other.slug not in taken:
                    chosen.append(other)
                    if len(chosen) == count:
                        break
        result[item.slug] = chosen
    return result
