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

The folder is bounded (``$ASSAY_CACHE_MAX_MB``, 64 MiB by default): a run that wrote something prunes
it once, at exit, after saving the bundle (:func:`prune`). The least recently used entries go first
(an entry's file time is when it was written or last read from its file; the bundle's entries are
the last run's and go last), and files of an older layout (``*.pack``) always go. Two processes
pruning the same folder at once only ever remove whole files, each a miss at worst.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import hmac
import itertools
import json
import os
import stat
import sys
import threading
import warnings
from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

import msgspec

from assay.cache_folder import BUNDLE_FILE as BUNDLE_FILE
from assay.cache_folder import ENTRY_SUFFIX as ENTRY_SUFFIX
from assay.cache_folder import OLD_LAYOUT_SUFFIXES as OLD_LAYOUT_SUFFIXES
from assay.cache_folder import STALE_TEMPORARY_SECONDS as STALE_TEMPORARY_SECONDS
from assay.cache_folder import TEMPORARY_PREFIX, prune
from assay.cache_folder import CacheFile as CacheFile
from assay.cache_folder import cache_files as cache_files
from assay.cache_folder import clear as clear
from assay.lean_dataclasses import frozen

CACHE_DIR_ENV = "ASSAY_CACHE_DIR"
NO_CACHE_ENV = "ASSAY_NO_CACHE"
KEY_FILE = "key"
KEY_BYTES = 32
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_MB_ENV = "ASSAY_CACHE_MAX_MB"
DEFAULT_MAX_MB = 64
_MAGIC = b"assay-cache 1 "
_BUNDLE_MAGIC = b"assay-bundle 1 "
_BLOB_MAGIC = b"assay-blob 1 "
_FALSE = frozenset({"", "0", "false", "no", "off"})
_LARGE_ENTRY = 64 * 1024  # bytes of JSON above which an entry is decoded with the collector paused


class CacheWarning(UserWarning):
    """The cache directory or its key is not safe to use: the run goes on without a cache."""


class _Bundle:
    """The bundle as read (the entries no caller has taken yet) and what this process used."""

    def __init__(self) -> None:
        self.loaded = False
        self.unused: dict[str, msgspec.Raw] = {}  # name: entry body, as read (decoded when taken)
        self.taken: dict[str, msgspec.Raw] = {}  # entries found in the bundle, as read
        self.found: dict[str, bytes] = {}  # name: entry body, of entries found in their files or put
        self.stale = False  # this process used an entry the bundle lacked
        self.wrote = False  # this process wrote a file: the folder may have grown past its cap
        self.pruned = False
        self.folders: set[str] = set()  # the folders of entries this process made or found there
        self.blobs: set[str] = set()  # the blobs this process read or wrote (kept when pruning)
        self.superseded: list[tuple[str, list[str]]] = []  # entries another one holds (kind, materials)


@frozen
class Cache:
    """One cache directory with its key. :meth:`get` and :meth:`put` never raise for a bad entry.

    Besides one file per entry, the directory has a bundle (``bundle``): every entry the last run
    used, of every kind, in one file authenticated by one HMAC and decoded in one pass, so a warm run
    reads one file instead of one per rule and parsed file. An entry found in the bundle passes the
    same checks as one read from its own file (its kind and its whole material are compared), so an
    entry left from another catalog, version or backend is a miss there too; a damaged bundle is
    ignored. A payload from the bundle is handed out once: a second request reads the entry's file.
    :meth:`save_bundle` (at exit) rewrites the bundle when the run used an entry the bundle lacked.
    """

    directory: Path
    key: bytes
    _bundle: _Bundle = field(default_factory=_Bundle, compare=False, repr=False)

    def get(self, kind: str, material: str) -> Any:
        """The payload stored for ``material``, or None when there is none that passes every check."""
        name = self._name(kind, material)
        bundle = self._opened_bundle()
        raw = bundle.unused.pop(name, None)
        payload = self._payload(raw, kind, material) if raw is not None else None
        if payload is not None and raw is not None:
            bundle.taken[name] = raw
            return payload
        data = self._read(os.path.join(self.directory, kind, f"{name}{ENTRY_SUFFIX}"))
        verified = self._verified(data, _MAGIC) if data is not None else None
        payload = self._payload(verified, kind, material) if verified is not None else None
        if payload is not None and verified is not None:
            bundle.found[name] = bytes(verified)
            bundle.stale = True
            _touch(os.path.join(self.directory, kind, f"{name}{ENTRY_SUFFIX}"))  # recently used
        return payload

    def get_blob(self, kind: str, material: str) -> memoryview | None:
        """The bytes stored by :meth:`put_blob` for ``material``, or None. A blob is never in the bundle:
        it is read from its own file, which is authenticated, checked and kept like an entry's."""
        name = self._name(kind, material)
        path = os.path.join(self.directory, kind, f"{name}{ENTRY_SUFFIX}")
        data = self._read(path, text=False)
        body = self._verified(data, _BLOB_MAGIC) if data is not None else None
        header = _blob_header(kind, material) + b"\n"  # the material compared whole, as an entry's
        if body is None or body[: len(header)] != header:
            return None
        self._bundle.blobs.add(name)
        _touch(path)
        return body[len(header) :]

    def put_blob(self, kind: str, material: str, data: bytes) -> None:
        """Store ``data`` for ``material`` as a file of its own (bytes, not JSON), atomically; best effort."""
        name = self._name(kind, material)
        body = _blob_header(kind, material) + b"\n" + data
        self._bundle.blobs.add(name)
        self._write(
            os.path.join(self.directory, kind, f"{name}{ENTRY_SUFFIX}"),
            _BLOB_MAGIC + self._mac(body) + b"\n" + body,
        )

    def _read(self, path: str, *, text: bool = True) -> bytes | None:
        try:
            descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as handle:
            size = os.fstat(descriptor).st_size  # read(n) would allocate n bytes: ask for what is there
            data = handle.read(size + 1) if size <= MAX_ENTRY_BYTES else b""
        if len(data) > MAX_ENTRY_BYTES or (text and not data.isascii()):
            return None
        return data

    def _verified(self, data: bytes, magic: bytes) -> memoryview | None:
        """The body of ``data`` (``magic``, its HMAC, a newline, the body) when the HMAC is right: a view
        into ``data``, not a copy (the bundle is megabytes)."""
        newline = data.find(b"\n", len(magic)) if data.startswith(magic) else -1
        if newline < 0:
            return None
        body = memoryview(data)[newline + 1 :]
        return body if hmac.compare_digest(data[len(magic) : newline], self._mac(body)) else None

    @staticmethod
    def _payload(body: memoryview | msgspec.Raw, kind: str, material: str) -> Any:
        collecting = len(body) > _LARGE_ENTRY and gc.isenabled()
        if collecting:
            gc.disable()  # a parsed catalog file: thousands of new objects, none garbage; no pass meanwhile
        try:
            entry = _decode(body)
        except (msgspec.DecodeError, ValueError):
            return None
        finally:
            if collecting:
                gc.enable()
        if not isinstance(entry, dict) or entry.get("kind") != kind or entry.get("material") != material:
            return None
        return entry.get("payload")

    def _opened_bundle(self) -> _Bundle:
        bundle = self._bundle
        if not bundle.loaded:
            bundle.loaded = True
            data = self._read(os.path.join(self.directory, BUNDLE_FILE))
            body = self._verified(data, _BUNDLE_MAGIC) if data is not None else None
            # Only the outer map is read here: each entry stays its JSON text until a caller takes it.
            with contextlib.suppress(msgspec.DecodeError, ValueError):
                bundle.unused = _decode_bundle(body) if body is not None else {}
        return bundle

    def save_bundle(self) -> None:
        """Write the bundle of the entries this process used, when the bundle lacked one of them."""
        bundle = self._bundle
        if not bundle.stale:
            return
        bodies = dict(bundle.found)
        for name, raw in bundle.taken.items():  # as read, not what callers may have changed since
            bodies.setdefault(name, bytes(raw))
        for name in self._superseded():
            bodies.pop(name, None)
        body = b"{" + b",".join(_dump(name) + b":" + entry for name, entry in bodies.items()) + b"}"
        self._write(os.path.join(self.directory, BUNDLE_FILE), _BUNDLE_MAGIC + self._mac(body) + b"\n" + body)
        bundle.stale = False

    def supersede(self, kind: str, materials: Iterable[str]) -> None:
        """Another entry this process used holds what these entries hold: they are left out of the
        bundle it writes, and their files are kept when pruning, as the bundle's entries are (for a
        run that misses that entry and reads them one by one). Their names are found only then."""
        self._bundle.superseded.append((kind, list(materials)))

    def _superseded(self) -> set[str]:
        listed = self._bundle.superseded
        return {self._name(kind, material) for kind, materials in listed for material in materials}

    def close(self) -> None:
        """At exit: save the bundle, then, when this process wrote anything, prune the folder (once)."""
        self.save_bundle()
        bundle = self._bundle
        if bundle.wrote and not bundle.pruned:
            bundle.pruned = True
            # The bundle now holds what this run used; the previous bundle's other entries, the last run's.
            keep = set(bundle.found) | set(bundle.taken) | self._superseded()
            prune(self.directory, max_bytes(), keep=keep, recent=bundle.unused, blobs=bundle.blobs)

    def put(self, kind: str, material: str, payload: Any) -> None:
        """Store ``payload`` (JSON-able) for ``material``, atomically; any failure is silent."""
        try:
            body = _dump({"kind": kind, "material": material, "payload": payload})
        except (ValueError, TypeError):  # NaN, infinity or a value JSON cannot hold: not kept
            return
        name = self._name(kind, material)
        self._bundle.found[name] = body
        self._bundle.stale = True
        self._write(
            os.path.join(self.directory, kind, f"{name}{ENTRY_SUFFIX}"),
            _MAGIC + self._mac(body) + b"\n" + body,
        )

    def _write(self, path: str, data: bytes) -> None:
        """Write a file whole under a temporary name and rename it into place; failures are silent.

        A cold run writes a thousand entries: each folder is made once, and the temporary file (private,
        never a link, a name no other writer uses) is opened and written with bare system calls."""
        import secrets  # here: a warm run writes nothing (secrets imports random, about 1.5 ms)

        folder = os.path.dirname(path)
        bundle = self._bundle
        temporary = os.path.join(
            folder, f"{TEMPORARY_PREFIX}{os.getpid()}-{next(_serial)}-{secrets.token_hex(4)}"
        )
        try:
            if folder not in bundle.folders:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                bundle.folders.add(folder)
            descriptor = os.open(temporary, _NEW_FILE, 0o600)
        except OSError:
            bundle.folders.discard(folder)  # removed meanwhile (assay cache clear): made again next time
            return
        try:
            try:
                written = os.write(descriptor, data)
                while written < len(data):
                    written += os.write(descriptor, data[written:])
            finally:
                os.close(descriptor)
            os.replace(temporary, path)
            bundle.wrote = True
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _path(self, kind: str, material: str) -> str:
        return os.path.join(self.directory, kind, f"{self._name(kind, material)}.entry")

    @staticmethod
    def _name(kind: str, material: str) -> str:
        return hashlib.sha256(f"{kind}\0{material}".encode("utf-8", "surrogatepass")).hexdigest()

    def _mac(self, body: bytes | memoryview) -> bytes:
        return hmac.digest(self.key, body, "sha256").hex().encode("ascii")


def _touch(path: str) -> None:
    """Mark an entry as used now (its file time orders pruning); best effort."""
    with contextlib.suppress(OSError, NotImplementedError):
        if os.utime in os.supports_follow_symlinks:
            os.utime(path, follow_symlinks=False)
        else:
            os.utime(path)


_decode = msgspec.json.Decoder().decode
_decode_bundle = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode


def _blob_header(kind: str, material: str) -> bytes:
    return _dump({"kind": kind, "material": material})


def _dump(value: Any) -> bytes:
    """``value`` as compact ASCII JSON (ValueError for NaN or infinity, TypeError for what JSON lacks)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_serial = itertools.count()
_opened: dict[str, Cache | None] = {}
_directory_named: dict[tuple[str | None, ...], str] = {}  # "" when the cache is off
_UNSET = object()
_lock = threading.Lock()


def default_cache() -> Cache | None:
    """The user's cache, or None when it is turned off or unsafe (warned once per directory).

    Called for every rule and file a run reads: which directory the variables it depends on name is
    kept per process for their values, so a call costs their three lookups."""
    environ = os.environ
    values = (environ.get(NO_CACHE_ENV), environ.get(CACHE_DIR_ENV), environ.get("XDG_CACHE_HOME"))
    explicit = _directory_named.get(values)
    if explicit is None:
        off = (values[0] or "").strip().lower() not in _FALSE
        explicit = _directory_named[values] = "" if off else values[1] or f"\0{values[2] or ''}"
    if not explicit:
        return None
    opened = _opened.get(explicit, _UNSET)
    return _opened_for(explicit) if opened is _UNSET else opened  # type: ignore[return-value]


def _opened_for(explicit: str) -> Cache | None:
    with _lock:  # the directory is checked once
        if explicit not in _opened:
            _opened[explicit] = open_cache(cache_directory())
        return _opened[explicit]


def cache_directory() -> Path:
    """``$ASSAY_CACHE_DIR``, else the platform's user cache directory for assay."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    if sys.platform.startswith("linux"):  # platformdirs' rule, without importing it (tests compare them):
        xdg = os.environ.get("XDG_CACHE_HOME", "")  # an absolute $XDG_CACHE_HOME, else ~/.cache
        return Path(xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache"), "assay")
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
    atexit.register(opened.close)
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
    import secrets  # here: only the first run makes a key (tempfile imports shutil and random)
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, directory / KEY_FILE)
    finally:
        os.unlink(temporary)


def max_bytes() -> int:
    """The folder's cap: ``$ASSAY_CACHE_MAX_MB`` MiB (0 keeps nothing), else 64 MiB; a bad value is
    warned about and the default used."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        megabytes = -1.0
    if not 0 <= megabytes < 2**40:  # also NaN
        warnings.warn(
            CacheWarning(
                f"assay: ${MAX_MB_ENV}={raw!r} is not a size in MiB; the cap is {DEFAULT_MAX_MB} MiB"
            ),
            stacklevel=2,
        )
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


def directory_problem(directory: Path) -> str:
    """Why ``directory`` is not a folder assay may treat as its cache ("" when it may, or is missing)."""
    try:
        return _unsafe_directory(directory)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
