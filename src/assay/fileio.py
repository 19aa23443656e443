"""Files in and out: atomic writes that keep modes private, and reads that stay inside a folder.

:func:`atomic_write` writes through a temporary file and a rename, so a reader sees the old file or the
whole new one, never half; the new file is never more open than the old one, or than its folder.
:func:`read_inside` reads one regular file of a folder whose contents are untrusted (evidence): it
refuses links out of the folder and anything that is not a regular file (a FIFO would block the run,
a device could be endless or have side effects on open), and files over a size limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assay.errors import Diagnostic, LoadError, Severity

PRIVATE_FILE_MODE = 0o600
_GROUP_AND_OTHERS = 0o077


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename.

    The file keeps the mode of the file it replaces. A new file is private (0600) in a folder that
    only its owner can enter, and otherwise gets the mode the umask gives a new file. A device or a
    pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written in place: a rename would put a regular file
    where it was (run as root, ``--output /dev/null`` replaced the machine's /dev/null).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _is_stream(path):
        with open(path, "wb") as stream:
            stream.write(payload)
        return
    directory = path.parent if str(path.parent) else Path(".")
    mode = _mode_for(path, directory)
    import tempfile  # here: a check that prints its report writes no file (tempfile imports shutil, random)

    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_stream(path: Path) -> bool:
    """Whether ``path`` (its link followed) is a character device or a pipe."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _mode_for(path: Path, directory: Path) -> int:
    """The permission bits the written file gets (see :func:`atomic_write`)."""
    try:
        existing = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISREG(existing.st_mode):
        return stat.S_IMODE(existing.st_mode)
    if stat.S_IMODE(os.stat(directory).st_mode) & _GROUP_AND_OTHERS == 0:
        return PRIVATE_FILE_MODE
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask (reading it means setting it: it is put back at once)."""
    current = os.umask(0o077)
    os.umask(current)
    return current


# --- reading untrusted folders ---------------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def read_inside(
    root: Path,
    relative: str,
    limit: int,
    shown: str,
    *,
    folder: str = "the folder",
    real_root: str | None = None,
) -> bytes:
    """The bytes of ``root/relative``, a regular file of at most ``limit`` bytes inside ``root``.

    Links are followed only while they stay inside ``root``. Anything else is a :class:`LoadError`
    at ``shown`` (the path as diagnostics print it), raised before the file is opened; ``folder``
    names ``root`` in its message. A file swapped for another between the checks and the read is
    refused too. ``real_root`` is ``root``'s real path (:func:`real_path`), for a caller reading many
    files of one folder: it is then resolved once, not per file.
    """
    inside = real_root if real_root is not None else real_path(root)
    resolved = os.path.realpath(os.path.join(root, relative))
    if not (resolved == inside or resolved.startswith(inside.rstrip(os.sep) + os.sep)):
        raise _refused(shown, f"is a link that points outside {folder}; refusing it")
    try:
        before = os.stat(resolved)
        if not stat.S_ISREG(before.st_mode):
            raise _refused(shown, f"is {file_kind(before.st_mode)}, not a regular file; skipped")
        if before.st_size > limit:
            raise _refused(shown, f"file is {before.st_size:,} bytes; the limit is {limit:,} bytes")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(resolved, flags)
        with os.fdopen(descriptor, "rb") as handle:
            after = os.fstat(handle.fileno())
            if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
                raise _refused(shown, "changed while it was being read; refusing it")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _refused(shown, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:  # the file grew after stat()
        raise _refused(shown, f"file is larger than the limit of {limit:,} bytes")
    return data


def real_path(folder: Path) -> str:
    """``folder`` with every symbolic link resolved, as :func:`read_inside` compares paths."""
    return os.path.realpath(folder)


def _refused(shown: str, message: str) -> LoadError:
    return LoadError([Diagnostic(shown, 1, 1, Severity.ERROR, message)])
