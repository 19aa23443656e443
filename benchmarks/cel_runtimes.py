"""Cost of one rule evaluation on one resource, per CEL runtime, in one process on the same data.

Runtimes: hand-written Python (the baseline), assay's native backend (its bare program, as the engine
runs it, and `assay.cel.compile(expr).evaluate(vars)`, the public API as a user calls it),
cel-python's InterpretedRunner and CompiledRunner, and, when installed (`pip install -e '.[bench]'`),
cel-rust (`common-expression-language`), cel-cpp (`cel-expr-python`) and regorus
(`hobofan-regorus`, a Rego interpreter, on a Rego policy written for each rule: REGO below). Rules: the
four of DESIGN.md and rules of the built-in catalog, each on a resource taken from the bundled
example evidence. Every runtime's answer is checked against hand-written Python before it is timed.

Each figure is the best of several timed batches, in microseconds per evaluation, with the ratio to
hand-written Python on the same rule. Nothing here is converted per evaluation that a real run
would convert once: cel-python gets its values converted beforehand, as assay's engine does.

regorus takes its input as JSON: the resource (and `now`) are given per evaluation, the rest of the
variables (the evidence, the parameters) once as data, as a Rego user would.

Usage: python benchmarks/cel_runtimes.py [--markdown] [--quick]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    name: str
    expression: str
    variables: dict[str, Any]
    python: Callable[[dict[str, Any]], bool]
    custom: bool = False  # uses assay's custom functions (not available to other runtimes)


VOLUME = {"VolumeId": "vol-0c1d2e3f4a5b60001", "Encrypted": True, "Size": 100, "State": "in-use"}
INSTANCE = {
    "InstanceId": "i-0a1b2c3d4e5f60001",
    "Tags": [
        {"Key": "Team", "Value": "data"},
        {"Key": "Env", "Value": "prod"},
        {"Key": "Name", "Value": "api-1"},
    ],
    "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
}
USER = {"user": "alice", "password_enabled": "true", "mfa_active": "true", "access_key_1_active": "false"}
KEY = {"KeyId": "0f1e2d3c", "KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeyRotationEnabled": True}
GROUP = {
    "GroupId": "sg-0a1b2c3d",
    "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
    ],
}
ALERT = {
    "number": 17,
    "state": "open",
    "security_advisory": {"severity": "medium"},
    "created_at": "2026-11-20T08:00:00Z",
}

CASES = [
    # The four rules of DESIGN.md's table.
    Case(
        "EBS volume encrypted",
        "item.Encrypted == true",
        {"item": VOLUME},
        lambda v: v["item"]["Encrypted"] is True,
    ),
    Case(
        "tag exists",
        "item.Tags.exists(t, t.Key == 'Name')",
        {"item": INSTANCE},
        lambda v: any(t["Key"] == "Name" for t in v["item"]["Tags"]),
    ),
    Case(
        "user MFA",
        "item.password_enabled != 'true' || item.mfa_active == 'true'",
        {"item": USER},
        # password_enabled is a credential-report flag compared with "true", not a secret.
        lambda v: v["item"]["password_enabled"] != "true" or v["item"]["mfa_active"] == "true",  # noqa: S105
    ),
    Case(
        "key rotation",
        "item.KeyManager != 'CUSTOMER' || item.KeyState != 'Enabled' || item.KeyRotationEnabled == true",
        {"item": KEY},
        lambda v: (
            v["item"]["KeyManager"] != "CUSTOMER"
            or v["item"]["KeyState"] != "Enabled"
            or v["item"]["KeyRotationEnabled"] is True
        ),
    ),
    # Rules shaped like the built-in catalog's.
    Case(
        "no SSH from anywhere",
        "!item.IpPermissions.exists(p, p.FromPort <= 22 && p.ToPort >= 22 && "
        "p.IpRanges.exists(r, r.CidrIp == '0.0.0.0/0'))",
        {"item": GROUP},
        lambda v: (
            not any(
                p["FromPort"] <= 22 <= p["ToPort"] and any(r["CidrIp"] == "0.0.0.0/0" for r in p["IpRanges"])
                for p in v["item"]["IpPermissions"]
            )
        ),
    ),
    Case(
        "IMDSv2 required",
        "item.MetadataOptions.HttpTokens == 'required'",
        {"item": INSTANCE},
        lambda v: v["item"]["MetadataOptions"]["HttpTokens"] == "required",
    ),
    Case(
        "alert within SLA",
        "item.state != 'open' || item.security_advisory.severity in ['low', 'medium'] || "
        "now - timestamp(item.created_at) <= duration('168h')",
        {"item": ALERT, "now": NOW},
        lambda v: (
            v["item"]["state"] != "open"
            or v["item"]["security_advisory"]["severity"] in ("low", "medium")
            or v["now"] - datetime.fromisoformat(v["item"]["created_at"]) <= timedelta(hours=168)
        ),
    ),
    Case(
        "volume size bound",
        "item.State != 'in-use' || item.Size <= 16384",
        {"item": VOLUME},
        lambda v: v["item"]["State"] != "in-use" or v["item"]["Size"] <= 16384,
    ),
    Case(
        "access key inactive",
        "item.access_key_1_active == 'false'",
        {"item": USER},
        lambda v: v["item"]["access_key_1_active"] == "false",
    ),
    Case(
        "days helper",
        "now - timestamp(item.created_at) < days(90)",
        {"item": ALERT, "now": NOW},
        lambda v: v["now"] - datetime.fromisoformat(v["item"]["created_at"]) < timedelta(days=90),
        custom=True,
    ),
]


# Rules of the built-in catalog, by (control, rule), each with the same check written by hand. The
# CEL is read from the catalog itself; each runs on the first resource its for_each gives on the
# bundled example's evidence.
CATALOG_RULES: list[tuple[str, str, Callable[[dict[str, Any]], bool], bool]] = [
    ("CRYPTO-01", "volume-encrypted", lambda v: v["item"]["Encrypted"] is True, False),
    ("IAM-02", "console-login-has-mfa", lambda v: v["item"]["mfa_active"].lower() == "true", True),
    ("NET-02", "database-private", lambda v: v["item"]["PubliclyAccessible"] is False, False),
    (
        "CRYPTO-06",
        "instance-encrypted",
        lambda v: v["item"]["StorageEncrypted"] is True and v["item"].get("KmsKeyId", "") != "",
        False,
    ),
    (
        "LOG-02",
        "retention-one-year",
        lambda v: "retentionInDays" not in v["item"] or v["item"]["retentionInDays"] >= 365,
        False,
    ),
    (
        "CRYPTO-07",
        "no-severe-findings",
        lambda v: v["item"]["severity"] not in ("HIGH", "CRITICAL", "FATAL"),
        False,
    ),
    (
        "LOG-05",
        "alarm-notifies",
        lambda v: v["item"]["ActionsEnabled"] is True and len(v["item"]["AlarmActions"]) > 0,
        False,
    ),
    (
        "SDLC-04",
        "no-high-risk-alert",
        lambda v: not any(a["riskcode"] == "3" and a["confidence"] != "0" for a in v["item"]["alerts"]),
        False,
    ),
    (
        "PRIV-02",
        "databases-in-region",
        lambda v: (
            "AvailabilityZone" in v["item"]
            and re.fullmatch(
                r"(eu-west-1|eu-west-3|eu-central-1|eu-north-1|eu-south-1|eu-south-2)[a-z]",
                v["item"]["AvailabilityZone"],
            )
            is not None
        ),
        False,
    ),
    (
        "VULN-06",
        "scanned-recently",
        lambda v: v["now"] - datetime.fromisoformat(v["item"]["OperationEndTime"]) <= timedelta(days=14),
        True,
    ),
    (
        "SDLC-01",
        "admins-included",
        lambda v: not isinstance(v["item"]["p"], dict) or v["item"]["p"]["enforce_admins"]["enabled"] is True,
        False,
    ),
]


# The same rules in Rego, for regorus: each defines `allow` (default false) over `input.item`,
# `input.now` (RFC 3339) and `data.vars` (the other variables). By case name.
_NS = "time.parse_rfc3339_ns"
REGO: dict[str, str] = {
    "EBS volume encrypted": "allow if input.item.Encrypted == true",
    "tag exists": 'allow if {\n some t in input.item.Tags\n t.Key == "Name"\n}',
    "user MFA": 'allow if input.item.password_enabled != "true"\nallow if input.item.mfa_active == "true"',
    "key rotation": (
        'allow if input.item.KeyManager != "CUSTOMER"\nallow if input.item.KeyState != "Enabled"\n'
        "allow if input.item.KeyRotationEnabled == true"
    ),
    "no SSH from anywhere": (
        "allow if not open_ssh\nopen_ssh if {\n some p in input.item.IpPermissions\n p.FromPort <= 22\n"
        ' p.ToPort >= 22\n some r in p.IpRanges\n r.CidrIp == "0.0.0.0/0"\n}'
    ),
    "IMDSv2 required": 'allow if input.item.MetadataOptions.HttpTokens == "required"',
    "alert within SLA": (
        'allow if input.item.state != "open"\n'
        'allow if input.item.security_advisory.severity in {"low", "medium"}\n'
        f'allow if {_NS}(input.now) - {_NS}(input.item.created_at) <= time.parse_duration_ns("168h")'
    ),
    "volume size bound": 'allow if input.item.State != "in-use"\nallow if input.item.Size <= 16384',
    "access key inactive": 'allow if input.item.access_key_1_active == "false"',
    "days helper": f"allow if {_NS}(input.now) - {_NS}(input.item.created_at) < 90 * 86400 * 1000000000",
    "CRYPTO-01 volume-encrypted": "allow if input.item.Encrypted == true",
    "IAM-02 console-login-has-mfa": 'allow if lower(input.item.mfa_active) == "true"',
    "NET-02 database-private": "allow if input.item.PubliclyAccessible == false",
    "CRYPTO-06 instance-encrypted": (
        'allow if {\n input.item.StorageEncrypted == true\n input.item.KmsKeyId != ""\n}'
    ),
    "LOG-02 retention-one-year": (
        'allow if not "retentionInDays" in object.keys(input.item)\n'
        "allow if input.item.retentionInDays >= 365"
    ),
    "CRYPTO-07 no-severe-findings": 'allow if not input.item.severity in {"HIGH", "CRITICAL", "FATAL"}',
    "LOG-05 alarm-notifies": (
        "allow if {\n input.item.ActionsEnabled == true\n count(input.item.AlarmActions) > 0\n}"
    ),
    "SDLC-04 no-high-risk-alert": (
        "allow if not risky\n"
        'risky if {\n some a in input.item.alerts\n a.riskcode == "3"\n a.confidence != "0"\n}'
    ),
    "PRIV-02 databases-in-region": (
        "allow if {\n some r in data.vars.params.allowed_regions\n is_string(r)\n"
        ' regex.match(concat("", ["^", r, "([a-z]|-[a-z0-9-]+)$"]), input.item.AvailabilityZone)\n}'
    ),
    "VULN-06 scanned-recently": (
        f"allow if {_NS}(input.now) - {_NS}(input.item.OperationEndTime) <= 14 * 86400 * 1000000000"
    ),
    "SDLC-01 admins-included": (
        "allow if not is_object(input.item.p)\nallow if input.item.p.enforce_admins.enabled == true"
    ),
}


def catalog_cases() -> list[Case]:
    """The CATALOG_RULES as cases: the catalog's CEL, the example's data, the hand-written check."""
    import assay
    from assay.cel import make_backend
    from assay.loaded_project import load_project

    catalog = assay.builtin_catalog()
    project = load_project(catalog=catalog)
    evidence = project.require_evidence()
    native = make_backend("native")
    cases = []
    for control_id, rule_id, python, custom in CATALOG_RULES:
        control = catalog.control(control_id)
        rule = next(r for r in control.rules if r.id == rule_id)
        tree: dict[str, Any] = {}
        for requirement in control.evidence:
            item = evidence.get(requirement.name)
            if item is None:
                continue
            node = tree
            *parents, leaf = requirement.name.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = item.data
        variables: dict[str, Any] = {**tree, "now": NOW}
        values = {**control.parameters, **project.parameters.get(control_id, {})}
        if values:  # the company's parameters, as the engine gives them to rules
            variables["params"] = values
        assert rule.for_each is not None
        first = native.compile(rule.for_each).run(variables)[0]
        cases.append(
            Case(f"{control_id} {rule_id}", rule.assert_, {**variables, "item": first}, python, custom)
        )
    return cases


BUDGET = {"seconds": 0.2}  # per timed batch; --quick lowers it


def per_call(function: Callable[[], Any], budget: float | None = None) -> float:
    """Best time per call in microseconds over a few batches of about ``budget`` seconds each."""
    budget = BUDGET["seconds"] if budget is None else budget
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            function()
        elapsed = time.perf_counter() - start
        if elapsed > budget / 4:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(4):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1e6


def measure_assay(case: Case, backend_name: str) -> float:
    from assay.cel import make_backend

    # As the engine makes it: its bindings never have qualified names (evidence names become trees).
    backend = make_backend(backend_name, qualified_names=False)
    program = backend.compile(case.expression)
    native = {k: backend.native(v) for k, v in case.variables.items()}
    assert backend.python(program.run(native)) is case.python(case.variables), case.name
    return per_call(lambda: program.run(native))


def measure_public(case: Case) -> float:
    """The public API as a user calls it: compile once, then evaluate(variables) per resource."""
    import assay.cel

    program = assay.cel.compile(case.expression)
    assert program.evaluate(case.variables) is case.python(case.variables), case.name
    return per_call(lambda: program.evaluate(case.variables))


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(f"cannot give {type(value).__name__} to regorus")


def measure_regorus(case: Case) -> float | None:
    try:
        import hobofan_regorus
    except ImportError:
        return None
    policy = REGO.get(case.name)
    if policy is None:
        return None
    engine = hobofan_regorus.Engine()
    engine.add_policy("bench.rego", "package bench\nimport rego.v1\ndefault allow := false\n" + policy + "\n")
    rest = {k: v for k, v in case.variables.items() if k not in ("item", "now")}
    engine.add_data_json(json.dumps({"vars": rest}, default=_json_default))
    given = {k: v for k, v in case.variables.items() if k in ("item", "now")}

    def evaluate() -> Any:
        # JSON, not set_input(dict): the binding turns Python's True into 1.0.
        engine.set_input_json(json.dumps(given, default=_json_default))
        return engine.eval_rule("data.bench.allow")

    assert evaluate() is case.python(case.variables), case.name
    return per_call(evaluate)


def measure_celpy_compiled(case: Case) -> float | None:
    """cel-python's CompiledRunner: its parser is a process-wide singleton built for one tree class,
    so it is rebuilt here for the transpiler's tree class after the interpreted measurements."""
    if case.custom:
        return None  # CompiledRunner needs custom functions importable by module path
    import celpy
    from celpy.adapter import json_to_cel
    from celpy.celparser import CELParser

    limit = sys.getrecursionlimit()
    CELParser.CEL_PARSER = None
    env = celpy.Environment(runner_class=celpy.CompiledRunner)
    sys.setrecursionlimit(limit)
    program = env.program(env.compile(case.expression))
    native = {k: json_to_cel(v) for k, v in case.variables.items()}
    assert bool(program.evaluate(native)) is case.python(case.variables), case.name
    return per_call(lambda: program.evaluate(native))


def measure_rust(case: Case) -> float | None:
    try:
        import cel
    except ImportError:
        return None
    if case.custom:
        return None
    program = cel.compile(case.expression)
    assert program.execute(case.variables) is case.python(case.variables), case.name
    return per_call(lambda: program.execute(case.variables))


def measure_cpp(case: Case) -> float | None:
    try:
        from cel_expr_python import cel as cpp
    except ImportError:
        return None
    if case.custom:
        return None
    types = {name: (cpp.Type.TIMESTAMP if name == "now" else cpp.Type.DYN) for name in case.variables}
    env = cpp.NewEnv(variables=types)
    expression = env.compile(case.expression)
    assert expression.eval(data=case.variables).plain_value() is case.python(case.variables), case.name
    return per_call(lambda: expression.eval(data=case.variables))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--quick", action="store_true", help="shorter timed batches (about a minute in all)")
    args = parser.parse_args()
    if args.quick:
        BUDGET["seconds"] = 0.04
    columns = [
        "python",
        "assay native",
        "assay API",
        "cel-python interpreted",
        "cel-rust",
        "cel-cpp",
        "regorus",
        "cel-python compiled",
    ]
    rows: list[tuple[str, dict[str, float | None]]] = []
    cases = [*CASES, *catalog_cases()]
    for case in cases:
        row: dict[str, float | None] = {"python": per_call(lambda c=case: c.python(c.variables))}
        row["assay native"] = measure_assay(case, "native")
        row["assay API"] = measure_public(case)
        row["cel-python interpreted"] = measure_assay(case, "reference")
        row["cel-rust"] = measure_rust(case)
        row["cel-cpp"] = measure_cpp(case)
        row["regorus"] = measure_regorus(case)
        rows.append((case.name, row))
    # Last: it replaces cel-python's process-wide parser.
    for (_, row), case in zip(rows, cases, strict=True):
        row["cel-python compiled"] = measure_celpy_compiled(case)

    def cell(value: float | None, base: float) -> str:
        return "n/a" if value is None else f"{value:.2f} ({value / base:.1f}x)"

    if args.markdown:
        print("| rule | " + " | ".join(columns) + " |")
        print("|---|" + "---|" * len(columns))
    for name, row in rows:
        base = row["python"] or 1.0
        cells = [cell(row[c], base) for c in columns]
        if args.markdown:
            print(f"| {name} | " + " | ".join(cells) + " |")
        else:
            print(f"{name:24} " + "  ".join(f"{c}: {v}" for c, v in zip(columns, cells, strict=True)))
    summary = []
    for column in columns[1:]:
        ratios = [row[column] / row["python"] for _, row in rows if row[column] is not None and row["python"]]
        if ratios:
            summary.append(f"{column}: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.1f}x")
    native_vs_cpp = [
        row["cel-cpp"] / row["assay native"] for _, row in rows if row["cel-cpp"] and row["assay native"]
    ]
    print()
    print("geometric mean, ratio to hand-written Python: " + ", ".join(summary))
    if native_vs_cpp:
        faster = sum(ratio > 1 for ratio in native_vs_cpp)
        print(f"assay native faster than cel-cpp on {faster} of {len(native_vs_cpp)} rules")


if __name__ == "__main__":
    main()
