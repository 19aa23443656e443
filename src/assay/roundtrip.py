"""Writing back the YAML files people own, with their comments, order, styles and line endings kept.

Reading stays with :mod:`assay.yamlsource` (safe, strict, positions): every file is checked by it
first, so a duplicate key, a tab, a bad byte or an unknown tag is refused with its line and column
before anything is written. ruamel.yaml then builds an editable tree of the same text, and is only
used for writing.

ruamel.yaml's own output is not byte-faithful (it refolds plain scalars, rewrites ``null``, flow
maps inside flow sequences), so a file is never replaced by a plain dump. :func:`render` dumps the
tree twice, as it was read and as it was edited, and applies only the lines that differ between
the two dumps to the original text (a three-way merge). An unchanged tree gives the original bytes;
an edit touches only the lines around it. The result is parsed again by the safe reader and must
hold exactly the edited data, or nothing is written.

Files with anchors or aliases are refused: ruamel.yaml would keep them, but an edit to an anchored
node changes every place that refers to it, which a reviewer cannot see in the diff.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from assay.errors import AssayError, Diagnostic, LoadError, Severity
from assay.fileio import atomic_write
from assay.lean_dataclasses import dataclass, frozen
from assay.yamlsource import DEFAULT_LIMITS, parse_yaml, read_capped

BOM = b"\xef\xbb\xbf"
_WRITE_BITS = 0o222
WIDTH = 4096  # ruamel.yaml refolds folded scalars wrongly at short widths: long lines stay long
_Parser: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class WriteRefused(AssayError):
    """A file that cannot be written back safely; nothing was written."""


@frozen
class _Stamp:
    """What identifies a file's content on disk, to notice a change between reading and writing."""

    device: int
    inode: int
    size: int
    modified_ns: int


@dataclass
class RoundTripDocument:
    """One YAML file read for editing: its original bytes and ruamel.yaml's tree of them."""

    path: Path
    shown: str
    original: bytes
    text: str  # without the BOM, with "\n" line endings
    bom: bool
    crlf: bool
    data: Any
    stamp: _Stamp
    base: str  # ruamel.yaml's dump of the tree as read, before any edit


def round_trip_yaml() -> YAML:
    """The ruamel.yaml round-trip reader and writer, set up as assay writes."""
    return _yaml()


def _yaml() -> YAML:
    writer = YAML(typ="rt")
    writer.preserve_quotes = True
    writer.width = WIDTH
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.representer.add_representer(type(None), _represent_null)
    return writer


def _represent_null(representer: Any, _value: None) -> Any:
    """A null written as ``null``, not as nothing: a value a reader can see was left empty on purpose."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _stamp(path: Path) -> _Stamp:
    status = os.stat(path)
    return _Stamp(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _refuse_anchors(text: str, shown: str) -> None:
    """Anchors and aliases are refused (merge keys are already refused by the safe reader)."""
    for event in _events(text):
        anchor = getattr(event, "anchor", None)
        if anchor is not None or isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            what = f"the alias *{anchor}" if isinstance(event, yaml.AliasEvent) else f"the anchor &{anchor}"
            raise LoadError(
                [
                    Diagnostic(
                        shown,
                        line,
                        column,
                        Severity.ERROR,
                        f"{what}: files with anchors or aliases are not rewritten, because an edit would "
                        "silently change every place that refers to it; edit this file by hand",
                    )
                ]
            )


def _events(text: str) -> Iterator[yaml.Event]:
    parser = _Parser(text)
    try:
        while parser.check_event():
            yield parser.get_event()  # type: ignore[no-untyped-call]
    finally:
        parser.dispose()


def read_document(path: Path, *, shown: str | None = None) -> RoundTripDocument:
    """Read ``path`` for editing; a :class:`LoadError` with file:line:col when it cannot be."""
    name = shown if shown is not None else str(path)
    try:
        stamp = _stamp(path)
    except OSError as exc:
        raise LoadError(
            [Diagnostic(name, 1, 1, Severity.ERROR, f"cannot read file: {exc.strerror}")]
        ) from None
    raw = read_capped(path, DEFAULT_LIMITS.max_bytes, name)
    parse_yaml(raw, name)  # the safe reader's checks: UTF-8, tabs, duplicate keys, tags, limits
    bom = raw.startswith(BOM)
    text = raw.decode("utf-8").removeprefix("\ufeff")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    _refuse_anchors(text, name)
    try:
        data = _yaml().load(text)
    except (YAMLError, ValueError, TypeError) as exc:  # the safe reader accepted it; ruamel.yaml cannot
        raise _unreadable(name, exc) from None
    return RoundTripDocument(path, name, raw, text, bom, crlf, data, stamp, dump(data))


def _unreadable(shown: str, exc: Exception) -> LoadError:
    """What ruamel.yaml could not read in a file the safe reader accepted (an impossible date, say)."""
    mark = getattr(exc, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    problem = getattr(exc, "problem", None) or first_line
    message = f"cannot be rewritten: ruamel.yaml cannot read it ({problem}); nothing was written"
    return LoadError([Diagnostic(shown, line, column, Severity.ERROR, message)])


def dump(data: Any) -> str:
    """ruamel.yaml's text of a tree."""
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def render(document: RoundTripDocument, *, reindent: bool = False) -> bytes:
    """The file's new bytes: the original with only the lines of the edited nodes changed.

    With ``reindent``, lines that differ from ruamel.yaml's dump only in their indentation take the
    dump's (mappings by 2, list items by 4 with the dash at 2), as ``assay fmt`` wants.
    """
    new = dump(document.data)
    source = reindented(document.text, document.base) if reindent else document.text
    if new == document.base and source == document.text:
        return document.original
    merged = merge(source, document.base, new)
    if plain(_yaml().load(new)) != plain(document.data):
        raise WriteRefused(
            f"{document.shown}: ruamel.yaml cannot write this data faithfully; nothing was written"
        )
    expected = parse_yaml(new, document.shown).data
    try:
        actual = parse_yaml(merged, document.shown).data
    except LoadError:
        actual = None
    if actual != expected:
        raise WriteRefused(f"{document.shown}: cannot be rewritten keeping its layout; nothing was written")
    text = merged.replace("\n", "\r\n") if document.crlf else merged
    return (BOM if document.bom else b"") + text.encode("utf-8")


def plain(value: Any) -> Any:
    """ruamel.yaml's tree as plain values, to compare two trees."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if type(value).__name__ == "ScalarBoolean":  # ruamel.yaml's bool that keeps its spelling
        return bool(value)
    for kind in (int, float):
        if isinstance(value, kind):
            return kind(value)
    return repr(value) if isinstance(value, date) else str(value)


def reindented(original: str, base: str) -> str:
    """``original`` with the indentation of ``base`` on every line whose text is the same in both."""
    old_lines, base_lines = original.splitlines(keepends=True), base.splitlines(keepends=True)
    matcher = SequenceMatcher(
        None, [line.strip() for line in old_lines], [line.strip() for line in base_lines], autojunk=False
    )
    for tag, o1, o2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            old_lines[o1:o2] = base_lines[b1:b2]
    return "".join(_comments_aligned(old_lines))


def _comments_aligned(lines: list[str]) -> list[str]:
    """Whole-line comments indented like the line they stand above."""
    indent = ""
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index].lstrip(" ")
        if text.startswith("#"):
            lines[index] = indent + text
        elif text.strip():
            indent = lines[index][: len(lines[index]) - len(text)]
    return lines


def merge(original: str, base: str, new: str) -> str:
    """Apply the line changes from ``base`` to ``new`` onto ``original``, of which ``base`` is a dump."""
    old_lines, base_lines, new_lines = (t.splitlines(keepends=True) for t in (original, base, new))
    to_original = _clean_positions(old_lines, base_lines)
    groups: list[list[tuple[int, int, int, int]]] = []
    spans: list[tuple[int, int]] = []
    changes = SequenceMatcher(None, base_lines, new_lines, autojunk=False).get_opcodes()
    for tag, b1, b2, n1, n2 in changes:
        if tag == "equal":
            continue
        start = max(p for p in to_original if p <= b1)
        end = min(p for p in to_original if p >= b2)
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            groups[-1].append((b1, b2, n1, n2))
        else:
            spans.append((start, end))
            groups.append([(b1, b2, n1, n2)])
    out: list[str] = []
    cursor = 0
    for (start, end), group in zip(spans, groups, strict=True):
        out += old_lines[cursor : to_original[start]]
        position = start
        for b1, b2, n1, n2 in group:
            out += base_lines[position:b1] + new_lines[n1:n2]
            position = b2
        out += base_lines[position:end]
        cursor = to_original[end]
    out += old_lines[cursor:]
    return "".join(out)


def _clean_positions(old_lines: list[str], base_lines: list[str]) -> dict[int, int]:
    """Positions between lines of ``base`` that have a matching position in the original."""
    positions = {0: 0, len(base_lines): len(old_lines)}
    matcher = SequenceMatcher(None, old_lines, base_lines, autojunk=False)
    for tag, o1, _o2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            positions.update({b: o1 + b - b1 for b in range(b1, b2 + 1)})
    return positions


def write_document(document: RoundTripDocument, data: bytes) -> bool:
    """Write ``data`` over the file atomically; False when it was already those bytes.

    Refused (:class:`WriteRefused`, the file untouched) when the file changed on disk since it was
    read, or cannot be written.
    """
    if data == document.original:
        return False
    path = document.path
    try:
        changed = _stamp(path) != document.stamp or path.read_bytes() != document.original
    except OSError:
        changed = True
    if changed:
        raise WriteRefused(f"{document.shown}: changed on disk since it was read; not overwritten")
    if not os.access(path, os.W_OK) or not os.stat(path).st_mode & _WRITE_BITS:  # root may write anyway
        raise WriteRefused(f"{document.shown}: the file is read-only; nothing was written")
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise WriteRefused(f"{document.shown}: cannot write: {exc.strerror or exc}") from None
    return True
