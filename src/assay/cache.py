"""An on-disk cache of work a run can skip: compiled CEL rules, the parse of catalog files.

Entries live in the user's cache directory (``$ASSAY_CACHE_DIR``, else the platform's, which honours
``$XDG_CACHE_HOME``), one file per entry under a folder per kind. ``ASSAY_NO_CACHE=1`` turns it off.

Some entries become executed code, so none is trusted because of where it lies:

- the directory must be the user's own, not a symbolic link, and writable by nobody else; otherwise
  a :class:`CacheWarning` says why and the run goes on without a cache;
- each entry is authenticated with HMAC-SHA256 under a random key kept in the directory (``key``,
  32 bytes, mode 0600, the user's own, checked like the directory);
- an entry holds the full text of what it was made from (``material``: the expression, the code
  version, ...), and is used only when that text is exactly what is asked for, so an entry copied
  over another's name, or made by another version, is never used;
- an entry that fails any check is a miss: the caller rebuilds it and writes it again.

Entries are written to a temporary file in their folder and renamed into place, so a process (two CI
jobs, pytest-xdist workers) reads a whole entry or none. Writing is best effort: a full disk or a
read-only directory costs speed, never a result.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_DIR_ENV = "ASSAY_CACHE_DIR"
NO_CACHE_ENV = "ASSAY_NO_CACHE"
KEY_FILE = "key"
KEY_BYTES = 32
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_MAGIC = b"assay-cache 1 "
_FALSE = frozenset({"", "0", "false", "no", "off"})


class CacheWarning(UserWarning):
    """The cache directory or its key is not safe to use: the run goes on without a cache."""


@dataclass(frozen=True)
class Cache:
    """One cache directory with its key. :meth:`get` and :meth:`put` never raise for a bad entry.

    Besides one file per entry, each kind has a pack (``<kind>.pack``): the entries the last run used,
    in one file, so a warm run reads one file per kind instead of one per rule. A pack is only a
    faster place to find entry files' bytes: each entry found in it passes the same checks as its
    own file, and a damaged pack is ignored. :meth:`save_packs` (at exit) rewrites the pack of a
    kind when the run used an entry the pack lacked.
    """

    directory: Path
    key: bytes
    _packs: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)
    _used: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)
    _stale: set[str] = field(default_factory=set, compare=False, repr=False)

    def get(self, kind: str, material: str) -> Any:
        """The payload stored for ``material``, or None when there is none that passes every check."""
        name = self._name(kind, material)
        data = self._pack(kind).get(name)
        entry = self._entry(data.encode("ascii"), kind, material) if data is not None else None
        if entry is None:
            data = self._read(os.path.join(self.directory, kind, f"{name}.entry"))
            entry = self._entry(data.encode("ascii"), kind, material) if data is not None else None
            self._stale.add(kind)
        if entry is not None and data is not None:
            self._used.setdefault(kind, {})[name] = data
        return entry

    def _read(self, path: str) -> str | None:
        try:
            descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as handle:
            size = os.fstat(descriptor).st_size  # read(n) would allocate n bytes: ask for what is there
            data = handle.read(size + 1) if size <= MAX_ENTRY_BYTES else b""
        if len(data) > MAX_ENTRY_BYTES or not data.isascii():
            return None
        return data.decode("ascii")

    def _entry(self, data: bytes, kind: str, material: str) -> Any:
        if not data.startswith(_MAGIC):
            return None
        mac, _, body = data[len(_MAGIC) :].partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            entry = json.loads(body)
        except ValueError:
            return None
        if not isinstance(entry, dict) or entry.get("kind") != kind or entry.get("material") != material:
            return None
        return entry.get("payload")

    def _pack(self, kind: str) -> dict[str, str]:
        if kind not in self._packs:
            pack: Any = None
            data = self._read(os.path.join(self.directory, f"{kind}.pack"))
            with contextlib.suppress(ValueError):
                pack = json.loads(data) if data is not None else None
            valid = isinstance(pack, dict) and all(isinstance(v, str) for v in pack.values())
            self._packs[kind] = pack if valid else {}
        return self._packs[kind]

    def save_packs(self) -> None:
        """Write, for each kind whose pack lacked an entry this process used, a pack of those entries."""
        for kind in sorted(self._stale):
            body = json.dumps(self._used.get(kind, {}), separators=(",", ":")).encode("ascii")
            self._write(os.path.join(self.directory, f"{kind}.pack"), body)
        self._stale.clear()

    def put(self, kind: str, material: str, payload: Any) -> None:
        """Store ``payload`` (JSON-able) for ``material``, atomically; any failure is silent."""
        try:
            body = json.dumps(
                {"kind": kind, "material": material, "payload": payload},
                separators=(",", ":"),
                allow_nan=False,
            ).encode("ascii")  # ensure_ascii: an entry is ASCII, so a pack holds it as a JSON string
        except (ValueError, TypeError):  # NaN, infinity or a value JSON cannot hold: not kept
            return
        name = self._name(kind, material)
        data = _MAGIC + self._mac(body) + b"\n" + body
        self._used.setdefault(kind, {})[name] = data.decode("ascii")
        self._stale.add(kind)
        self._write(os.path.join(self.directory, kind, f"{name}.entry"), data)

    def _write(self, path: str, data: bytes) -> None:
        """Write a file whole under a temporary name and rename it into place; failures are silent."""
        folder = os.path.dirname(path)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".new-")  # mode 0600
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _path(self, kind: str, material: str) -> str:
        return os.path.join(self.directory, kind, f"{self._name(kind, material)}.entry")

    @staticmethod
    def _name(kind: str, material: str) -> str:
        return hashlib.sha256(f"{kind}\0{material}".encode("utf-8", "surrogatepass")).hexdigest()

    def _mac(self, body: bytes) -> bytes:
        return hmac.digest(self.key, body, "sha256").hex().encode("ascii")


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_opened: dict[str, Cache | None] = {}
_lock = threading.Lock()


def default_cache() -> Cache | None:
    """The user's cache, or None when it is turned off or unsafe (warned once per directory)."""
    if os.environ.get(NO_CACHE_ENV, "").strip().lower() not in _FALSE:
        return None
    explicit = os.environ.get(CACHE_DIR_ENV) or f"\0{os.environ.get('XDG_CACHE_HOME', '')}"
    if explicit in _opened:  # called for each expression: the directory is checked once
        return _opened[explicit]
    with _lock:
        if explicit not in _opened:
            _opened[explicit] = open_cache(cache_directory())
        return _opened[explicit]


def cache_directory() -> Path:
    """``$ASSAY_CACHE_DIR``, else the platform's user cache directory for assay."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("assay", appauthor=False))


def open_cache(directory: Path) -> Cache | None:
    """The cache in ``directory`` (created 0700 when missing), or None with a warning saying why not."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = _unsafe_directory(directory) or None
        key = None if problem else _read_key(directory)
    except (OSError, _Unsafe) as exc:
        problem, key = str(exc), None
    if key is None:
        warnings.warn(
            CacheWarning(
                f"assay: not using the cache directory {directory}: {problem}; running without a cache"
            ),
            stacklevel=3,
        )
        return None
    opened = Cache(directory, key)
    atexit.register(opened.save_packs)
    return opened


class _Unsafe(Exception):
    """Why a cache directory or key is not used."""


def _owner_problem(status: os.stat_result, what: str, private_mask: int) -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owner ids or mode bits; the profile's own ACLs protect it
        return ""
    if status.st_uid != getuid():
        return f"{what} belongs to another user"
    if status.st_mode & private_mask:
        return f"{what} is open to other users (mode {stat.S_IMODE(status.st_mode):o})"
    return ""


def _unsafe_directory(directory: Path) -> str:
    status = os.lstat(directory)
    if stat.S_ISLNK(status.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(status.st_mode):
        return "it is not a directory"
    return _owner_problem(status, "it", 0o022)


def _read_key(directory: Path) -> bytes:
    path = directory / KEY_FILE
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        _create_key(directory)
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError as exc:  # ELOOP: the key is a symbolic link
        raise _Unsafe(f"its key {path} cannot be opened safely ({exc.strerror})") from None
    try:
        status = os.fstat(descriptor)
        regular = stat.S_ISREG(status.st_mode)
        key = os.read(descriptor, KEY_BYTES + 1) if regular else b""
    finally:
        os.close(descriptor)
    problem = "" if regular else "is not a regular file"
    problem = problem or _owner_problem(status, "it", 0o077)
    if not problem and len(key) != KEY_BYTES:
        problem = f"is {len(key)} bytes, not {KEY_BYTES}"
    if problem:
        raise _Unsafe(f"its key {path} {problem.removeprefix('it ')}: delete the key to make a new one")
    return key


def _create_key(directory: Path) -> None:
    """A new random key, written whole under a temporary name and linked into place, so a process
    racing this one reads either no key or this whole one (the first link wins)."""
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, directory / KEY_FILE)
    finally:
        os.unlink(temporary)
