"""One run — a build, a check, a report — and what it may remember.

Data files (topics, units, days off) and the git history are read once per
run and shared by everything in it; a new run (the next rebuild of
``invoke serve``, the next test) starts with nothing remembered, so an edited
data file is always seen. ``functools.lru_cache`` would keep them for the
life of the process, which is the bug this replaces.

Outside any explicit run (a one-off command), one implicit run lasts until
:func:`begin` is called.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Hashable

from mttq.core.problems import ProblemCollector


class Run:
    def __init__(self) -> None:
        self.problems = ProblemCollector()
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per run for ``key``. Exceptions are not remembered."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._memo.pop(key, None)


_current = Run()


def begin() -> Run:
    """Start a new run: nothing of the previous one is remembered."""
    global _current
    _current = Run()
    return _current


def current() -> Run:
    return _current


def memo(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Remember ``compute()`` for the rest of the current run."""
    return _current.memo(key, compute)


def once_per_run(function: Callable) -> Callable:
    """Decorator: like ``functools.lru_cache``, but forgotten at each new run."""
    def wrapper(*args):
        return memo((function.__module__, function.__qualname__, *args), lambda: function(*args))

    wrapper.__wrapped__ = function
    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    return wrapper
