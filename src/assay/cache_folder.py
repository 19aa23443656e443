"""The files of a cache folder: which are assay's, and removing them (pruning to a cap, clearing).

Split from :mod:`assay.cache`, which re-exports these names: a folder holds the key, the bundle, one
folder per kind of entries (``*.entry`` files), files of older layouts, and temporaries being written
(``.new-*``). Nothing here follows a symbolic link, and only files assay made are ever listed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Collection
from pathlib import Path

from assay.lean_dataclasses import frozen

BUNDLE_FILE = "bundle"
ENTRY_SUFFIX = ".entry"
OLD_LAYOUT_SUFFIXES = (".pack",)  # one file per kind of entries used, before the bundle
STALE_TEMPORARY_SECONDS = 3600  # a file being written that is older was left by a process that died
TEMPORARY_PREFIX = ".new-"


@frozen
class CacheFile:
    """A file assay made in a cache folder: ``role`` is entry, bundle, old (a layout no longer read)
    or temporary (being written, or left by a process that died)."""

    path: str
    role: str
    size: int
    used: float  # the file's modification time: written, or last read from its own file


def cache_files(directory: Path) -> list[CacheFile]:
    """The files assay made in ``directory``, found without following a symbolic link; a file that
    vanishes meanwhile (another process pruning) is left out. Other files are never listed."""
    found: list[CacheFile] = []
    for item in _listing(str(directory)):
        if _is_folder(item):
            found += [f for sub in _listing(item.path) if (f := _known(sub, inner=True)) is not None]
        elif (known := _known(item, inner=False)) is not None:
            found.append(known)
    return found


def _is_folder(item: os.DirEntry[str]) -> bool:
    try:
        return item.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _listing(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as items:
            return list(items)
    except OSError:
        return []


def _known(item: os.DirEntry[str], *, inner: bool) -> CacheFile | None:
    name = item.name
    if name.startswith(TEMPORARY_PREFIX):
        role = "temporary"
    elif inner:
        role = "entry" if name.endswith(ENTRY_SUFFIX) else ""
    else:
        role = "bundle" if name == BUNDLE_FILE else "old" if name.endswith(OLD_LAYOUT_SUFFIXES) else ""
    try:
        status = item.stat(follow_symlinks=False)
    except OSError:
        return None
    if not role or stat.S_ISDIR(status.st_mode):
        return None
    return CacheFile(item.path, role, status.st_size, status.st_mtime)


def prune(
    directory: Path,
    cap: int,
    *,
    keep: Collection[str] = (),
    recent: Collection[str] = (),
    blobs: Collection[str] = (),
) -> int:
    """Bring ``directory`` under ``cap`` bytes; the number of files removed.

    Old layouts and temporaries left by a dead process always go. Then, while over the cap: entries
    named neither in ``keep`` (the bundle's entries) nor in ``recent`` (the previous bundle's), least
    recently used first; then those in ``recent``; then the files of those in ``keep`` (the bundle
    holds them whole); then ``blobs`` (the run's entries the bundle does not hold) and the bundle. A
    file another process removed first is simply gone; nothing is ever half-removed.
    """
    files = cache_files(directory)
    stale = time.time() - STALE_TEMPORARY_SECONDS
    doomed = [f for f in files if f.role == "old" or (f.role == "temporary" and f.used < stale)]
    kept = [f for f in files if f.role in ("entry", "bundle")]
    total = sum(f.size for f in kept)

    def order(file: CacheFile) -> tuple[int, float]:
        if file.role == "bundle":
            return (3, file.used)
        name = os.path.basename(file.path).removesuffix(ENTRY_SUFFIX)
        return (3 if name in blobs else 2 if name in keep else 1 if name in recent else 0, file.used)

    for file in sorted(kept, key=order):
        if total <= cap:
            break
        doomed.append(file)
        total -= file.size
    return sum(_remove(file.path) for file in doomed)


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except OSError:  # gone already (another process pruned it), or not ours to remove
        return False
    return True


def clear(directory: Path) -> int:
    """Remove every file assay made in ``directory`` but its key, and the emptied folders of entries;
    the number of files removed. The caller checks the folder first (:func:`directory_problem`)."""
    removed = sum(_remove(file.path) for file in cache_files(directory))
    for item in _listing(str(directory)):
        if _is_folder(item):
            with contextlib.suppress(OSError):  # not empty: someone else's file, or a run writing now
                os.rmdir(item.path)
    return removed
