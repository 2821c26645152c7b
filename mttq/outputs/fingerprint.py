"""Fingerprints of what a page is rendered from, so an unchanged page is not rendered again.

A page of the site is a pure function of its template (and the templates it
extends, includes and imports), the code of the filters, the settings, and the
template variables it reads. :class:`Fingerprints` digests those variables
(items, listings, units, photos' plans, settings values) into 128-bit keys;
two renders with the same key give the same bytes, which
``tests/test_incremental_publish.py`` checks against full builds after series
of random changes.

Written by hand: no library digests arbitrary Python object graphs (pickle is
neither stable across runs nor defined for lazy objects, and ``repr`` shows
memory addresses). The rules:

- plain values (text, numbers, dates, paths) by their value and type;
- lists, tuples, sets and dicts by their elements (sets and dicts in a sorted
  order), objects (dataclasses, Pelican's categories and tags, our units,
  photos, topics) by their class and attributes, without ``settings`` (the
  settings are part of the build's signature, :mod:`.page_store`);
- an item (Pelican ``Content``) by its own attributes; the page's own item
  (a template variable holding it, ``article`` or ``page``) also by those of
  the items it links (previous/next, related items), which its page shows.
  Cards in listings show the item alone (``theme/templates/_macros.html``),
  so an item's links do not count there. An item inside another item's
  attributes counts by its identity only;
- a Pelican ``Paginator`` by its name, address and page size only: its items
  are shown through its ``Page`` objects (the page and its newer and older
  neighbours are template variables), which count with their own items and
  block number; templates show no count of pages (:mod:`.pagination`);
- anything whose value cannot be told (an object with no attributes whose
  ``repr`` is a memory address) raises :class:`Unstable`: that page is always
  rendered.

Each container's digest is remembered by identity for the build (the objects
are kept alive, so an identity is never reused), which makes a site-wide list
cost once, not once per page.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import struct
import types
from pathlib import PurePath

from pelican.contents import Content
from pelican.paginator import Paginator

SKIPPED_ATTRIBUTES = frozenset({"settings", "_context"})
LINK_ATTRIBUTES = ("previous_item", "next_item", "related_items")


class Unstable(Exception):
    """A value whose fingerprint cannot be told; the page is rendered."""


_LENGTH = struct.Struct("<Q").pack
_SHORT = struct.Struct("<B").pack
_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})
_OBJECTS: set[type] = set()  # classes that are digested by their attributes


def _text(hasher, value: str) -> None:
    data = value.encode("utf-8", "surrogatepass")
    hasher.update(b"s" + _LENGTH(len(data)) + data)


def _number(hasher, value) -> None:
    data = repr(value).encode()
    hasher.update(b"i" + _SHORT(len(data)) + data)


def _h() -> "hashlib._Hash":
    return hashlib.blake2b(digest_size=16)


class Fingerprints:
    """Digests of template variables for one build (see the module docstring)."""

    def __init__(self, skip_ids: frozenset[int] = frozenset()):
        self._memo: dict[int, bytes] = {}
        self._alive: list = []  # keeps remembered objects alive: ids stay unique
        self._active: set[int] = set()
        self._skip = set(skip_ids)  # the build's context and settings dicts

    def of(self, value) -> bytes:
        hasher = _h()
        self._feed(hasher, value)
        return hasher.digest()

    def page_value(self, value) -> bytes:
        """A template variable of a page: the page's own item (``article``,
        ``page``) with the items it links, anything else as :meth:`of`."""
        if not isinstance(value, Content):
            return self.of(value)
        hasher = _h()
        hasher.update(b"own item")
        hasher.update(self.item(value))
        for name in LINK_ATTRIBUTES:
            linked = value.__dict__.get(name)
            if linked is None:
                hasher.update(b"-")
            elif isinstance(linked, Content):
                hasher.update(self.item(linked))
            else:
                for other in list(linked):  # related items: a lazy sequence
                    hasher.update(self.item(other))
                hasher.update(b"|")
        return hasher.digest()

    # --- leaves and containers -----------------------------------------------------

    def _feed(self, hasher, value) -> None:
        kind = type(value)
        # The exact types met hundreds of thousands of times first (a 20,000-item
        # site feeds ~14 million values); subclasses go the long way below.
        if kind is str:
            _text(hasher, value)
            return
        if kind is int or kind is float:
            _number(hasher, value)
            return
        if value is None or kind is bool:
            hasher.update(b"n" if value is None else (b"T" if value else b"F"))
            return
        if kind in _CONTAINERS or kind in _OBJECTS:
            hasher.update(self._digest(value))
            return
        if isinstance(value, str):
            _text(hasher, value)
        elif kind is complex or isinstance(value, (int, float)) and not isinstance(value, enum.Enum):
            _number(hasher, value)
        elif isinstance(value, (bytes, bytearray)):
            hasher.update(b"b" + _LENGTH(len(value)) + bytes(value))
        elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            tz = getattr(value, "tzinfo", None)
            hasher.update(f"d{kind.__name__}|{value!s}|{tz!s}|".encode())
        elif isinstance(value, dt.tzinfo):
            hasher.update(f"z{value!s}|".encode())
        elif isinstance(value, PurePath):
            self._feed(hasher, "path:" + str(value))
        elif isinstance(value, enum.Enum):
            self._feed(hasher, f"enum:{kind.__module__}.{kind.__qualname__}.{value.name}")
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
            self._feed(hasher, f"code:{getattr(value, '__module__', '')}.{value.__qualname__}")
        elif isinstance(value, types.MethodType):
            self._feed(hasher, f"code:{value.__func__.__module__}.{value.__func__.__qualname__}")
            hasher.update(self._digest(value.__self__))
        else:
            _OBJECTS.add(kind)  # the next one of this class comes straight here
            hasher.update(self._digest(value))

    def _digest(self, value) -> bytes:
        key = id(value)
        known = self._memo.get(key)
        if known is not None:
            return known
        if key in self._skip:
            return b"<skipped>"
        if key in self._active:  # a cycle: the outer object is being digested
            return b"<cycle>"
        self._active.add(key)
        try:
            digest = self._compute(value)
        finally:
            self._active.discard(key)
        self._memo[key] = digest
        self._alive.append(value)
        return digest

    def _compute(self, value) -> bytes:
        hasher = _h()
        kind = type(value)
        if kind is list or kind is tuple:  # most containers: no subclass checks
            hasher.update(b"l" if kind is list else b"t")
            feed = self._feed
            for element in value:
                feed(hasher, element)
                hasher.update(b",")
            return hasher.digest()
        if isinstance(value, Content):  # a card, a menu entry: the item alone
            return self.item(value)
        if isinstance(value, Paginator):
            # Not its count or number of pages: they change with every item added,
            # and templates show neither (a page's neighbours are variables of
            # their own; :mod:`.pagination`).
            hasher.update(f"paginator|{value.name}|{value.url}|{value.per_page}|"
                          f"{value.orphans}".encode())
            return hasher.digest()
        if isinstance(value, (list, tuple)):
            hasher.update(b"l" if isinstance(value, list) else b"t")
            for element in value:
                self._feed(hasher, element)
                hasher.update(b",")
            return hasher.digest()
        if isinstance(value, (set, frozenset)):
            hasher.update(b"S")
            for digest in sorted(self.of(element) for element in value):
                hasher.update(digest)
            return hasher.digest()
        if isinstance(value, dict):
            if all(type(k) is str for k in value):  # the usual case: keys in their order
                hasher.update(b"Ds")
                for k in sorted(value):
                    if k not in SKIPPED_ATTRIBUTES:
                        self._feed(hasher, k)
                        self._feed(hasher, value[k])
                return hasher.digest()
            hasher.update(b"D")
            for key_digest, item in sorted(((self.of(k), v) for k, v in value.items()
                                            if k not in SKIPPED_ATTRIBUTES), key=lambda kv: kv[0]):
                hasher.update(key_digest)
                self._feed(hasher, item)
            return hasher.digest()
        kind = type(value)
        hasher.update(f"o{kind.__module__}.{kind.__qualname__}|".encode())
        fields = _attributes(value)
        if fields is None:
            if hasattr(value, "__iter__") and hasattr(value, "__len__"):
                self._feed(hasher, list(value))  # a lazy sequence (related items)
                return hasher.digest()
            text = repr(value)
            if " at 0x" in text:
                raise Unstable(f"{kind.__qualname__} has no stable value")
            self._feed(hasher, text)
            return hasher.digest()
        order, names = _plan(kind, fields, SKIPPED_ATTRIBUTES)
        hasher.update(names)
        for name in order:
            self._feed(hasher, fields[name])
        return hasher.digest()

    # --- items -----------------------------------------------------------------------

    def item(self, content) -> bytes:
        """An item by its own attributes; the items it links count by identity."""
        key = ("item", id(content))
        known = self._memo.get(key)  # type: ignore[call-overload]
        if known is not None:
            return known
        hasher = _h()
        hasher.update(f"item|{type(content).__qualname__}|".encode())
        fields = content.__dict__
        order, names = _plan(type(content), fields, _NOT_OWN)
        hasher.update(names)
        for name in order:
            self._feed(hasher, _identities(fields[name], Content))
        digest = hasher.digest()
        self._memo[key] = digest  # type: ignore[index]
        self._alive.append(content)
        return digest


_NOT_OWN = SKIPPED_ATTRIBUTES | frozenset(LINK_ATTRIBUTES)
_PLANS: dict[tuple, tuple[tuple[str, ...], bytes]] = {}


def _plan(kind: type, fields: dict, skipped: frozenset) -> tuple[tuple[str, ...], bytes]:
    """The attribute names to feed, sorted, and their encoding, once per class
    and set of names (objects of a class nearly always have the same names:
    feeding them for every object was a third of a build's fingerprinting)."""
    key = (kind, skipped, tuple(fields))
    known = _PLANS.get(key)
    if known is None:
        order = tuple(sorted(name for name in fields if name not in skipped))
        encoded = b"".join(b"a" + _LENGTH(len(n.encode())) + n.encode() for n in order)
        known = _PLANS[key] = (order, _LENGTH(len(order)) + encoded)
    return known


def _identities(value, content_class):
    """``value`` with the items it holds replaced by their source paths (an
    item's attributes may name other items: their own digests count elsewhere)."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return value
    if isinstance(value, content_class):
        return ("item-ref", value.source_path, getattr(value, "url", None))
    if isinstance(value, dict) and any(isinstance(v, content_class) for v in value.values()):
        return {k: _identities(v, content_class) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(v, content_class) for v in value):
        return [_identities(v, content_class) for v in value]
    return value


_SLOTS: dict[type, tuple[str, ...]] = {}


def _slots(kind: type) -> tuple[str, ...]:
    """The slot names of ``kind`` and its bases (once per class)."""
    known = _SLOTS.get(kind)
    if known is None:
        names = []
        for cls in kind.__mro__:
            declared = getattr(cls, "__slots__", ())
            names += [declared] if isinstance(declared, str) else list(declared)
        known = _SLOTS[kind] = tuple(n for n in names if isinstance(n, str)
                                     and n not in ("__dict__", "__weakref__"))
    return known


def _attributes(value) -> dict | None:
    try:
        fields = vars(value)
    except TypeError:
        fields = None
    slots = _slots(type(value))
    if slots:
        fields = dict(fields or {})
        for name in slots:
            if hasattr(value, name):
                fields[name] = getattr(value, name)
    return fields
