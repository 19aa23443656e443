"""The SHA-256 of a file's bytes, computed beside other work on them.

hashlib lets go of the interpreter's lock while it hashes a large buffer, so the digest of an evidence
file of hundreds of megabytes is computed in a thread of its own while the same bytes are parsed
(loading) or searched (:mod:`assay.locate`): on a machine with a second core it costs no wall time.
The bytes are immutable, so the thread reads exactly what the caller reads.
"""

from __future__ import annotations

import hashlib
import threading

# Bytes below this size are hashed at once: a thread costs more than it saves.
THREAD_ABOVE = 1 << 20


class Digest:
    """The SHA-256 hex digest of ``raw``: in a thread when ``raw`` is large, else at once.

    :meth:`hexdigest` waits for the thread; a process that cannot start one hashes in the caller."""

    def __init__(self, raw: bytes, name: str = "assay-sha256") -> None:
        self._digest = ""
        self._thread: threading.Thread | None = None
        if len(raw) >= THREAD_ABOVE:
            thread = threading.Thread(target=self._hash, args=(raw,), name=name, daemon=True)
            try:
                thread.start()
            except RuntimeError:  # no thread to be had: hashed here
                pass
            else:
                self._thread = thread
                return
        self._hash(raw)

    def _hash(self, raw: bytes) -> None:
        self._digest = hashlib.sha256(raw).hexdigest()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._digest
