"""The next file's bytes read in a thread while this one is parsed.

Reading a file copies its bytes from the page cache with the interpreter's lock let go, so the next
evidence file of hundreds of megabytes is read on a second core while this one is decoded: loading a
folder of large exports costs their decoding, not their decoding and then their reading. Only large
files are read ahead (a thread costs more than a small file's read); a file read ahead but never
asked for (refused on its name or its metadata first) costs a read, nothing else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assay.digests import THREAD_ABOVE


class ReadAhead:
    """``read(path, following)``: the bytes ``reader`` gives for ``path`` (or what it raised), the
    next path's bytes then read in a thread when ``size`` says it is large."""

    def __init__(self, reader: Callable[[str], bytes], size: Callable[[str], int]) -> None:
        self._reader = reader
        self._size = size
        self._pending: _Pending | None = None

    def read(self, path: str, following: str | None = None) -> bytes:
        pending, self._pending = self._pending, None
        if pending is not None and pending.path == path:
            raw = pending.result()
        else:
            if pending is not None:
                pending.thread.join()  # a read no one asked for: let it end
            raw = self._reader(path)
        if following is not None and self._size(following) >= THREAD_ABOVE:
            self._pending = _Pending(following, self._reader)
        return raw

    def close(self) -> None:
        """Wait for a read still running, then let go of the reader and the sizer.

        They are most often bound methods of the object that owns this one (the evidence loader, which
        holds the evidence store): kept, they would make a reference cycle, and ``assay check`` runs
        without the cyclic collector, so an organisation run would keep every account's evidence."""
        if self._pending is not None:
            self._pending.thread.join()
            self._pending = None
        self._reader = _closed
        self._size = _closed_size


class _Pending:
    """One read in a thread: its bytes, or the exception it raised (raised again when asked)."""

    def __init__(self, path: str, reader: Callable[[str], bytes]) -> None:
        self.path = path
        self._reader = reader
        self._raw: bytes | None = None
        self._error: BaseException | None = None
        self.thread = threading.Thread(target=self._read, name="assay-read-ahead", daemon=True)
        try:
            self.thread.start()
        except RuntimeError:  # no thread to be had: read when asked
            self._read()

    def _read(self) -> None:
        try:
            self._raw = self._reader(self.path)
        except BaseException as error:  # raised again, as it was, in the caller's thread
            self._error = error

    def result(self) -> bytes:
        self.thread.join()
        if self._error is not None:
            raise self._error
        if self._raw is None:  # pragma: no cover - a read gives bytes or raises
            return self._reader(self.path)
        return self._raw


def _closed(path: str) -> bytes:
    raise RuntimeError(f"{path}: read after the read-ahead was closed")


def _closed_size(path: str) -> int:
    raise RuntimeError(f"{path}: read after the read-ahead was closed")
