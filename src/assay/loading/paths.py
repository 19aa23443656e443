"""Where a catalog's files are and how their paths are shown: found with ``os.walk`` and resolved a
folder at a time, since a catalog has hundreds of files and pathlib costs a call per file and
resolving a path a system call per part. Re-exported by :mod:`assay.loading.documents`.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def yaml_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files of a directory tree, in a stable order (their paths from
    ``directory``)."""
    return [path for _, path in yaml_entries(directory)]


def yaml_entries(directory: Path) -> list[tuple[str, Path]]:
    """:func:`yaml_files`, each with its path from ``directory``."""
    found = [
        (relative, path)
        for relative, path in entries_under(directory, (".yaml", ".yml"))
        if path.name not in (".yaml", ".yml") and path.is_file()  # a name with a suffix, as Path.suffix
    ]
    return sorted(found, key=lambda pair: pair[0])


def entries_under(directory: Path, suffixes: tuple[str, ...]) -> list[tuple[str, Path]]:
    """What ``directory.rglob("*<suffix>")`` lists, with each one's path from ``directory``: files,
    folders and links whose name ends with a suffix; a link to a folder is listed, never walked.
    Found with ``os.walk``, without pathlib's cost per file (a catalog has hundreds)."""
    found: list[tuple[str, Path]] = []
    top = str(directory)
    for parent, folders, names in os.walk(top):
        inner = os.path.relpath(parent, top).replace(os.sep, "/")
        prefix = "" if inner == "." else f"{inner}/"
        found += [
            (prefix + name, Path(parent, name)) for name in (*folders, *names) if name.endswith(suffixes)
        ]
    return found


def display_path(file: Path, root: Path | None = None) -> str:
    """The path shown in diagnostics: relative to ``root`` (or the working directory) when inside it."""
    resolved = _resolved(file)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return resolved.relative_to(_resolved_base(base)).as_posix()
        except ValueError:
            continue
    return file.as_posix()


def displayed_under(
    directory: Path, found: Iterable[tuple[str, Path]], root: Path | None = None
) -> list[str]:
    """:func:`display_path` of each ``(path from directory, path)`` that :func:`entries_under` found:
    the folder's shown path and the path from it, for a file that is no link (os.walk walks no link
    to a folder, so no part between them is one) when the paths are shown from outside the folder;
    display_path itself otherwise."""
    base = display_path(directory, root)
    real = directory.resolve()
    bases = [_resolved_base(where) for where in (root, Path.cwd()) if where is not None]
    inside = any(where != real and where.is_relative_to(real) for where in bases)
    shown = []
    for relative, path in found:
        try:
            plain = (
                not inside and not stat.S_ISLNK(os.lstat(path).st_mode) and ".." not in relative.split("/")
            )
        except OSError:
            plain = False
        if not plain:
            shown.append(display_path(path, root))
        else:
            shown.append(relative if base == "." else f"{base.rstrip('/')}/{relative}")
    return shown


def _resolved(file: Path) -> Path:
    """``file.resolve()``: its folder resolved once for all the files in it (a catalog has a hundred
    files in a few folders, and resolving a path costs a system call per part), then its own name,
    unless that is itself a symbolic link (or missing, or ``..``): then the whole path, as before."""
    name = file.name
    if not name or name in (".", "..") or not file.is_absolute():  # a relative folder: the cwd may change
        return file.resolve()
    try:
        if stat.S_ISLNK(os.lstat(file).st_mode):
            return file.resolve()
    except OSError:
        return file.resolve()
    return _resolved_base(file.parent) / name


@functools.lru_cache(maxsize=64)
def _resolved_base(base: Path) -> Path:
    """A root or working directory, resolved once: a catalog's files are shown relative to a few."""
    return base.resolve()
