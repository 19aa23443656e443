"""Redacting one evidence file by its format: parse it, redact the data, write it back.

* JSON, YAML and CSV are parsed and redacted as data (:mod:`assay.redact.structure`), then written
  back: JSON indented by two spaces (a number too large for a float, such as ``1e999``, is written
  back as ``1e999``), YAML in block style, CSV with its line ending kept. Duplicate JSON keys are
  dropped (only the last is what a rule read), and YAML comments with a secret in them are too.
* Text is redacted line by line (:mod:`assay.redact.text`); locations are line numbers.
* A file that cannot be parsed for redaction (not UTF-8, not the format it claims, nested too
  deeply) is never passed through: its content is withheld, replaced by a note saying so.

A file with nothing to redact is returned byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from assay.errors import LoadError
from assay.lean_dataclasses import frozen
from assay.redact.structure import Redaction, pointer_part, redact_data, redact_field, redact_string
from assay.redact.text import Span, find, scrub
from assay.yamlsource import Limits, dump_yaml, parse_yaml

WHOLE_FILE = "(whole file)"
DUPLICATE_KEYS = "(duplicate keys)"
# As generous as the evidence loader: a file the run read is never withheld for its size or depth.
_YAML_LIMITS = Limits(max_bytes=2**40, max_depth=256, max_nodes=20_000_000)
_NON_FINITE_JSON = {"Infinity": "1e999", "-Infinity": "-1e999", "NaN": "NaN"}
_NON_FINITE_YAML = {"Infinity": ".inf", "-Infinity": "-.inf", "NaN": ".nan"}
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN')


@frozen
class Redacted:
    """A file after redaction: its bytes to pack and what was replaced (empty: the bytes are the original)."""

    data: bytes
    redactions: tuple[Redaction, ...]

    @property
    def withheld(self) -> bool:
        """Whether the content was left out because it could not be parsed for redaction."""
        return any(r.at == WHOLE_FILE for r in self.redactions)


class _Withhold(Exception):
    """The file cannot be parsed for redaction; the message says why, without its content."""


Handler = Callable[[str], tuple[str, list[Redaction]]]


def redact(raw: bytes, fmt: str) -> Redacted:
    """Redact one evidence file of format ``json``, ``yaml``, ``csv`` or ``text`` (any other: text)."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return _withheld(fmt, f"it is not UTF-8 (byte {exc.start + 1})")
    handlers: dict[str, Handler] = {"json": _redact_json, "yaml": _redact_yaml, "csv": _redact_csv}
    try:
        new_text, redactions = handlers.get(fmt, _redact_text)(text)
    except _Withhold as exc:
        return _withheld(fmt, str(exc))
    except RecursionError:
        return _withheld(fmt, "it is nested too deeply to redact")
    if not redactions:
        return Redacted(raw, ())
    try:
        return Redacted(new_text.encode("utf-8"), tuple(redactions))
    except UnicodeEncodeError:  # a lone surrogate (from an escape) in YAML
        return _withheld(fmt, "it holds text that cannot be written back as UTF-8")


def _withheld(fmt: str, why: str) -> Redacted:
    kind = {"json": "JSON", "yaml": "YAML", "csv": "CSV"}.get(fmt, "text")
    note = (
        f"assay withheld this file from the pack: it could not be read as {kind} to redact secrets "
        f"({why}). The manifest records the original's sha256 and size."
    )
    if fmt in ("json", "yaml"):
        data = json.dumps({"withheld": note}, indent=2) + "\n"
    elif fmt == "csv":
        data = _csv_text([["withheld"], [note]], "\n")
    else:
        data = note + "\n"
    return Redacted(
        data.encode("utf-8"), (Redaction(WHOLE_FILE, f"withheld: not readable as {kind} ({why})"),)
    )


# --- text ----------------------------------------------------------------------------------------


def _redact_text(text: str) -> tuple[str, list[Redaction]]:
    spans = find(text)
    # Line numbers are those of the original file: a private key's body shrinks to one line.
    redactions = [Redaction(f"line {text.count(chr(10), 0, s.start) + 1}", s.reason) for s in spans]
    return scrub(text, spans), redactions


# --- JSON ----------------------------------------------------------------------------------------


def _redact_json(text: str) -> tuple[str, list[Redaction]]:
    duplicates = 0

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        mapping = dict(items)
        duplicates += len(items) - len(mapping)
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise _Withhold(f"invalid JSON at line {exc.lineno}, column {exc.colno}") from None
    except ValueError:  # an integer with too many digits
        raise _Withhold("a number cannot be read") from None
    new, redactions = redact_data(data)
    if duplicates:
        redactions.append(
            Redaction(DUPLICATE_KEYS, f"{duplicates} duplicate key(s) dropped: a rule read the last")
        )
    if not redactions:
        return text, []
    return dump_json(new, _NON_FINITE_JSON) + "\n", redactions


def dump_json(data: Any, non_finite: dict[str, str]) -> str:
    """``data`` as JSON indented by two spaces; infinities and NaN are written as ``non_finite`` says
    (by Python's names for them, ``Infinity``, ``-Infinity`` and ``NaN``). Text is written as it
    is, unless it holds a lone surrogate (from a ``\\ud800`` escape): then every non-ASCII character
    is escaped, so the result is UTF-8."""
    dumped = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        dumped = json.dumps(data, indent=2)
    if not any(name in dumped for name in non_finite):
        return dumped
    # Outside strings (always double-quoted, with escapes), these words can only be those numbers.
    return _JSON_TOKEN.sub(lambda m: non_finite.get(m.group(), m.group()), dumped)


# --- YAML ----------------------------------------------------------------------------------------


def _redact_yaml(text: str) -> tuple[str, list[Redaction]]:
    try:
        data = parse_yaml(text, "evidence", limits=_YAML_LIMITS).data
    except LoadError as exc:
        where = exc.diagnostics[0] if exc.diagnostics else None
        raise _Withhold(
            f"invalid YAML at line {where.line}, column {where.column}" if where else "invalid YAML"
        ) from None
    new, redactions = redact_data(data)
    if not redactions:
        # The data holds no secret; its comments may. Writing the data back drops them.
        redactions = [
            Redaction(
                f"line {text.count(chr(10), 0, s.start) + 1}", f"{s.reason} in a comment (comments dropped)"
            )
            for s in _in_comments(text)
        ]
        if not redactions:
            return text, []
    return _dump_yaml(new), redactions


def _in_comments(text: str) -> list[Span]:
    """The secrets in the text of a YAML file outside its data (in its comments)."""
    if not find(text):  # the usual case, and quick
        return []
    masked = list(text)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):  # the pure-Python scanner has offsets
            start, end = token.start_mark.index, token.end_mark.index
            masked[start:end] = " " * (end - start)
    except yaml.YAMLError:  # pragma: no cover - the file parsed a moment ago
        return find(text)
    return find("".join(masked))


def _dump_yaml(data: Any) -> str:
    """Block-style YAML that reads back to ``data``; else JSON (which is YAML too); else withheld."""
    try:
        dumped = dump_yaml(data)
        if _same(data, dumped):
            return dumped
    except RecursionError:
        pass
    dumped = dump_json(data, _NON_FINITE_YAML) + "\n"
    if not _same(data, dumped):  # pragma: no cover - JSON strings and numbers read back as YAML
        raise _Withhold("it cannot be written back as YAML")
    return dumped


def _same(data: Any, dumped: str) -> bool:
    try:
        return repr(parse_yaml(dumped, "evidence", limits=_YAML_LIMITS).data) == repr(data)
    except LoadError:
        return False


# --- CSV -----------------------------------------------------------------------------------------


def _redact_csv(text: str) -> tuple[str, list[Redaction]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise _Withhold(f"invalid CSV: {exc}") from None
    if not rows:
        return text, []
    header = rows[0]
    shown: list[str] = []
    redactions: list[Redaction] = []
    for index, name in enumerate(header):
        shown.append(redact_string(name, f"/header/{index}", redactions))
    redactions = [Redaction(r.at, f"{r.reason} in a column name") for r in redactions]
    for number, row in enumerate(rows[1:]):
        found: list[Redaction] = []
        for index, cell in enumerate(row):
            name, display = (header[index], shown[index]) if index < len(header) else ("", str(index))
            row[index] = redact_field(name, display, cell, f"/{number}/{pointer_part(display)}", found)
        redactions += [Redaction(r.at, _column_reason(r.reason)) for r in found]
    if not redactions:
        return text, []
    rows[0] = shown
    return _csv_text(rows, "\r\n" if "\r\n" in text else "\n"), redactions


def _column_reason(reason: str) -> str:
    """Under a column named like a secret, the reason names the column."""
    return "column" + reason.removeprefix("key") if reason.startswith("key '") else reason


def _csv_text(rows: list[list[str]], ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    return buffer.getvalue()


__all__ = ["WHOLE_FILE", "Redacted", "dump_json", "pointer_part", "redact"]
