"""Python's cycle collector during a build: off while the site's objects are
made, then those objects set aside, on again for the pages.

A build makes millions of objects that live until its end (the items, their
records, the feeds' and reports' data); each full collection walks all of them
again: at 20,000 items that was ~8 s of a 46 s warm rebuild. So the collector
is off while they are made (:func:`paused`, around the whole build). Once every
generator has its context, :func:`set_aside` moves them to the collector's
permanent generation (``gc.freeze``) and turns it back on: rendering pages
makes short-lived cycles (Jinja's contexts and macros), and with the collector
off a full render of 20,000 items grew from ~1.5 GB to 2.1 GB. Set aside before
the page-writing and search processes fork, the objects they share with the
build are never written by their collectors either, so the pages stay shared.
At the end the build's objects go back (``gc.unfreeze``): a long
``invoke serve`` frees them at its next collection.
"""
from __future__ import annotations

import contextlib
import gc

_state = {"paused": False, "frozen": False}


@contextlib.contextmanager
def paused():
    """The collector off for the block (unless already off), as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    _state.update(paused=was_enabled, frozen=False)
    try:
        yield
    finally:
        if _state["frozen"]:
            gc.unfreeze()
        _state.update(paused=False, frozen=False)
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def collect_young() -> None:
    """Free the cycles made since the last call (the objects made since: one
    item's Markdown parse leaves its parser's cycles), while paused. Cheap:
    only those objects are looked at, never the site's objects before them."""
    if _state["paused"] and not _state["frozen"]:
        gc.collect(0)


def set_aside() -> None:
    """The objects made so far out of every collection; the collector on again
    (only inside :func:`paused`, when that turned it off)."""
    if _state["paused"] and not _state["frozen"]:
        gc.freeze()
        _state["frozen"] = True
        gc.enable()
