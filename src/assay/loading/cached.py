"""Catalog files read through the on-disk cache: a file already parsed is not parsed again.

Reading YAML with the position of every key and value (:func:`assay.yamlsource.parse_yaml`) is most
of the time a run spends loading the built-in catalog. Each parsed file is kept in the cache of
:mod:`assay.cache` (authenticated, private; never pickle: JSON of its values and positions), keyed by
the SHA-256 of its bytes, the limits it was read under and the reader's own version, so a changed file
or a changed reader is parsed afresh; its position rows are an entry of their own (``yaml-rows``), kept
out of the bundle until a run asks where something is in that file. Only files that parse are kept:
a file with an error is parsed each time, so its diagnostics come from the reader itself. Data that
JSON cannot hold exactly (a ``.nan`` or ``.inf``) is not kept either.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from assay import yamlsource
from assay._version import __version__
from assay.cache import default_cache
from assay.yamlsource import (
    DEFAULT_LIMITS,
    Limits,
    PathKey,
    Position,
    ScalarSource,
    YamlDocument,
    decode_utf8,
    parse_yaml,
    read_capped,
)

KIND = "yaml"
ROWS_KIND = "yaml-rows"  # a document's position rows, an entry of their own under the same material
FORMAT = 3  # of an entry's payload: 3 keeps the position rows apart, read and decoded when first asked


@functools.cache
def reader_version() -> str:
    """assay's version, PyYAML's (whose parser gives the events) and a digest of the reader's source.

    PyYAML is known by a digest of its ``__init__`` (which states its version), found without
    importing it: a run whose files are all in the cache never imports PyYAML."""
    source = Path(yamlsource.__file__).read_bytes()
    spec = importlib.util.find_spec("yaml")
    pyyaml = Path(spec.origin).read_bytes() if spec is not None and spec.origin else b""
    digests = (hashlib.sha256(pyyaml).hexdigest()[:16], hashlib.sha256(source).hexdigest())
    return f"{__version__} PyYAML {digests[0]} {digests[1]}"


def load_cached_yaml(file: Path, shown: str, limits: Limits) -> YamlDocument:
    """:func:`assay.yamlsource.load_yaml_file`, through the cache when there is one."""
    return parse_cached_yaml(read_capped(file, limits.max_bytes, shown), shown, limits)


# YAML evidence larger than this is parsed each run: evidence is collected afresh, and a large export
# kept here would push the catalog's entries out of the bounded cache.
MAX_CACHED_BYTES = 4 * 1024 * 1024


def parse_cached_yaml(raw: bytes, shown: str, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """:func:`assay.yamlsource.parse_yaml` of ``raw``, through the cache when there is one (and the
    text is at most :data:`MAX_CACHED_BYTES`): the same data, the same positions, the same errors."""
    cache = default_cache() if len(raw) <= MAX_CACHED_BYTES else None
    if cache is None:
        return parse_yaml(raw, shown, limits=limits)
    limit_values = [limits.max_bytes, limits.max_depth, limits.max_nodes]
    digest = hashlib.sha256(raw).hexdigest()
    material = json.dumps([reader_version(), FORMAT, limit_values, digest])
    document = _decode(cache.get(KIND, material), raw, shown, limits, material)
    if document is None:
        document = parse_yaml(raw, shown, limits=limits)
        encoded = _encode(document)
        if encoded is not None:
            cache.put(KIND, material, {"data": encoded["data"]})
            cache.put(ROWS_KIND, material, encoded["rows"])
            # Most runs ask no position of most files: the rows stay out of the bundle until a run does.
            cache.supersede(ROWS_KIND, [material])
    vars(document)[_DIGEST] = f"{digest} {limit_values}"
    return document


_DIGEST = "_assay_content_digest"


def content_digest(document: YamlDocument) -> str | None:
    """The SHA-256 of the bytes a document was parsed from (and the limits it was read under), when it
    was read through the cache; None otherwise. Records validated from it are kept under it."""
    found = vars(document).get(_DIGEST)
    return found if isinstance(found, str) else None


def _encode(document: YamlDocument) -> dict[str, Any] | None:
    """The document as JSON: its data, and its positions as flat rows over a table of paths, each
    path its parent's row and its last key (``None`` when the tables are not shaped so)."""
    index: dict[PathKey, int] = {}
    values: list[Any] = []
    for path, position in document.values.items():
        parent = index.get(path[:-1], -1) if path else -1
        if path and parent < 0:
            return None
        index[path] = len(index)
        values += [parent, path[-1] if path else None, position.line, position.column]
    keys: list[Any] = []
    for path, position in document.keys.items():
        keys += [index[path], position.line, position.column] if path in index else [None]
    scalars: list[Any] = []
    for path, source in document.scalars.items():
        scalars += [index.get(path), source.position.line, source.position.column, source.style]
    if None in keys or None in scalars[::4]:
        return None
    rows = json.dumps({"values": values, "keys": keys, "scalars": scalars}, separators=(",", ":"))
    return {"data": document.data, "rows": rows}


class CachedDocument(YamlDocument):
    """A document read back from the cache. Most runs never ask where a value is, and ask about few
    files: the position rows are read from their own entry (``rows_material``'s) when first asked for,
    stay one JSON text until then, and the tables are built from them only when a caller reads a whole
    table. Should the rows be missing or not decode, the file is parsed again."""

    def __init__(
        self, path: str, data: Any, raw: bytes, rows: str | None, limits: Limits, *, rows_material: str = ""
    ) -> None:
        # Not the dataclass's __init__: it would set the tables this class builds on demand.
        self.path = path
        self.data = data
        self._raw = raw
        self._rows_text = rows
        self._rows_material = rows_material
        self._limits = limits
        self._known: dict[tuple[PathKey, bool], tuple[int, int]] = {}

    def rows_not_kept(self) -> None:
        """The rows were read to find positions kept elsewhere (:func:`know_positions`): the next run
        will not need them, so the bundle this run writes leaves them out."""
        cache = default_cache()
        if cache is not None and self._rows_text is None:
            cache.supersede(ROWS_KIND, [self._rows_material])

    def know_positions(self, known: dict[tuple[PathKey, bool], tuple[int, int]]) -> None:
        """Positions found when this file was first read (:mod:`assay.loading.record_cache` keeps each
        entry's ``id``'s): :meth:`position` answers them without the rows."""
        self._known.update(known)

    @functools.cached_property
    def lines(self) -> list[str]:  # type: ignore[override]
        # The text itself: locate_in_scalar reads its lines (a cache hit means the bytes decode).
        return decode_utf8(self._raw, self.path).splitlines()

    @functools.cached_property
    def _rows(self) -> dict[str, list[Any]]:
        rows: Any = None
        text = self._rows_text
        if text is None and (cache := default_cache()) is not None:
            text = cache.get(ROWS_KIND, self._rows_material)
        with contextlib.suppress(ValueError, TypeError):
            rows = json.loads(text) if isinstance(text, str) else None
        names = ("values", "keys", "scalars")
        if isinstance(rows, dict) and all(isinstance(rows.get(name), list) for name in names):
            return rows
        parsed = _encode(parse_yaml(self._raw, self.path, limits=self._limits))  # not expected: stored by us
        return json.loads(parsed["rows"]) if parsed is not None else {name: [] for name in names}

    @functools.cached_property
    def _children(self) -> dict[tuple[int, Any], int]:
        """Each value's row by its parent's row and its key: a path is found by walking it, without
        the table of every path (a run asks where a few dozen controls are, in files of thousands)."""
        rows = self._rows["values"]
        return dict(zip(zip(rows[0::4], rows[1::4], strict=True), range(len(rows) // 4), strict=True))

    def _chain(self, path: PathKey) -> list[int]:
        """The rows of ``path``'s ancestors that have one, the root first, then ``path``'s own."""
        row = self._children.get((-1, None))
        chain: list[int] = []
        for key in path:
            if row is None:
                break
            chain.append(row)
            row = self._children.get((row, key))
        return chain if row is None else [*chain, row]

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        known = self._known.get((path, key))
        if known is not None:
            return Position(*known)
        chain = self._chain(path)
        if not chain:
            return Position(1, 1)
        row = chain[-1]
        if key and len(chain) > 1:  # as YamlDocument.position: the nearest key's, else its value's
            found = self._key_rows.get(row)
            if found is not None:
                return found
        values = self._rows["values"]
        return Position(values[row * 4 + 2], values[row * 4 + 3])

    @functools.cached_property
    def _key_rows(self) -> dict[int, Position]:
        rows = self._rows["keys"]
        return {rows[at]: Position(rows[at + 1], rows[at + 2]) for at in range(0, len(rows), 3)}

    @functools.cached_property
    def _paths(self) -> list[PathKey]:
        paths: list[PathKey] = []
        rows = self._rows["values"]
        for at in range(0, len(rows), 4):
            parent, key = rows[at], rows[at + 1]
            paths.append((*paths[parent], key) if parent >= 0 else ())
        return paths

    @functools.cached_property
    def values(self) -> dict[PathKey, Position]:  # type: ignore[override]
        rows, paths = self._rows["values"], self._paths
        return {paths[at // 4]: Position(rows[at + 2], rows[at + 3]) for at in range(0, len(rows), 4)}

    @functools.cached_property
    def keys(self) -> dict[PathKey, Position]:  # type: ignore[override]
        rows, paths = self._rows["keys"], self._paths
        return {paths[rows[at]]: Position(rows[at + 1], rows[at + 2]) for at in range(0, len(rows), 3)}

    @functools.cached_property
    def scalars(self) -> dict[PathKey, ScalarSource]:  # type: ignore[override]
        rows, paths = self._rows["scalars"], self._paths
        return {
            paths[rows[at]]: ScalarSource(Position(rows[at + 1], rows[at + 2]), rows[at + 3])
            for at in range(0, len(rows), 4)
        }


def _decode(payload: Any, raw: bytes, shown: str, limits: Limits, material: str) -> YamlDocument | None:
    if not isinstance(payload, dict) or "data" not in payload:
        return None
    return CachedDocument(shown, payload["data"], raw, None, limits, rows_material=material)
