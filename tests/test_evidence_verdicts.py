"""The verdicts on meta sidecars, the manifest and attestations: given once per process, kept in the
authenticated cache for the next run, never served for another document, rebuilt when damaged, and
the same as pydantic's own whatever the document."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay import evidence_verdicts
from assay.attestations import Attestation, artefact_files, artefact_problems, attested_in_future
from assay.engine import Engine
from assay.errors import LoadError
from assay.evidence import InMemoryEvidence, Pruning, load_evidence_dir
from assay.evidence_meta import EvidenceManifest, EvidenceMeta
from assay.evidence_verdicts import SCHEMA_KIND, VERDICT_KIND, Invalid, fits_schema, validated
from assay.records import Record
from tests.test_engine import VOLUMES

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
EXAMPLE_EVIDENCE = Path(__file__).resolve().parents[1] / "examples" / "acme" / "evidence"
ATTESTATION = {
    "attested_by": {"name": "Ines Okafor", "role": "CTO", "phone": "+1 555"},
    "attested_at": "2026-02-20",
    "artefacts": [{"file": "artefacts/report.pdf", "sha256": "a" * 64, "pages": 3}],
    "period": {"start": "2025-09-01"},
}


@pytest.fixture(autouse=True)
def _fresh_memo() -> Iterator[None]:
    """Each test starts with no verdict given in this process (as a new run does)."""
    new_run()
    yield
    new_run()


class Validations:
    """How many times pydantic validated each record class (a spy around the real model_validate)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts: dict[str, int] = {}
        for cls in (Attestation, EvidenceMeta, EvidenceManifest):
            real = cls.model_validate.__func__  # type: ignore[attr-defined]

            def counted(klass: type[Record], data: Any, _real: Any = real) -> Any:
                self.counts[klass.__name__] = self.counts.get(klass.__name__, 0) + 1
                return _real(klass, data)

            monkeypatch.setattr(cls, "model_validate", classmethod(counted))


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Validations:
    return Validations(monkeypatch)


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / VERDICT_KIND).glob("*.entry"))


def new_run() -> None:
    """What a new process starts with: no verdict given, no schema validator built, the cache's bundle
    read again."""
    evidence_verdicts._memo.clear()
    evidence_verdicts._validators.clear()
    from assay import cache

    cache._opened.clear()


def test_an_attestation_read_by_four_checks_is_validated_once(
    validations: Validations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    data = json.loads(json.dumps(ATTESTATION))
    assert artefact_files(data) == ["artefacts/report.pdf"]
    assert artefact_problems(data, lambda _: None)[1]
    assert attested_in_future(data, datetime(2026, 3, 1, tzinfo=UTC), timedelta(minutes=5)) is None
    assert validated(Attestation, json.loads(json.dumps(ATTESTATION))).attested_by.name == "Ines Okafor"
    assert validations.counts == {"Attestation": 1}


def test_a_valid_attestation_is_not_validated_again_on_the_next_run(
    cache_dir: Path, validations: Validations
) -> None:
    first = validated(Attestation, dict(ATTESTATION))
    assert len(entries(cache_dir)) == 1
    new_run()
    second = validated(Attestation, dict(ATTESTATION))
    assert second == first
    assert validations.counts == {"Attestation": 1}


def test_a_changed_document_is_not_served_the_verdict_of_the_old_one(
    tmp_path: Path, cache_dir: Path, validations: Validations
) -> None:
    root = tmp_path / "evidence"
    root.mkdir()
    (root / "a.json").write_text("{}")
    (root / "a.json.meta.yaml").write_text("collected_at: 2024-01-01T00:00:00Z\n")
    assert str(load_evidence_dir(root).get("a").collected_at) == "2024-01-01 00:00:00+00:00"  # type: ignore[union-attr]
    new_run()
    (root / "a.json.meta.yaml").write_text("collected_at: 2024-01-02T00:00:00Z\n")
    assert str(load_evidence_dir(root).get("a").collected_at) == "2024-01-02 00:00:00+00:00"  # type: ignore[union-attr]
    new_run()
    (root / "a.json.meta.yaml").write_text("colected_at: 2024-01-02T00:00:00Z\n")
    store = load_evidence_dir(root, shown_root="ev")
    assert [str(p.diagnostic) for p in store.problems()] == [
        "ev/a.json.meta.yaml:1:1: error: metadata > colected_at: unknown key 'colected_at'; "
        "did you mean 'collected_at'?"
    ]
    assert validations.counts == {"EvidenceMeta": 3}


def test_a_flipped_byte_in_an_entry_is_a_miss_and_the_entry_is_written_again(
    cache_dir: Path, validations: Validations
) -> None:
    data = {"collected_at": "2024-01-01T00:00:00Z", "source": "aws ec2 describe-volumes"}
    made = validated(EvidenceMeta, data)
    (entry,) = entries(cache_dir)
    whole = entry.read_bytes()
    flipped = whole.replace(b"describe-volumes", b"describe-volumez")
    assert flipped != whole
    entry.write_bytes(flipped)
    (cache_dir / "bundle").unlink(missing_ok=True)  # the bundle holds the entry too: only the file is left
    new_run()
    assert validated(EvidenceMeta, data) == made
    assert validations.counts == {"EvidenceMeta": 2}
    assert entry.read_bytes() == whole


def test_an_entry_that_does_not_rebuild_its_record_is_a_miss(
    cache_dir: Path, validations: Validations
) -> None:
    """An authenticated entry of the right material whose fields are not the record's (written by a
    bug, or by a record that has since lost a field) is validated again, never half-trusted."""
    from assay.cache import default_cache

    data = {"source": "export"}
    material = evidence_verdicts._material(EvidenceMeta, evidence_verdicts.content_digest(data) or "")
    cache = default_cache()
    assert cache is not None
    cache.put(VERDICT_KIND, material, {"$r": "assay.evidence_meta:EvidenceMeta", "f": {"nope": 1}})
    new_run()
    assert validated(EvidenceMeta, data) == EvidenceMeta(source="export")
    cache.put(VERDICT_KIND, material, {"$r": "assay.attestations:Attester", "f": {"name": "a", "role": "b"}})
    new_run()
    assert validated(EvidenceMeta, data) == EvidenceMeta(source="export")
    assert validations.counts == {"EvidenceMeta": 2}


def test_an_invalid_manifest_gives_the_same_message_on_every_run(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "evidence"
    root.mkdir()
    (root / "assay-manifest.yaml").write_text("snapshot_at: x\nevidense: {}\n")
    expected = [
        "ev/assay-manifest.yaml:1:14: error: manifest > snapshot_at: Input should be a valid datetime or "
        "date, input is too short",
        "ev/assay-manifest.yaml:2:1: error: manifest > evidense: unknown key 'evidense'; did you mean "
        "'evidence'?",
    ]
    for _ in range(3):
        new_run()
        with pytest.raises(LoadError) as raised:
            load_evidence_dir(root, shown_root="ev")
        assert [str(d) for d in raised.value.diagnostics] == expected
    assert entries(cache_dir) == []  # a refused document is not kept: its message comes from pydantic


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "1:1: error: metadata: Input should be a valid dictionary or instance of EvidenceMeta"),
        ("name: Bad Name\n", "1:7: error: metadata > name: 'Bad Name' is not an evidence name"),
        ("source: '  '\n", "1:9: error: metadata > source: must not be empty"),
        ("name: [1]\nextra: 2\n", "1:7: error: metadata > name: Input should be a valid string"),
    ],
)
def test_an_invalid_sidecar_gives_the_same_message_on_every_run(
    tmp_path: Path, cache_dir: Path, text: str, message: str
) -> None:
    root = tmp_path / "evidence"
    root.mkdir()
    (root / "a.json").write_text("{}")
    (root / "a.json.meta.yaml").write_text(text)
    for _ in range(2):
        new_run()
        (problem,) = load_evidence_dir(root, shown_root="ev").problems()
        assert str(problem.diagnostic).startswith(f"ev/a.json.meta.yaml:{message}")


def test_a_document_of_other_objects_is_validated_each_time(validations: Validations) -> None:
    """A value whose repr may not be its content (an object of the caller's) is never looked up."""

    class Name(str):
        __slots__ = ()

    assert evidence_verdicts.content_digest({"source": Name("x")}) is None
    assert evidence_verdicts.content_digest({"source": ("x",)}) is None
    for _ in range(2):
        assert validated(EvidenceMeta, {"source": Name("x")}).source == "x"
    assert validations.counts == {"EvidenceMeta": 2}


def test_values_that_print_alike_have_different_digests() -> None:
    digests = {
        evidence_verdicts.content_digest(value)
        for value in (
            {"a": 1},
            {"a": 1.0},
            {"a": True},
            {"a": "1"},
            {"a": date(2024, 1, 1)},
            {"a": "2024-01-01"},
        )
    }
    assert len(digests) == 6
    shared: list[Any] = [1]
    assert evidence_verdicts.content_digest({"a": shared, "b": shared}) is not None  # a YAML alias


# --- evidence under its schema ---------------------------------------------------------------------

SCHEMA = {"type": "object", "required": ["Volumes"], "properties": {"Volumes": {"type": "array"}}}


def test_evidence_that_fits_its_schema_is_not_checked_again_on_the_next_run(cache_dir: Path) -> None:
    assert fits_schema(SCHEMA, {"Volumes": []}, "file abc json")
    assert len(evidence_verdicts._validators) == 1
    new_run()
    assert fits_schema(SCHEMA, {"Volumes": []}, "file abc json")
    assert evidence_verdicts._validators == {}  # answered from the cache: jsonschema-rs was not asked
    assert fits_schema({**SCHEMA, "required": ["Snapshots"]}, {"Volumes": []}, "file abc json") is False


def test_changed_evidence_is_not_served_the_verdict_of_the_old_one(cache_dir: Path) -> None:
    assert fits_schema(SCHEMA, {"Volumes": []}, "file abc json")
    new_run()
    assert fits_schema(SCHEMA, {"Volumes": {}}, "file abd json") is False
    assert fits_schema(SCHEMA, {"Volumes": {}}, None) is False
    # both answers about files are kept (the one in memory is not): the next run asks no checker
    assert len(list((cache_dir / SCHEMA_KIND).glob("*.entry"))) == 2
    new_run()
    assert fits_schema(SCHEMA, {"Volumes": {}}, "file abd json") is False
    assert evidence_verdicts._validators == {}


def test_a_flipped_byte_in_a_schema_verdict_is_a_miss_and_written_again(cache_dir: Path) -> None:
    assert fits_schema(SCHEMA, {"Volumes": []}, "file abc json")
    (entry,) = (cache_dir / SCHEMA_KIND).glob("*.entry")
    whole = entry.read_bytes()
    entry.write_bytes(whole.replace(b'"fits"', b'"fitz"'))
    (cache_dir / "bundle").unlink(missing_ok=True)
    new_run()
    assert fits_schema(SCHEMA, {"Volumes": []}, "file abc json")
    assert len(evidence_verdicts._validators) == 1  # checked again
    assert entry.read_bytes() == whole


def test_evidence_of_the_wrong_shape_gives_the_same_reason_on_every_run(
    tmp_path: Path, cache_dir: Path, make_catalog: Any
) -> None:
    catalog = dataclasses.replace(make_catalog(VOLUMES), evidence_schemas={"aws.ec2.volumes": SCHEMA})
    root = tmp_path / "evidence"
    (root / "aws" / "ec2").mkdir(parents=True)
    file = root / "aws" / "ec2" / "volumes.json"
    (root / "assay-manifest.yaml").write_text(
        f"evidence:\n  aws/ec2/volumes.json:\n    collected_at: {NOW}\n"
    )
    fits = {"Volumes": [{"VolumeId": "v-1", "Encrypted": True}]}
    reasons = []
    for document in (fits, {"Volumes": {"v-1": {}}}, {"Volumes": {"v-1": {}}}):
        file.write_text(json.dumps(document))
        new_run()
        store = load_evidence_dir(root, shown_root="ev")
        result = Engine(catalog).evaluate(store, now=NOW).result("CRYPTO-01")
        reasons.append((result.status.value, result.reason))
    assert reasons[0] == ("pass", None)
    assert reasons[1][0] == "error"
    assert reasons[1][1] == (
        "evidence aws.ec2.volumes (ev/aws/ec2/volumes.json) has the wrong shape: "
        "$.Volumes: must be of type array, found object"
    )
    assert reasons[2] == reasons[1]


def test_a_pruned_document_keeps_its_schema_verdict_for_the_next_run(tmp_path: Path, cache_dir: Path) -> None:
    schema = {"type": "object", "properties": {"Volumes": {"type": "array", "items": {"required": ["Size"]}}}}
    reads = {"aws.ec2.volumes": {"Volumes": {0: {"VolumeId": None}}}}
    pruning = Pruning(lambda: reads, {"aws.ec2.volumes": schema}, above_bytes=0)
    root = tmp_path / "evidence"
    (root / "aws" / "ec2").mkdir(parents=True)
    file = root / "aws" / "ec2" / "volumes.json"
    file.write_text(json.dumps({"Volumes": [{"VolumeId": "v-1", "Size": 8, "Tags": []}]}))
    first = load_evidence_dir(root, pruning=pruning).get("aws.ec2.volumes")
    assert first is not None
    assert first.pruned
    new_run()
    again = load_evidence_dir(root, pruning=pruning).get("aws.ec2.volumes")
    assert again == first
    assert evidence_verdicts._validators == {}
    file.write_text(json.dumps({"Volumes": [{"VolumeId": "v-1", "Tags": []}]}))  # no Size: does not fit
    new_run()
    whole = load_evidence_dir(root, pruning=pruning).get("aws.ec2.volumes")
    assert whole is not None
    assert not whole.pruned  # kept whole, for the engine to say why


# --- the cached verdict is pydantic's verdict ----------------------------------------------------

TEXTS = st.one_of(st.text(max_size=6), st.sampled_from(["", " ", "  x ", "../a", "C:/a", "a\\b", "a/b"]))
DATES = st.one_of(
    st.dates().map(str),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["2024-02-30", "x", "2024-01-01T10:00:00"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS, DATES)
HEXES = st.one_of(st.just("a" * 64), st.text("0123456789abcdefA", min_size=63, max_size=65))


def _maybe(draw: st.DrawFn, value: st.SearchStrategy[Any], other: st.SearchStrategy[Any] = SCALARS) -> Any:
    return draw(st.one_of(value, other))


@st.composite
def attestations(draw: st.DrawFn) -> Any:
    attester = {k: draw(TEXTS) for k in draw(st.sets(st.sampled_from(["name", "role", "team"])))}
    artefact = st.fixed_dictionaries({"file": TEXTS, "sha256": HEXES}, optional={"description": SCALARS})
    document = {
        "attested_by": _maybe(draw, st.just(attester)),
        "attested_at": draw(DATES),
        "artefacts": _maybe(draw, st.lists(st.one_of(artefact, SCALARS), max_size=3)),
        "extra": draw(SCALARS),
    }
    keys = draw(st.sets(st.sampled_from(sorted(document))))
    return {key: document[key] for key in keys} if draw(st.booleans()) else draw(SCALARS)


@st.composite
def metas(draw: st.DrawFn) -> Any:
    fields = {
        "name": st.one_of(st.sampled_from(["aws.ec2", "a", "Bad", "a..b"]), SCALARS),
        "collected_at": DATES,
        "as_of": DATES,
        "source": TEXTS,
        "format": st.one_of(st.sampled_from(["json", "yaml", "csv", "text", "xml"]), SCALARS),
        "colected_at": DATES,
    }
    keys = draw(st.sets(st.sampled_from(sorted(fields))))
    return {key: draw(fields[key]) for key in keys}


def _verdict(cls: type[Record], data: Any, *, cached: bool) -> Any:
    from pydantic import ValidationError

    if not cached:
        try:
            return ("valid", cls.model_validate(data))
        except ValidationError as exc:
            return ("invalid", [(e["loc"], e["msg"]) for e in Invalid(exc).errors()])
    try:
        return ("valid", validated(cls, data))
    except Invalid as exc:
        return ("invalid", [(e["loc"], e["msg"]) for e in exc.errors()])


@settings(max_examples=150)
@given(
    st.one_of(
        st.tuples(st.just(Attestation), attestations()),
        st.tuples(st.just(EvidenceMeta), metas()),
        st.tuples(
            st.just(EvidenceManifest),
            st.fixed_dictionaries({"evidence": st.dictionaries(TEXTS, metas(), max_size=2)}),
        ),
    )
)
def test_the_cached_verdict_is_pydantics_verdict(case: tuple[type[Record], Any]) -> None:
    cls, data = case
    expected = _verdict(cls, data, cached=False)
    assert _verdict(cls, data, cached=True) == expected  # given now (or by an earlier example)
    new_run()
    assert _verdict(cls, data, cached=True) == expected  # from the cache's entry, or validated again


# --- a warm run in a fresh interpreter ----------------------------------------------------------

LOAD_EXAMPLE = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from assay import records
from assay.attestations import artefact_files, artefact_problems, attested_in_future
from assay.evidence import CLOCK_SKEW, load_evidence_dir
store = load_evidence_dir(Path(sys.argv[1]))
for item in store.items():
    if item.name.startswith("attestations."):
        artefact_files(item.data)
        artefact_problems(item.data, store.digest)
        attested_in_future(item.data, datetime.now(UTC), CLOCK_SKEW)
print(json.dumps({"modules": sorted(sys.modules), "validators": sorted(map(str, records._ADAPTERS)),
                  "problems": [str(p.diagnostic) for p in store.problems()]}))
"""


def _load_example(cache: Path) -> dict[str, Any]:
    environment = {
        "ASSAY_CACHE_DIR": str(cache),
        "PYTHONPATH": str(Path(evidence_verdicts.__file__).parents[1]),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOAD_EXAMPLE, str(EXAMPLE_EVIDENCE)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **environment},
    )
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def _model_is_pydantic_free() -> bool:
    code = "import sys, assay.model; print('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "False"


def test_a_warm_load_of_the_example_evidence_validates_nothing(tmp_path: Path) -> None:
    cold = _load_example(tmp_path / "cache")
    assert "assay.attestations.Attestation" in str(cold["validators"])  # validated on the cold run
    assert cold["problems"] == []
    warm = _load_example(tmp_path / "cache")
    assert warm["problems"] == []
    assert warm["validators"] == []  # no pydantic validator was built: every verdict came from the cache
    modules = set(warm["modules"])
    assert not modules & {"jsonschema_rs", "jsonschema", "assay.loading.documents"}
    if _model_is_pydantic_free():
        assert not modules & {"pydantic", "pydantic_core", "email"}


def test_the_evidence_modules_import_no_pydantic() -> None:
    """What this branch can check while assay.model is a pydantic module: none of the evidence modules
    imports pydantic (or the modules that do) when it is imported, only when a document is refused."""
    import ast

    source = Path(evidence_verdicts.__file__).parent
    for module in ("evidence.py", "evidence_meta.py", "attestations.py", "evidence_verdicts.py"):
        tree = ast.parse((source / module).read_text())
        top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        names = [alias.name for node in top if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in top if isinstance(node, ast.ImportFrom)]
        assert not [name for name in names if name.startswith(("pydantic", "assay.loading.documents"))], (
            module
        )


def test_a_warm_check_of_the_example_imports_no_schema_checker(tmp_path: Path) -> None:
    """``assay check`` on the example, run twice with a cache of its own: the second run finds every
    evidence document's schema verdict in the cache, so it never imports jsonschema-rs."""
    report = "import json, sys, atexit; atexit.register(lambda: print(json.dumps(sorted(sys.modules))))"
    code = f"{report}; import sys; from assay.cli import main; sys.exit(main(['check']))"
    environment = {
        **os.environ,
        "ASSAY_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(Path(evidence_verdicts.__file__).parents[1]),
    }
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=environment,
            cwd=EXAMPLE_EVIDENCE.parent,
        )
        for _ in range(2)
    ]
    reports = [run.stdout.rstrip("\n").rsplit("\n", 1) for run in runs]
    assert reports[0][0] == reports[1][0]  # the same report
    assert runs[0].returncode == runs[1].returncode == 1  # the example has failing controls
    cold, warm = (set(json.loads(report[1])) for report in reports)
    assert "jsonschema_rs" in cold
    assert not warm & {"jsonschema_rs", "jsonschema"}


def test_the_run_that_validates_and_the_runs_that_read_the_cache_hold_the_same_values(
    cache_dir: Path,
) -> None:
    data = {"collected_at": "2026-10-14T06:00:08+02:00", "as_of": "2026-10-14T06:00:08Z"}
    cold = validated(EvidenceMeta, data)
    new_run()
    warm = validated(EvidenceMeta, data)
    for moment in ("collected_at", "as_of"):
        assert type(getattr(cold, moment).tzinfo) is type(getattr(warm, moment).tzinfo) is timezone
    assert cold.as_of is not None
    assert cold.as_of.tzinfo is UTC
    assert repr(cold) == repr(warm)


def test_evidence_held_in_memory_is_checked_each_run_and_not_kept(cache_dir: Path, make_catalog: Any) -> None:
    """Only a file's bytes name its content for certain: evidence given in memory (a control's test
    cases, a library user's values) is checked each run, and never fills the cache."""
    catalog = dataclasses.replace(make_catalog(VOLUMES), evidence_schemas={"aws.ec2.volumes": SCHEMA})
    for document in ({"Volumes": []}, {"Volumes": {}}):
        store = InMemoryEvidence.from_values({"aws.ec2.volumes": document}, collected_at=NOW)
        result = Engine(catalog).evaluate(store, now=NOW).result("CRYPTO-01")
        assert ("wrong shape" in (result.reason or "")) is (document == {"Volumes": {}})
    assert not (cache_dir / SCHEMA_KIND).exists()
