"""Atomic switches of a published folder, and the lock that guards a build.

Readers must never meet a missing or half-written site. Two renames
(``output`` → old, new → ``output``) leave a moment without ``output``: a
build killed there left every address answering 404 until the next build.
One system call swaps two folders in place: ``renameat2(RENAME_EXCHANGE)`` on
Linux (3.15+, ext4/xfs/btrfs/tmpfs/overlayfs) and ``renamex_np(RENAME_SWAP)``
on macOS (APFS). Python has no binding for either and no maintained package
offers one, hence the few ``ctypes`` lines below. Where neither works (NFS,
old kernels), the caller falls back to two renames and repairs a kill between
them at the next start (:func:`recover`).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path

RENAME_EXCHANGE = 2  # <linux/fs.h>
RENAME_SWAP = 2  # <stdio.h> on macOS


class ExchangeUnsupported(OSError):
    """This system or file system cannot swap two folders in one step."""


_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def exchange(first: str | os.PathLike, second: str | os.PathLike) -> None:
    """Swap ``first`` and ``second`` (both must exist) in one atomic step."""
    a, b = os.fsencode(first), os.fsencode(second)
    libc = _libc()
    if sys.platform.startswith("linux"):
        function = getattr(libc, "renameat2", None)  # glibc 2.28+, musl 1.2.4+
        if function is None:
            raise ExchangeUnsupported(errno.ENOSYS, "renameat2 is not in this C library")
        at_fdcwd = -100
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                             ctypes.c_uint]
        result = function(at_fdcwd, a, at_fdcwd, b, RENAME_EXCHANGE)
    elif sys.platform == "darwin":
        function = libc.renamex_np
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        result = function(a, b, RENAME_SWAP)
    else:
        raise ExchangeUnsupported(errno.ENOSYS, f"no atomic exchange on {sys.platform}")
    if result != 0:
        code = ctypes.get_errno()
        if code in _UNSUPPORTED:
            raise ExchangeUnsupported(code, os.strerror(code), os.fspath(first))
        raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))


def switch_symlink(link: Path, target: str) -> None:
    """Point the symbolic link ``link`` at ``target`` in one step (a new link
    renamed over the old one: readers see the old target or the new one)."""
    tmp = link.with_name(f".{link.name}.switch-{os.getpid()}")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, link)


@contextmanager
def folder_lock(folder: Path):
    """Hold an exclusive lock on ``folder`` (flock on the folder itself: no lock
    file to leave behind; the kernel releases it when the process dies)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
