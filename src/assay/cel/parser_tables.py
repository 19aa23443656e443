"""The CEL parser's LALR tables kept in the rule cache, so a cold run does not build them again.

Building cel-python's grammar into a parser takes lark about a quarter of a second, on every run that
parses anything: each fresh CI container, each edited rule. lark can write a built parser out and
read it back (the way its own standalone tool ships parsers), but only through pickle, which must
never be loaded from a cache. Here the same tables are plain tagged JSON, rebuilt by lark from that
data (no code is ever loaded), keyed by their full material (the grammar's text, lark's and
cel-python's versions, this format). They are shipped with assay for the lark and cel-python it was
released with (``parser_tables.json``), and kept in the authenticated cache of :mod:`assay.cache`
for any other.

The options that hold code (the tree class, the lexer callback) are not stored: they are passed
again on every load, as lark allows. A stored table that does not load for any reason is a miss:
the parser is built from the grammar, as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.cache import default_cache

if TYPE_CHECKING:
    import lark

KIND = "lark"
SHIPPED = Path(__file__).with_name("parser_tables.json")  # regenerate: python -m assay.cel.parser_tables
FORMAT = 1
# Options given again on every load (code, or values JSON does not hold); lark lets a load set them.
_PASSED_AT_LOAD = ("tree_class", "lexer_callbacks", "g_regex_flags", "propagate_positions")
_MAX_DEPTH = 64
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, re.error)


class _Unstorable(Exception):
    """The tables hold a value tagged JSON does not carry."""


def _encode(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON in which every container is tagged: ``["l", items]``, ``["t", items]`` (a
    tuple) or ``["d", [[key, value], ...]]`` (a dict, whose keys may be ints)."""
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if isinstance(value, int):  # a flag (the lexer's regex flags, set again on load): its number
        return int(value)
    if depth > _MAX_DEPTH:
        raise _Unstorable("nested too deeply")
    if kind is list or kind is tuple:
        return ["l" if kind is list else "t", [_encode(item, depth + 1) for item in value]]
    if kind is dict:
        return ["d", [[_encode(key, depth + 1), _encode(item, depth + 1)] for key, item in value.items()]]
    raise _Unstorable(f"a {kind.__name__}")


def _decode(value: Any, depth: int = 0) -> Any:
    """The value :func:`_encode` was given (raising ValueError on anything it does not write)."""
    if value is None or type(value) in (str, int, bool):
        return value
    if depth > _MAX_DEPTH or type(value) is not list or len(value) != 2 or type(value[1]) is not list:  # noqa: PLR2004
        raise ValueError("not a stored parser table")
    tag, items = value
    if tag == "l":
        return [_decode(item, depth + 1) for item in items]
    if tag == "t":
        return tuple(_decode(item, depth + 1) for item in items)
    if tag == "d":
        return {_decode(key, depth + 1): _decode(item, depth + 1) for key, item in items}
    raise ValueError("not a stored parser table")


def dump_tables(parser: lark.Lark) -> Any:
    """The tables of a built LALR ``parser`` as JSON data (None when they hold something JSON cannot)."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {name: value for name, value in data["options"].items() if name not in _PASSED_AT_LOAD}
    try:
        return _encode({"data": data, "memo": memo})
    except _Unstorable:
        return None


def load_tables(stored: Any, **options: Any) -> lark.Lark:
    """The parser of tables written by :func:`dump_tables`, with the load-time ``options``.

    Raises ValueError (or lark's, or the regular expression module's errors) when ``stored`` is not
    such tables.
    """
    import lark

    tables = _decode(stored)
    if type(tables) is not dict or set(tables) != {"data", "memo"} or type(tables["memo"]) is not dict:
        raise ValueError("not a stored parser table")
    for entry in tables["memo"].values():
        # A built parser names each rule with a token (so its trees' ``data`` is one): name them alike.
        origin = entry.get("origin") if type(entry) is dict and entry.get("__type__") == "Rule" else None
        if type(origin) is dict and type(origin.get("name")) is str:
            origin["name"] = lark.Token("RULE", origin["name"])
    # lark's own loader for plain tables (what its standalone parsers call).
    parser: lark.Lark = lark.Lark._load_from_dict(  # type: ignore[no-untyped-call]
        tables["data"], tables["memo"], **options
    )
    for terminal in parser.terminals:  # lark compiles them on first use; a bad one must fail here
        re.compile(terminal.pattern.to_regexp(), parser.options.g_regex_flags)
    return parser


def tables_material(grammar: str) -> str:
    """What tables are made from: the grammar, and the versions of what reads and builds it."""
    import celpy
    import lark

    versions = [lark.__version__, getattr(celpy, "__version__", "?"), FORMAT]
    return json.dumps([versions, hashlib.sha256(grammar.encode("utf-8")).hexdigest()])


def shipped_tables(material: str) -> Any:
    """The tables shipped with assay, when they were made from ``material`` (else None)."""
    try:
        shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if type(shipped) is not dict or shipped.get("material") != material:
        return None  # another lark, cel-python or grammar than the one they were made with
    return shipped.get("tables")


def write_shipped(parser: lark.Lark, grammar: str) -> None:
    """Write the tables of ``parser`` (built from ``grammar``) as the ones shipped with assay."""
    from assay.fileio import atomic_write

    shipped = {"material": tables_material(grammar), "tables": dump_tables(parser)}
    atomic_write(SHIPPED, json.dumps(shipped, separators=(",", ":")) + "\n")


def cached_parser(grammar: str, build: Callable[[], lark.Lark], load_options: dict[str, Any]) -> lark.Lark:
    """The parser ``build()`` makes from ``grammar``, read from stored tables where there are some.

    The tables shipped with assay come first (a fresh install has no cache), then those of the user's
    cache (another lark, or a grammar changed by an edit here), read only when the shipped ones do
    not serve; ``load_options`` are the options of ``build`` that :data:`_PASSED_AT_LOAD` names.
    Tables that do not load are a miss.
    """
    material = tables_material(grammar)
    parser = _loaded(shipped_tables(material), load_options)
    if parser is not None:
        return parser
    cache = default_cache()
    if cache is None:
        return build()
    parser = _loaded(cache.get(KIND, material), load_options)
    if parser is None:
        parser = build()
        tables = dump_tables(parser)
        if tables is not None:
            cache.put(KIND, material, tables)
    return parser


def _loaded(stored: Any, load_options: dict[str, Any]) -> lark.Lark | None:
    """The parser of ``stored`` tables; None when there are none or lark cannot read them."""
    import lark

    if stored is None:
        return None
    try:
        return load_tables(stored, **load_options)
    except (*_UNREADABLE, lark.exceptions.LarkError):
        return None


if __name__ == "__main__":
    from assay.cel.syntax import build_parser, grammar

    write_shipped(build_parser(grammar()), grammar())
