"""The CEL parser loaded from stored tables reads every expression exactly as the one lark builds."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lark
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cache import open_cache
from assay.cel import parser_tables, syntax
from assay.errors import CelSyntaxError
from assay.loading.catalog import builtin_catalog
from tests.cel.conformance import suite

BAD_PATTERN = r'("pattern", \["d", \[\["value", )"[^"]*"'


@functools.cache
def parsers() -> tuple[lark.Lark, lark.Lark]:
    built = syntax.build_parser(syntax.grammar())
    stored = json.loads(json.dumps(parser_tables.dump_tables(built)))  # as the cache holds it
    return built, parser_tables.load_tables(stored, **load_options(built))


def load_options(built: lark.Lark) -> dict[str, Any]:
    return {
        "g_regex_flags": built.options.g_regex_flags,
        "lexer_callbacks": built.options.lexer_callbacks,
        "propagate_positions": True,
        "tree_class": built.options.tree_class,
    }


def shape(node: Any) -> Any:
    """A tree as plain data, types and positions included, so that equal shapes mean the same tree."""
    if isinstance(node, lark.Token):
        return ("token", node.type, str(node), node.line, node.column, node.end_line, node.end_column)
    meta = node.meta
    where = (meta.line, meta.column, meta.end_line, meta.end_column) if not meta.empty else None
    return (
        type(node).__name__,
        type(node.data).__name__,
        str(node.data),
        where,
        [shape(child) for child in node.children],
    )


def outcome(parser: lark.Lark, expression: str) -> Any:
    try:
        return shape(parser.parse(expression))
    except lark.exceptions.UnexpectedInput as exc:
        return ("error", type(exc).__name__, exc.line, exc.column)
    except lark.exceptions.LarkError as exc:
        return ("error", type(exc).__name__, str(exc))


def expressions() -> list[str]:
    """The conformance suite's expressions and every CEL expression of the built-in catalog."""
    found = [case.expression for file in suite.suite_files() for case in suite.cases(file)]
    for control in builtin_catalog().controls:
        for rule in control.rules:
            found += [e for e in (rule.assert_, rule.for_each, rule.resource_id, rule.message) if e]
    return found


def test_stored_tables_parse_every_known_expression_alike() -> None:
    built, loaded = parsers()
    known = expressions()
    assert len(known) > (2000 if suite.available() else 300)  # the suite and the catalog's rules were read
    differ = [e for e in known if outcome(built, e) != outcome(loaded, e)]
    assert differ == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.?[](){}:,'\"`!=<>&|+-*/% \n")), max_size=40))
def test_stored_tables_accept_and_refuse_alike(expression: str) -> None:
    built, loaded = parsers()
    assert outcome(built, expression) == outcome(loaded, expression)


@pytest.fixture
def fresh_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache in ``tmp_path``, no shipped tables, and no parser made yet in this process."""
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ASSAY_NO_CACHE", raising=False)
    monkeypatch.setattr(parser_tables, "SHIPPED", tmp_path / "shipped.json")
    syntax._parser.cache_clear()
    yield tmp_path
    syntax._parser.cache_clear()


def test_the_shipped_tables_parse_every_known_expression_alike() -> None:
    """(lark numbers its states in a different order on each build: the tables are compared by what they
    parse, not by their text.)"""
    material = parser_tables.tables_material(syntax.grammar())
    recorded = json.loads(parser_tables.SHIPPED.read_text(encoding="utf-8"))["material"]
    if recorded != material:  # a newer lark or cel-python: the tables are built, then cached
        pytest.skip(f"shipped tables are for {recorded}: python -m assay.cel.parser_tables rewrites them")
    built = parsers()[0]
    shipped = parser_tables.load_tables(parser_tables.shipped_tables(material), **load_options(built))
    differ = [e for e in expressions() if outcome(built, e) != outcome(shipped, e)]
    assert differ == []


def test_a_fresh_install_loads_the_shipped_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "shipped.json"
    monkeypatch.setattr(parser_tables, "SHIPPED", shipped)
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    parser_tables.write_shipped(parsers()[0], syntax.grammar())
    syntax._parser.cache_clear()
    try:
        assert syntax._parser().source_path == "<deserialized>"  # read from the tables, not built
    finally:
        syntax._parser.cache_clear()


def test_a_cold_parse_stores_the_tables_and_the_next_loads_them(fresh_parser: Path) -> None:
    first = syntax._parser()
    assert first.source_path != "<deserialized>"
    assert list((fresh_parser / "cache" / parser_tables.KIND).glob("*.entry"))  # the tables were written
    syntax._parser.cache_clear()
    second = syntax._parser()
    assert second.source_path == "<deserialized>"  # read from the tables, not built
    assert outcome(second, "a.b[?c] == [1, ?d]") == outcome(first, "a.b[?c] == [1, ?d]")


DAMAGES = [
    lambda tables: ["d", []],  # neither data nor memo
    lambda tables: ["x", tables[1]],  # an unknown tag
    lambda tables: tables[:1],  # cut short
    lambda tables: json.loads(json.dumps(tables).replace('"Rule"', '"Tree"', 1)),  # a foreign type
    lambda tables: json.loads(json.dumps(tables).replace('"TerminalDef"', '"Tree"', 1)),  # a foreign type
    lambda tables: json.loads(re.sub(BAD_PATTERN, r'\1"("', json.dumps(tables), count=1)),  # bad regex
]


def built_again() -> None:
    syntax._parser.cache_clear()
    parser = syntax._parser()
    assert parser.source_path != "<deserialized>"  # built from the grammar
    assert outcome(parser, "x.all(y, y > 1)") == outcome(parsers()[0], "x.all(y, y > 1)")
    with pytest.raises(CelSyntaxError):
        syntax.parse.__wrapped__("a +")


@pytest.mark.parametrize("damage", DAMAGES)
def test_cached_tables_lark_cannot_read_are_built_again(damage: Any, fresh_parser: Path) -> None:
    """An entry is authenticated, so these come only from a bug or another lark: a miss, never a crash."""
    syntax._parser()
    cache = open_cache(fresh_parser / "cache")
    assert cache is not None
    material = parser_tables.tables_material(syntax.grammar())
    tables = cache.get(parser_tables.KIND, material)
    assert tables is not None
    damaged = damage(tables)
    assert damaged != tables
    cache.put(parser_tables.KIND, material, damaged)
    built_again()


@pytest.mark.parametrize("damage", DAMAGES)
def test_shipped_tables_lark_cannot_read_are_built_again(damage: Any, fresh_parser: Path) -> None:
    monkeypatch_env = {"ASSAY_NO_CACHE": "1"}
    tables = json.loads(json.dumps(parser_tables.dump_tables(parsers()[0])))
    material = parser_tables.tables_material(syntax.grammar())
    (fresh_parser / "shipped.json").write_text(json.dumps({"material": material, "tables": damage(tables)}))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in monkeypatch_env.items():
            patch.setenv(name, value)
        built_again()
