from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.engine import Engine, evaluate
from assay.errors import Diagnostic, Severity
from assay.evidence import EvidenceProblem, InMemoryEvidence
from assay.model import ControlStatus, Waiver

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

VOLUMES = """
controls:
  - id: CRYPTO-01
    title: Volumes encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
        max_age: 7d
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
        message: '"volume " + item.VolumeId + " is not encrypted"'
    remediation: Encrypt.
  - id: CRYPTO-02
    title: Default on
    claim: New disks are encrypted.
    description: Default encryption.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.ebs_default
    rules:
      - id: on
        assert: aws.ec2.ebs_default.EbsEncryptionByDefault
    remediation: Turn it on.
"""


def store(
    volumes: list[dict[str, object]], *, collected_at: datetime | None = NOW, default: object = True
) -> InMemoryEvidence:
    evidence = InMemoryEvidence()
    evidence.add("aws.ec2.volumes", {"Volumes": volumes}, collected_at=collected_at)
    evidence.add("aws.ec2.ebs_default", {"EbsEncryptionByDefault": default}, collected_at=collected_at)
    return evidence


def waiver(**changes: object) -> Waiver:
    fields: dict[str, object] = {
        "control": "CRYPTO-01",
        "justification": "Legacy volume, deleted next month.",
        "approver": "CISO",
        "ticket": "SEC-1",
        "expires": date(2026, 12, 31),
    }
    fields.update(changes)
    return Waiver.model_validate(fields)


@pytest.fixture
def engine(make_catalog) -> Engine:
    return Engine(make_catalog(VOLUMES))


def test_pass_and_fail_with_findings_per_resource(engine: Engine) -> None:
    run = engine.evaluate(
        store([{"VolumeId": "v1", "Encrypted": True}, {"VolumeId": "v2", "Encrypted": False}]), now=NOW
    )
    result = run.result("CRYPTO-01")
    assert result.status is ControlStatus.FAIL
    assert [(f.resource, f.message) for f in result.findings] == [("v2", "volume v2 is not encrypted")]
    assert run.result("CRYPTO-02").status is ControlStatus.PASS
    assert result.evidence[0].sha256 is not None
    assert result.evidence[0].collected_at == NOW


def test_empty_list_passes(engine: Engine) -> None:
    assert engine.evaluate(store([]), now=NOW).result("CRYPTO-01").status is ControlStatus.PASS


def test_missing_evidence_is_not_assessed(engine: Engine) -> None:
    result = engine.evaluate(InMemoryEvidence(), now=NOW).result("CRYPTO-01")
    assert result.status is ControlStatus.NOT_ASSESSED
    assert result.reason == "evidence aws.ec2.volumes is missing"


def test_stale_and_undated_evidence_cannot_pass(engine: Engine) -> None:
    old = engine.evaluate(store([], collected_at=NOW - timedelta(days=8)), now=NOW).result("CRYPTO-01")
    assert old.status is ControlStatus.NOT_ASSESSED
    assert old.reason == (
        "evidence aws.ec2.volumes is from 2026-11-17T12:00:00+00:00, older than the 1w the control allows"
    )
    undated = engine.evaluate(store([], collected_at=None), now=NOW)
    assert undated.result("CRYPTO-01").status is ControlStatus.NOT_ASSESSED
    assert "undated" in (undated.result("CRYPTO-01").reason or "")
    # no max_age: undated evidence is acceptable
    assert undated.result("CRYPTO-02").status is ControlStatus.PASS


def test_non_bool_assert_is_an_error_and_others_still_run(engine: Engine) -> None:
    run = engine.evaluate(store([{"VolumeId": "v1", "Encrypted": True}], default="yes"), now=NOW)
    broken = run.result("CRYPTO-02")
    assert broken.status is ControlStatus.ERROR
    assert broken.reason is not None
    # the type, never the value: a rule that reads a secret must not print it
    assert broken.reason.endswith("rule on: wrong result type: assert must give a bool, not string")
    assert ":" in broken.reason.split(" rule ")[0]  # starts with the rule's file:line:col
    assert run.result("CRYPTO-01").status is ControlStatus.PASS


def test_wrong_shape_is_an_error_naming_the_resource(engine: Engine) -> None:
    run = engine.evaluate(store([{"VolumeId": "v1"}]), now=NOW)
    result = run.result("CRYPTO-01")
    assert result.status is ControlStatus.ERROR
    assert "rule encrypted: resource v1: no such key: 'Encrypted'" in (result.reason or "")


def test_unreadable_evidence_is_an_error(engine: Engine) -> None:
    evidence = store([])
    evidence.add_problem(
        EvidenceProblem(
            "aws.ec2.ebs_default", Diagnostic("ev/x.json", 3, 4, Severity.ERROR, "invalid JSON: oops")
        )
    )
    evidence._items.pop("aws.ec2.ebs_default")
    result = engine.evaluate(evidence, now=NOW).result("CRYPTO-02")
    assert result.status is ControlStatus.ERROR
    assert (
        result.reason
        == "evidence aws.ec2.ebs_default cannot be used: ev/x.json:3:4: error: invalid JSON: oops"
    )


def test_evidence_schema_mismatch_is_an_error(make_catalog) -> None:
    import dataclasses

    catalog = make_catalog(VOLUMES)
    schema = {"type": "object", "required": ["Volumes"], "properties": {"Volumes": {"type": "array"}}}
    catalog = dataclasses.replace(catalog, evidence_schemas={"aws.ec2.volumes": schema})
    evidence = InMemoryEvidence()
    evidence.add("aws.ec2.volumes", {"Volumes": {"v1": {}}}, collected_at=NOW)
    result = Engine(catalog).evaluate(evidence, now=NOW).result("CRYPTO-01")
    assert result.status is ControlStatus.ERROR
    # the schema's words and the path it names, never the evidence's value
    assert result.reason == (
        "evidence aws.ec2.volumes (in memory) has the wrong shape: "
        "$.Volumes: must be of type array, found object"
    )


def test_waiver_for_named_resources_only(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}, {"VolumeId": "v2", "Encrypted": False}])
    partial = engine.evaluate(evidence, now=NOW, waivers=[waiver(resources=["v1"])]).result("CRYPTO-01")
    assert partial.status is ControlStatus.FAIL
    assert [(f.resource, f.waived_by) for f in partial.findings] == [("v1", "SEC-1"), ("v2", None)]
    full = engine.evaluate(evidence, now=NOW, waivers=[waiver(resources=["v1", "v2"])]).result("CRYPTO-01")
    assert full.status is ControlStatus.WAIVED
    assert full.waiver is not None
    assert full.waiver.ticket == "SEC-1"


def test_whole_control_waiver_and_expiry(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}])
    waived = engine.evaluate(evidence, now=NOW, waivers=[waiver()]).result("CRYPTO-01")
    assert waived.status is ControlStatus.WAIVED
    expired = engine.evaluate(evidence, now=NOW, waivers=[waiver(expires=date(2026, 11, 24))]).result(
        "CRYPTO-01"
    )
    assert expired.status is ControlStatus.FAIL
    assert [w.ticket for w in expired.expired_waivers] == ["SEC-1"]
    # The last day still counts.
    last_day = engine.evaluate(evidence, now=NOW, waivers=[waiver(expires=date(2026, 11, 25))])
    assert last_day.result("CRYPTO-01").status is ControlStatus.WAIVED


def test_waiver_does_not_hide_errors_or_apply_to_passes(engine: Engine) -> None:
    result = engine.evaluate(store([{"VolumeId": "v1"}]), now=NOW, waivers=[waiver()]).result("CRYPTO-01")
    assert result.status is ControlStatus.ERROR
    passing = engine.evaluate(store([]), now=NOW, waivers=[waiver()]).result("CRYPTO-01")
    assert passing.status is ControlStatus.PASS
    assert passing.waiver is None


def test_a_waiver_applies_to_its_own_control_only(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}], default=False)
    run = engine.evaluate(evidence, now=NOW, waivers=[waiver(control="CRYPTO-02", ticket="SEC-2")])
    volumes, default = run.result("CRYPTO-01"), run.result("CRYPTO-02")
    assert (volumes.status, volumes.waiver, volumes.findings[0].waived_by) == (ControlStatus.FAIL, None, None)
    assert default.status is ControlStatus.WAIVED
    assert default.waiver is not None
    assert default.waiver.ticket == "SEC-2"
    assert default.reason == "waived by SEC-2 until 2026-12-31: Legacy volume, deleted next month."
    assert [f.waived_by for f in default.findings] == ["SEC-2"]
    assert default.expired_waivers == ()


def test_a_waiver_expires_at_the_end_of_its_day_in_utc(engine: Engine) -> None:
    """``now`` in another time zone is judged by its UTC date, both ways across midnight."""
    evidence = store([{"VolumeId": "v1", "Encrypted": False}])
    expires_25th = [waiver(expires=date(2026, 11, 25))]
    # 26 November 09:00 at UTC+14 is still 25 November (19:00) in UTC: the waiver applies.
    east = datetime(2026, 11, 26, 9, tzinfo=timezone(timedelta(hours=14)))
    assert engine.evaluate(evidence, now=east, waivers=expires_25th).result("CRYPTO-01").status is (
        ControlStatus.WAIVED
    )
    # 25 November 20:00 at UTC-10 is already 26 November (06:00) in UTC: it has expired.
    west = datetime(2026, 11, 25, 20, tzinfo=timezone(timedelta(hours=-10)))
    late = engine.evaluate(evidence, now=west, waivers=expires_25th).result("CRYPTO-01")
    assert (late.status, late.waiver) == (ControlStatus.FAIL, None)
    assert [w.ticket for w in late.expired_waivers] == ["SEC-1"]
    assert waiver(expires=date(2026, 11, 25)).is_active(east)
    assert not waiver(expires=date(2026, 11, 25)).is_active(west)
    assert waiver(expires=date(2026, 11, 25)).is_active(datetime(2026, 11, 25, 23, 59))  # naive: UTC


@pytest.fixture
def far_east_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone set to UTC+14, so local time is never mistaken for UTC."""
    monkeypatch.setenv("TZ", "Etc/GMT-14")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_east_clock")
def test_waiver_expiry_never_reads_the_local_time_zone() -> None:
    ends = waiver(expires=date(2026, 11, 25))
    # 25 November 20:00 UTC is 26 November 10:00 at UTC+14: the waiver still applies, naive or aware.
    assert ends.is_active(datetime(2026, 11, 25, 20))
    assert ends.is_active(datetime(2026, 11, 25, 20, tzinfo=UTC))
    assert not ends.is_active(datetime(2026, 11, 26, 0, 30))


def test_an_active_waiver_is_not_listed_as_expired(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}])
    waivers = [waiver(), waiver(ticket="OLD-1", expires=date(2026, 1, 1))]
    result = engine.evaluate(evidence, now=NOW, waivers=waivers).result("CRYPTO-01")
    assert result.status is ControlStatus.WAIVED
    assert result.waiver is not None
    assert result.waiver.ticket == "SEC-1"
    assert [w.ticket for w in result.expired_waivers] == ["OLD-1"]


def test_an_expired_whole_waiver_leaves_the_resource_waivers_to_decide(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}, {"VolumeId": "v2", "Encrypted": False}])
    waivers = [
        waiver(ticket="OLD-1", expires=date(2026, 1, 1)),  # the whole control, expired
        waiver(ticket="SEC-1", resources=["v1"]),
        waiver(ticket="SEC-2", resources=["v2", "v9"]),
    ]
    result = engine.evaluate(evidence, now=NOW, waivers=waivers).result("CRYPTO-01")
    assert result.status is ControlStatus.WAIVED
    assert [(f.resource, f.waived_by) for f in result.findings] == [("v1", "SEC-1"), ("v2", "SEC-2")]
    assert result.waiver is not None
    assert result.waiver.ticket == "SEC-1"  # the first that applied
    assert result.reason == "every failing resource is waived (SEC-1 until 2026-12-31)"
    assert [w.ticket for w in result.expired_waivers] == ["OLD-1"]


def test_a_partial_waiver_is_recorded_but_the_control_still_fails(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}, {"VolumeId": "v2", "Encrypted": False}])
    result = engine.evaluate(evidence, now=NOW, waivers=[waiver(resources=["v2"])]).result("CRYPTO-01")
    assert (result.status, result.reason) == (ControlStatus.FAIL, None)
    assert result.waiver is not None
    assert result.waiver.ticket == "SEC-1"
    assert [(f.resource, f.waived_by) for f in result.findings] == [("v1", None), ("v2", "SEC-1")]
    # A waiver naming none of the failing resources applies to nothing.
    other = engine.evaluate(evidence, now=NOW, waivers=[waiver(resources=["v9"])]).result("CRYPTO-01")
    assert (other.status, other.waiver) == (ControlStatus.FAIL, None)
    assert [f.waived_by for f in other.findings] == [None, None]


def test_engine_is_deterministic_and_reads_no_clock(engine: Engine) -> None:
    evidence = store([{"VolumeId": "v1", "Encrypted": False}])
    first = engine.evaluate(evidence, now=NOW)
    second = engine.evaluate(evidence, now=NOW)
    assert first == second
    assert first.now == NOW


def test_now_is_a_variable(make_catalog) -> None:
    catalog = make_catalog(
        VOLUMES.replace(
            "assert: aws.ec2.ebs_default.EbsEncryptionByDefault",
            "assert: now - timestamp(aws.ec2.ebs_default.CreateTime) < days(30)",
        )
    )
    evidence = store([])
    evidence.add("aws.ec2.ebs_default", {"CreateTime": "2026-11-01T00:00:00Z"}, collected_at=NOW)
    assert evaluate(catalog, evidence, now=NOW).result("CRYPTO-02").status is ControlStatus.PASS
    later = NOW + timedelta(days=30)
    evidence.add("aws.ec2.ebs_default", {"CreateTime": "2026-11-01T00:00:00Z"}, collected_at=later)
    assert evaluate(catalog, evidence, now=later).result("CRYPTO-02").status is ControlStatus.FAIL


def test_compile_errors_give_error_with_position(make_catalog) -> None:
    catalog = make_catalog(VOLUMES.replace("assert: item.Encrypted == true", "assert: item.Encrypted ==="))
    result = Engine(catalog).evaluate(store([]), now=NOW).result("CRYPTO-01")
    assert result.status is ControlStatus.ERROR
    assert result.reason is not None
    assert "c.yaml:" in result.reason
    assert "CEL syntax error" in result.reason


def test_control_test_cases_run(engine: Engine) -> None:
    from assay.model import TestCase

    control = engine.catalog.control("CRYPTO-01")
    good = TestCase(
        name="one bad",
        evidence={"aws.ec2.volumes": {"Volumes": [{"VolumeId": "v9", "Encrypted": False}]}},
        expect="fail",
        failing=("v9",),
    )
    assert engine.run_test_case(control, good).passed
    wrong = good.model_copy(update={"expect": "pass"})
    outcome = engine.run_test_case(control, wrong)
    assert outcome.problems == ("expected pass, got fail",)


PARAMETERISED = """
controls:
  - id: IR-04
    title: Status page lists production services
    claim: Our status page shows every production service.
    description: The status page has a component per production service.
    severity: medium
    domain: incident-response
    evidence:
      - name: statuspage.components
    rules:
      - id: listed
        for_each: params.production_services
        resource_id: item
        assert: statuspage.components.exists(c, c.name == item)
    remediation: Add the missing components.
    parameters:
      production_services: null
      minimum: 1
"""


def test_parameters_come_from_the_company_and_unset_ones_are_not_assessed(make_catalog) -> None:
    engine = Engine(make_catalog(PARAMETERISED))
    evidence = InMemoryEvidence()
    evidence.add("statuspage.components", [{"name": "API"}, {"name": "Web"}], collected_at=NOW)
    unset = engine.evaluate(evidence, now=NOW).result("IR-04")
    assert unset.status is ControlStatus.NOT_ASSESSED
    assert unset.reason == (
        "parameter production_services is not set: give this company's value in the parameters file"
    )
    given = engine.evaluate(
        evidence, now=NOW, parameters={"IR-04": {"production_services": ["API", "Batch"]}}
    )
    assert [f.resource for f in given.result("IR-04").findings] == ["Batch"]


def test_every_verdict_records_the_evidence_it_read(engine: Engine, make_catalog) -> None:
    # An auditor reads which files (path, date, sha256) each verdict rests on: an error in a rule, or
    # a parameter nobody set, must keep that record as a pass or a fail does (mutation testing found
    # both dropped without a test noticing).
    errored = engine.evaluate(store([{"VolumeId": "v1", "Encrypted": True}], default="yes"), now=NOW)
    assert errored.result("CRYPTO-02").status is ControlStatus.ERROR
    assert [use.name for use in errored.result("CRYPTO-02").evidence] == ["aws.ec2.ebs_default"]
    assert [use.name for use in errored.result("CRYPTO-01").evidence] == ["aws.ec2.volumes"]
    parameterised = Engine(make_catalog(PARAMETERISED))
    evidence = InMemoryEvidence()
    evidence.add("statuspage.components", [{"name": "API"}], collected_at=NOW)
    unset = parameterised.evaluate(evidence, now=NOW).result("IR-04")
    assert unset.status is ControlStatus.NOT_ASSESSED
    assert [(use.name, use.collected_at) for use in unset.evidence] == [("statuspage.components", NOW)]


# --- no evidence in error messages -------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["native", "reference"])
def test_an_evaluation_error_never_shows_evidence(tmp_path, monkeypatch, backend: str) -> None:
    """The engine run on its own (the library, no lint first): a typo, an undeclared variable, a missing
    key, a failing overload, over evidence with a canary. No report format and no file of the pack
    but the evidence holds the canary; cel-python's raw message holds all of it."""
    from assay.cel import make_backend
    from assay.gaps import build_report
    from assay.loaded_project import load_project
    from assay.pack import build_pack, collect
    from assay.render import formats, render
    from tests.canary import CANARY, pack_texts, write_project

    monkeypatch.chdir(write_project(tmp_path))
    project = load_project(tmp_path / "assay.toml")
    run = Engine(project.catalog, backend=make_backend(backend)).run(project)
    reasons = {r.control: r.reason for r in run.results}
    assert reasons["LEAK-TYPO"] == "controls/leak.yaml:12:17: rule typo: unknown function: 'sizee'"
    assert (
        reasons["LEAK-UNDECLARED"]
        == "controls/leak.yaml:24:17: rule undeclared: undeclared reference: 'nope'"
    )
    assert reasons["LEAK-KEY"] == "controls/leak.yaml:36:28: rule missing: no such key: 'missing'"
    assert (
        run.result("LEAK-KEY").errors[1]
        == "controls/leak.yaml:40:17: rule by-owner: resource u-1: no such key"
    )
    assert (
        reasons["LEAK-OVERLOAD"]
        == "controls/leak.yaml:52:17: rule overload: no such overload: + on string, int"
    )
    report = build_report(project.catalog, run, evidence=project.evidence)
    outputs = {name: render(report, name) for name in formats()}
    outputs |= pack_texts(build_pack(report, collect(project)).data)
    leaking = [name for name, text in outputs.items() if CANARY in str(text)]
    assert leaking == ["evidence/app/config.json"]


def test_the_failing_expression_is_the_one_named(make_catalog) -> None:
    """A rule whose message (not its assert) fails points at the message, for the resource it was on."""
    catalog = make_catalog(
        VOLUMES.replace("""'"volume " + item.VolumeId + " is not encrypted"'""", "\"item.Size + 'GB'\"")
    )
    result = Engine(catalog).evaluate(store([{"VolumeId": "v9", "Encrypted": False, "Size": 8}]), now=NOW)
    assert result.result("CRYPTO-01").reason == (
        f"{catalog.control_sources['CRYPTO-01'].file}:17:18: "
        "rule encrypted > message: resource v9: no such overload: + on int, string"
    )


SECRET_RULES = """
controls:
  - id: SECRETS-01
    title: Rules that fail on any value
    claim: Nothing.
    description: Each rule fails on the secret.
    severity: high
    domain: cryptography
    evidence:
      - name: app.secret
    rules:
{rules}
    remediation: None.
""".format(
    rules="\n".join(
        f"      - id: {rule}\n        assert: {expression}"
        for rule, expression in {
            "convert": "int(app.secret.value) > 0",
            "key": "app.secret.by_value[app.secret.value + 'x'] == 1",
            "overload": "app.secret.value + 1 == 2",
            "result": "app.secret.value",
            "timestamp": "timestamp(app.secret.value) < now",
            "duration": "duration(app.secret.value) > duration('1s')",
            "duplicate": "'{app.secret.value: 1, app.secret.value + \"\": 2}.size() == 2'",
            "typo": "sizee(app.secret.values) > 0",
            "field": "app.secret.value.field == 1",
        }.items()
    )
)


@pytest.fixture(scope="module")
def secret_engines(tmp_path_factory) -> list[Engine]:
    from assay.cel import make_backend
    from tests.conftest import catalog_from_yaml

    catalog = catalog_from_yaml(SECRET_RULES, tmp_path_factory.mktemp("secrets"))
    return [Engine(catalog, backend=make_backend(name)) for name in ("native", "reference")]


@settings(max_examples=30)
@given(secret=st.text(min_size=1, max_size=40).map(lambda tail: f"S3CRET{tail}"))
def test_no_evaluation_error_shows_an_evidence_value(secret_engines: list[Engine], secret: str) -> None:
    """Whatever the evidence holds, no error of any rule (on either backend) quotes it."""
    evidence = InMemoryEvidence()
    evidence.add(
        "app.secret", {"value": secret, "values": [secret], "by_value": {secret: 1}}, collected_at=NOW
    )
    for engine in secret_engines:
        result = engine.evaluate(evidence, now=NOW).result("SECRETS-01")
        assert result.status is ControlStatus.ERROR
        assert len(result.errors) == 9
        assert not [error for error in result.errors if "S3CRET" in error]


# --- the status of one control, exactly ---------------------------------------------------------------

TWO_INPUTS = """
controls:
  - id: LOG-01
    title: Logs kept
    claim: Logs are kept.
    description: Trails and buckets.
    severity: medium
    domain: logging
    evidence:
      - name: aws.cloudtrail.trails
        max_age: 1d
      - name: aws.s3.buckets
    rules:
      - id: trails
        assert: size(aws.cloudtrail.trails.Trails) > 0
      - id: buckets
        for_each: aws.s3.buckets.Buckets
        resource_id: item.Name
        assert: item.Logging
    remediation: Keep logs.
  - id: LOG-02
    title: Checked in Python
    claim: A test checks it.
    description: A pytest test.
    severity: low
    domain: logging
    check: python
    evidence:
      - name: aws.s3.buckets
    remediation: Fix the test.
"""


def logs(trails: object, buckets: object, *, trails_at: datetime | None = NOW) -> InMemoryEvidence:
    evidence = InMemoryEvidence()
    evidence.add("aws.cloudtrail.trails", {"Trails": trails}, collected_at=trails_at)
    evidence.add("aws.s3.buckets", {"Buckets": buckets}, collected_at=NOW)
    return evidence


def test_a_failing_control_keeps_its_identity_and_every_finding(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    buckets = [
        {"Name": "a", "Logging": False},
        {"Name": "b", "Logging": True},
        {"Name": "c", "Logging": False},
    ]
    result = engine.evaluate(logs([], buckets), now=NOW).result("LOG-01")
    assert (result.status, result.reason, result.errors) == (ControlStatus.FAIL, None, ())
    assert (result.title, result.severity, result.domain) == ("Logs kept", "medium", "logging")
    assert [(f.rule, f.resource) for f in result.findings] == [
        ("trails", None),
        ("buckets", "a"),
        ("buckets", "c"),
    ]
    assert [use.name for use in result.evidence] == ["aws.cloudtrail.trails", "aws.s3.buckets"]


def test_an_error_in_one_rule_keeps_the_findings_of_the_others(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    result = engine.evaluate(logs([], [{"Name": "a", "Logging": "yes"}]), now=NOW).result("LOG-01")
    assert result.status is ControlStatus.ERROR
    assert [f.rule for f in result.findings] == ["trails"]
    assert len(result.errors) == 1
    assert result.reason == result.errors[0]
    assert result.reason.endswith(
        "rule buckets: resource a: wrong result type: assert must give a bool, not string"
    )
    assert (result.title, result.severity, result.domain) == ("Logs kept", "medium", "logging")


def test_every_missing_or_stale_input_is_named(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    evidence = InMemoryEvidence()
    evidence.add("aws.cloudtrail.trails", {"Trails": [1]}, collected_at=NOW - timedelta(days=2))
    result = engine.evaluate(evidence, now=NOW).result("LOG-01")
    assert result.status is ControlStatus.NOT_ASSESSED
    assert result.reason == (
        "evidence aws.cloudtrail.trails is from 2026-11-23T12:00:00+00:00, older than the 1d the control "
        "allows; evidence aws.s3.buckets is missing"
    )
    assert [(u.name, u.problem) for u in result.evidence] == [
        ("aws.cloudtrail.trails", "is from 2026-11-23T12:00:00+00:00, older than the 1d the control allows"),
        ("aws.s3.buckets", "missing"),
    ]


def test_evidence_exactly_as_old_as_allowed_is_fresh(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    edge = engine.evaluate(logs([1], [], trails_at=NOW - timedelta(days=1)), now=NOW).result("LOG-01")
    assert (edge.status, edge.reason) == (ControlStatus.PASS, None)
    # A naive collected_at is UTC: one second past the limit is stale.
    naive = (NOW - timedelta(days=1, seconds=1)).replace(tzinfo=None)
    stale = engine.evaluate(logs([1], [], trails_at=naive), now=NOW).result("LOG-01")
    assert stale.status is ControlStatus.NOT_ASSESSED
    # An offset is kept: 20 hours old, written at UTC-10 (a wall clock 30 hours behind NOW in UTC).
    west = (NOW - timedelta(hours=20)).astimezone(timezone(timedelta(hours=-10)))
    fresh = engine.evaluate(logs([1], [], trails_at=west), now=NOW).result("LOG-01")
    assert (fresh.status, fresh.reason) == (ControlStatus.PASS, None)


def test_a_python_checked_control_is_left_to_pytest(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    result = engine.evaluate(logs([1], []), now=NOW).result("LOG-02")
    assert (result.status, result.reason) == (
        ControlStatus.NOT_ASSESSED,
        "checked by a Python test in the pytest suite",
    )
    assert [use.name for use in result.evidence] == ["aws.s3.buckets"]
    missing = engine.evaluate(InMemoryEvidence(), now=NOW).result("LOG-02")
    assert (missing.status, missing.reason) == (
        ControlStatus.NOT_ASSESSED,
        "evidence aws.s3.buckets is missing",
    )


def test_the_companys_parameters_override_the_defaults(make_catalog) -> None:
    engine = Engine(make_catalog(PARAMETERISED))
    evidence = InMemoryEvidence()
    evidence.add("statuspage.components", [{"name": "API"}], collected_at=NOW)
    unset = engine.evaluate(evidence, now=NOW, parameters={"IR-04": {"minimum": None}}).result("IR-04")
    assert unset.reason == (
        "parameter minimum, production_services is not set: give this company's value in the parameters file"
    )
    kept = engine.evaluate(evidence, now=NOW, parameters={"IR-04": {"production_services": ["API"]}})
    assert (kept.result("IR-04").status, kept.result("IR-04").findings) == (ControlStatus.PASS, ())
    other = engine.evaluate(evidence, now=NOW, parameters={"IR-99": {"production_services": ["API"]}})
    assert other.result("IR-04").status is ControlStatus.NOT_ASSESSED


def test_unusable_evidence_is_an_error_that_lists_every_input(make_catalog) -> None:
    engine = Engine(make_catalog(TWO_INPUTS))
    future = logs([1], [], trails_at=NOW + timedelta(days=2))
    result = engine.evaluate(future, now=NOW).result("LOG-01")
    assert result.status is ControlStatus.ERROR
    assert result.errors == (result.reason,)
    assert (result.reason or "").startswith("evidence aws.cloudtrail.trails (in memory) ")
    assert [use.name for use in result.evidence] == ["aws.cloudtrail.trails", "aws.s3.buckets"]
    assert result.findings == ()
