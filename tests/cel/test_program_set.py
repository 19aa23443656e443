"""A catalog's compiled rules kept as one blob of the rule cache (assay.cel.program_set)."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.cache import Cache, default_cache
from assay.cel import program_set, rulecache
from assay.cel.native import NativeBackend
from assay.cel.program_set import SET, compiled_together, set_material
from tests.cel.test_rulecache import CONSTANTS, EXPRESSIONS, identical, outcome

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(cache_dir: Path) -> Iterator[Path]:
    rulecache.analyse.cache_clear()
    yield cache_dir
    rulecache.analyse.cache_clear()
    rulecache.SETS.preloaded.clear()


class Reads:
    """Every read of the cache by kind (a spy around the real Cache: nothing is replaced)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kinds: Counter[str] = Counter()
        get, get_blob = Cache.get, Cache.get_blob

        def spy_get(cache: Cache, kind: str, material: str) -> Any:
            self.kinds[kind] += 1
            return get(cache, kind, material)

        def spy_blob(cache: Cache, kind: str, material: str) -> Any:
            self.kinds[f"blob {kind}"] += 1
            return get_blob(cache, kind, material)

        monkeypatch.setattr(Cache, "get", spy_get)
        monkeypatch.setattr(Cache, "get_blob", spy_blob)


def together(expressions: list[str]) -> list[tuple[str, str]]:
    """The outcomes of ``expressions`` compiled by a new engine backend within one set."""
    backend = NativeBackend(persistent=True)
    with compiled_together(backend, expressions):
        return [outcome(backend, expression) for expression in expressions]


def blob_path(expressions: list[str]) -> Path:
    backend = NativeBackend(persistent=True)
    store = default_cache()
    assert store is not None
    materials = [backend.cache_material(expression) for expression in dict.fromkeys(expressions)]
    return Path(store._path(SET, set_material(materials)))


def test_a_warm_backend_reads_every_rule_from_one_blob(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = [outcome(NativeBackend(persistent=True), expression) for expression in EXPRESSIONS]
    assert together(EXPRESSIONS) == cold  # from the expressions' own entries: the set is made
    assert blob_path(EXPRESSIONS).is_file()
    reads = Reads(monkeypatch)
    assert together(EXPRESSIONS) == cold
    assert reads.kinds == Counter({f"blob {SET}": 1})  # not one entry of its own
    assert rulecache.SETS.preloaded == {}  # every compilation handed out, none left


def test_a_tampered_set_is_detected_rebuilt_and_never_run(cache_dir: Path) -> None:
    expressions = ["item.Size == 8", "item.Size == 9"]
    assert together(expressions) == [("value", "bool True"), ("value", "bool False")]
    path = blob_path(expressions)
    original = path.read_bytes()
    # The attacker's version: the first rule's program swapped for the second's, the MAC kept.
    mac, header, data = original.split(b"\n", 2)
    items, exact = marshal.loads(data)  # noqa: S302 - the test's own cache
    hostile = b"\n".join([mac, header, marshal.dumps(([items[1], items[1]], exact))])
    path.write_bytes(hostile)
    assert together(expressions) == [("value", "bool True"), ("value", "bool False")]
    rebuilt = path.read_bytes()  # written again, from the expressions' own entries
    assert rebuilt != hostile
    assert together(expressions) == [("value", "bool True"), ("value", "bool False")]


def test_a_changed_expression_misses_the_set_and_gets_its_own_verdict(cache_dir: Path) -> None:
    before = ["item.Size == 8", "item.Encrypted == true"]
    after = ["item.Size == 9", "item.Encrypted == true"]
    assert together(before) == [("value", "bool True"), ("value", "bool False")]
    # The old set moved under the new list's name: its material differs, so it is not used.
    blob_path(after).write_bytes(blob_path(before).read_bytes())
    assert together(after) == [("value", "bool False"), ("value", "bool False")]
    assert together(after) == [("value", "bool False"), ("value", "bool False")]  # from its own set
    assert together(before) == [("value", "bool True"), ("value", "bool False")]


@pytest.mark.parametrize(
    "items",
    [
        [],
        ["not a pair"],
        ([("g", True, ("item",), ("def _program(V, C):\n    return 1\n", (), "not code"))], [b""]),
        ([("g", "yes", (), None)], [b""]),
        ([("e", 1, None, None)], [None]),
        ([("f", None)], [None]),
        ([("?",)], [None]),
        ([("g", False, ("item",), ("print(1)", (), compile("1", "<x>", "eval")))], [b""]),
    ],
    ids=["empty", "not-a-pair", "code-not-code", "budget-not-bool", "error", "fallback", "tag", "header"],
)
def test_a_signed_set_of_another_shape_is_a_miss(cache_dir: Path, items: Any) -> None:
    """Only a bug of assay's own could sign these; each is still refused, and the rule compiled afresh."""
    expression = "item.Size == 8"
    backend = NativeBackend(persistent=True)
    store = default_cache()
    assert store is not None
    store.put_blob(SET, set_material([backend.cache_material(expression)]), marshal.dumps(items))
    assert together([expression]) == [("value", "bool True")]


def test_the_exact_variant_from_a_set_is_decoded_only_when_first_run(cache_dir: Path) -> None:
    expression = "1 / 0 == 1 || true"  # the fast variant raises; the exact one absorbs the error
    together([expression])
    backend = NativeBackend(persistent=True)
    with compiled_together(backend, [expression]):
        stored = rulecache.SETS.preloaded[backend.cache_material(expression)]
        assert isinstance(stored, program_set.SetGenerated)
        assert "exact" not in vars(stored)
        assert outcome(backend, expression) == ("value", "bool True")
    assert "exact" in vars(stored)
    again = rulecache.load_compiled(backend.cache_material(expression))  # its own entry
    assert isinstance(again, rulecache.Generated)
    assert stored.exact == again.exact
    assert stored.fast == again.fast


def test_once_the_set_is_made_the_bundle_leaves_out_the_entries_it_holds(cache_dir: Path) -> None:
    together(EXPRESSIONS[:3])
    store = default_cache()
    assert store is not None
    store.put("other", "[]", 1)
    store.save_bundle()
    warm = Cache(store.directory, store.key)
    warm.get("nothing", "[]")  # opens the bundle
    backend = NativeBackend(persistent=True)
    own = {warm._name(rulecache.NATIVE, backend.cache_material(e)) for e in EXPRESSIONS[:3]}
    assert set(warm._bundle.unused) == {warm._name("other", "[]")}  # the set's rules are not in it
    assert len(own) == 3


@given(st.lists(CONSTANTS, max_size=6))
def test_constants_come_back_from_a_set_with_their_exact_type(constants: list[Any]) -> None:
    source = f"{rulecache.PROGRAM_HEADER}K\n"
    variant = rulecache.Variant(source, tuple(constants), compile(source, "<cel>", "exec"))
    compiled = rulecache.Generated(variant, variant, budgeted=False)
    blob = program_set.encode_set([compiled])
    back = program_set.decode_set(blob, 1)
    assert back is not None
    [decoded] = back
    assert isinstance(decoded, program_set.SetGenerated)
    assert identical(list(decoded.fast.constants), constants)
    assert identical(list(decoded.exact.constants), constants)


def test_a_marshalled_list_constant_holding_a_tagged_value_is_refused() -> None:
    """A list or set is taken as marshal gave it only when all it holds is plain: else it is malformed."""
    source = f"{rulecache.PROGRAM_HEADER}K\n"
    code = compile(source, "<cel>", "exec")
    blob = marshal.dumps(([("g", False, (), (source, ([1, ("T", "int")],), code))], [marshal.dumps(None)]))
    assert program_set.decode_set(blob, 1) is None


@given(st.text())
def test_an_expressions_material_is_the_json_it_always_was(expression: str) -> None:
    backend = NativeBackend()
    expected = json.dumps([rulecache.code_version(), backend._material, expression])
    assert backend.cache_material(expression) == expected


def test_the_code_version_digests_the_cel_sources_in_path_order() -> None:
    folder = Path(rulecache.__file__).parent
    files = [path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*.py"))]
    assert [relative for relative, _ in rulecache._sources(str(folder))] == files


def test_a_warm_check_compiles_the_example_from_one_blob(tmp_path: Path) -> None:
    code = (
        "import sys, collections; from assay import cache; from assay.cli import main\n"
        "kinds = collections.Counter(); get, blob = cache.Cache.get, cache.Cache.get_blob\n"
        "cache.Cache.get = lambda self, k, m: kinds.update([k]) or get(self, k, m)\n"
        "cache.Cache.get_blob = lambda self, k, m: kinds.update(['blob ' + k]) or blob(self, k, m)\n"
        "code = main(sys.argv[1:]); print(dict(kinds), file=sys.stderr); raise SystemExit(code)\n"
    )
    env = {**os.environ, "ASSAY_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    env.pop("ASSAY_NO_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, "check", "--format", "json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    cold, warm = (json.loads(run.stderr.splitlines()[-1].replace("'", '"')) for run in runs)
    body = (tmp_path / "cache" / "bundle").read_bytes().partition(b"\n")[2]
    entries = msgspec.json.decode(body, type=dict[str, msgspec.Raw]).values()
    kinds = {msgspec.json.decode(entry)["kind"] for entry in entries}
    assert kinds.isdisjoint({rulecache.NATIVE, rulecache.SYNTAX})  # the set holds the one, lint the other
    assert "records" in kinds
    assert cold[rulecache.NATIVE] > 100  # each rule looked for alone
    assert rulecache.NATIVE not in warm
    assert warm[f"blob {SET}"] == 1
    assert runs[0].stdout == runs[1].stdout


def test_while_their_set_is_used_the_rules_own_entries_outlast_older_ones_when_pruning(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay import cache as cache_module

    expressions = EXPRESSIONS[:4]
    together(expressions)
    made = default_cache()
    assert made is not None
    made.put("old", "[]", {"padding": "x" * 100})
    made.close()
    own = list((cache_dir / rulecache.NATIVE).glob("*.entry"))
    assert len(own) == len(expressions)
    for path in own:
        os.utime(path, (1, 1))  # the oldest files of the folder: their set is what the runs read
    old = cache_dir / "old"
    os.utime(next(old.glob("*.entry")), (2, 2))
    monkeypatch.setattr(cache_module, "_opened", {})  # the next process
    assert together(expressions) == [outcome(NativeBackend(), e) for e in expressions]
    warm = default_cache()
    assert warm is not None
    warm.put("new", "[]", 1)  # this run wrote: it prunes at exit
    files = [p for p in cache_dir.rglob("*") if p.is_file() and p.name not in ("key", "bundle")]
    total = sum(p.stat().st_size for p in files)
    room = total - next(old.glob("*.entry")).stat().st_size + 400  # and the new bundle, one small entry
    monkeypatch.setenv(cache_module.MAX_MB_ENV, str(room / 1024 / 1024))
    warm.close()
    assert all(path.is_file() for path in own)
    assert not list(old.glob("*.entry"))
