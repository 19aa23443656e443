"""Test-side checks of a SARIF log: the SARIF 2.1.0 objects assay writes, and GitHub's upload rules.

The OASIS schema file is not copied here (its licence is the OASIS IPR policy, not one that lets a
copy ship in this repository), so ``SARIF_SUBSET`` is a JSON Schema written from the SARIF 2.1.0
specification for the objects and properties assay writes. Each object is closed (as in the
specification's own schema, only property bags are open), so a misspelt or misplaced property fails.

``github_problems`` is the checklist of GitHub's "SARIF support for code scanning" page: the required
properties, the upload limits and what code scanning needs to place and track an alert.
"""

from __future__ import annotations

import re
from typing import Any

Json = dict[str, Any]


def _closed(properties: Json, required: list[str] | None = None, **more: Any) -> Json:
    schema: Json = {"type": "object", "properties": properties, "additionalProperties": False, **more}
    if required:
        schema["required"] = required
    return schema


def _ref(name: str) -> Json:
    return {"$ref": f"#/$defs/{name}"}


_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_PROPERTY_BAG = {
    "type": "object",
    "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}},
}
_DEFS: Json = {
    "message": _closed(
        {"text": {"type": "string"}, "markdown": {"type": "string"}, "id": {"type": "string"}},
        anyOf=[{"required": ["text"]}, {"required": ["id"]}],
    ),
    "multiformatMessageString": _closed(
        {"text": {"type": "string"}, "markdown": {"type": "string"}}, ["text"]
    ),
    "artifactLocation": _closed(
        {
            "uri": {"type": "string", "format": "uri-reference"},
            "uriBaseId": {"type": "string"},
            "index": {"type": "integer", "minimum": -1},
            "description": _ref("message"),
        }
    ),
    "region": _closed(
        {
            "startLine": {"type": "integer", "minimum": 1},
            "startColumn": {"type": "integer", "minimum": 1},
            "endLine": {"type": "integer", "minimum": 1},
            "endColumn": {"type": "integer", "minimum": 1},
        }
    ),
    "physicalLocation": _closed(
        {"artifactLocation": _ref("artifactLocation"), "region": _ref("region")},
        anyOf=[{"required": ["artifactLocation"]}, {"required": ["address"]}],
    ),
    "location": _closed(
        {
            "id": {"type": "integer", "minimum": -1},
            "physicalLocation": _ref("physicalLocation"),
            "message": _ref("message"),
        }
    ),
    "reportingDescriptorReference": _closed(
        {"id": {"type": "string"}, "index": {"type": "integer", "minimum": -1}},
        anyOf=[{"required": ["index"]}, {"required": ["id"]}],
    ),
    "reportingDescriptor": _closed(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "shortDescription": _ref("multiformatMessageString"),
            "fullDescription": _ref("multiformatMessageString"),
            "help": _ref("multiformatMessageString"),
            "helpUri": {"type": "string", "format": "uri"},
            "defaultConfiguration": _closed({"level": _LEVEL, "enabled": {"type": "boolean"}}),
            "properties": _PROPERTY_BAG,
        },
        ["id"],
    ),
    "suppression": _closed(
        {
            "kind": {"enum": ["inSource", "external"]},
            "status": {"enum": ["accepted", "underReview", "rejected"]},
            "justification": {"type": "string"},
        },
        ["kind"],
    ),
    "result": _closed(
        {
            "ruleId": {"type": "string"},
            "ruleIndex": {"type": "integer", "minimum": -1},
            "level": _LEVEL,
            "message": _ref("message"),
            "locations": {"type": "array", "items": _ref("location")},
            "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
            "suppressions": {"type": "array", "items": _ref("suppression"), "uniqueItems": True},
            "properties": _PROPERTY_BAG,
        },
        ["message"],
    ),
    "notification": _closed(
        {
            "level": _LEVEL,
            "message": _ref("message"),
            "locations": {"type": "array", "items": _ref("location")},
            "associatedRule": _ref("reportingDescriptorReference"),
        },
        ["message"],
    ),
    "invocation": _closed(
        {
            "executionSuccessful": {"type": "boolean"},
            "endTimeUtc": {"type": "string", "format": "date-time"},
            "toolExecutionNotifications": {"type": "array", "items": _ref("notification")},
        },
        ["executionSuccessful"],
    ),
    "toolComponent": _closed(
        {
            "name": {"type": "string"},
            "version": {"type": "string"},
            "rules": {"type": "array", "items": _ref("reportingDescriptor"), "uniqueItems": True},
        },
        ["name"],
    ),
    "run": _closed(
        {
            "tool": _closed({"driver": _ref("toolComponent")}, ["driver"]),
            "originalUriBaseIds": {"type": "object", "additionalProperties": _ref("artifactLocation")},
            "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            "invocations": {"type": "array", "items": _ref("invocation")},
            "results": {"type": "array", "items": _ref("result")},
            "properties": _PROPERTY_BAG,
        },
        ["tool"],
    ),
}
SARIF_SUBSET: Json = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **_closed(
        {
            "$schema": {"type": "string", "format": "uri"},
            "version": {"const": "2.1.0"},
            "runs": {"type": ["array", "null"], "items": _ref("run")},
        },
        ["version", "runs"],
    ),
    "$defs": _DEFS,
}

# GitHub's limits ("SARIF support for code scanning", "Validating your SARIF file").
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 10  # GitHub's result table: "up to a maximum of 10"
MAX_TAGS = 20
MAX_DESCRIPTION = 1024
MAX_NAME = 255
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def github_problems(log: Json) -> list[str]:
    """Each way ``log`` breaks GitHub's documented rules for code scanning uploads (empty: none)."""
    problems = [f"sarifLog needs {key}" for key in ("$schema", "version", "runs") if not log.get(key)]
    if log.get("version") != "2.1.0":
        problems.append(f"version {log.get('version')!r} is not 2.1.0")
    runs = log.get("runs") or []
    if len(runs) > MAX_RUNS:
        problems.append(f"{len(runs)} runs, more than {MAX_RUNS}")
    for run in runs:
        problems += _run_problems(run)
    return problems


def _run_problems(run: Json) -> list[str]:
    driver = run.get("tool", {}).get("driver", {})
    rules = driver.get("rules", [])
    problems = [] if driver.get("name") else ["tool.driver needs a name"]
    if len(rules) > MAX_RULES:
        problems.append(f"{len(rules)} rules, more than {MAX_RULES}")
    for rule in rules:
        problems += _rule_problems(rule)
    results = run.get("results")
    if results is None:
        return [*problems, "run needs results"]
    if len(results) > MAX_RESULTS:
        problems.append(f"{len(results)} results, more than {MAX_RESULTS}")
    for number, result in enumerate(results):
        problems += [f"result {number}: {p}" for p in _result_problems(result, rules)]
    return problems


def _rule_problems(rule: Json) -> list[str]:
    where = f"rule {rule.get('id')!r}"
    problems = [] if rule.get("id") else [f"{where} needs an id"]
    for key in ("shortDescription", "fullDescription", "help"):
        text = rule.get(key, {}).get("text", "")
        if not text:
            problems.append(f"{where} needs {key}.text")
        if key != "help" and len(text) > MAX_DESCRIPTION:
            problems.append(f"{where} {key} is longer than {MAX_DESCRIPTION}")
    if len(rule.get("name", "")) > MAX_NAME:
        problems.append(f"{where} name is longer than {MAX_NAME}")
    properties = rule.get("properties", {})
    if len(properties.get("tags", [])) > MAX_TAGS:
        problems.append(f"{where} has more than {MAX_TAGS} tags")
    score = properties.get("security-severity")
    if score is not None and not (isinstance(score, str) and _score_in_range(score)):
        problems.append(f"{where} security-severity {score!r} is not a number as a string in (0, 10]")
    return problems


def _score_in_range(score: str) -> bool:
    try:
        return 0.0 < float(score) <= 10.0
    except ValueError:
        return False


def _result_problems(result: Json, rules: list[Json]) -> list[str]:
    problems = []
    rule_id, index = result.get("ruleId"), result.get("ruleIndex")
    if not rule_id:
        problems.append("needs a ruleId")
    if index is not None and not (0 <= index < len(rules) and rules[index].get("id") == rule_id):
        problems.append(f"ruleIndex {index} does not point at rule {rule_id!r}")
    if not result.get("message", {}).get("text"):
        problems.append("needs message.text")
    locations = result.get("locations") or []
    if not 1 <= len(locations) <= MAX_LOCATIONS:
        problems.append(f"has {len(locations)} locations, not 1 to {MAX_LOCATIONS}")
    for location in locations:
        problems += _location_problems(location)
    if not result.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        problems.append("needs partialFingerprints.primaryLocationLineHash")
    return problems


def _location_problems(location: Json) -> list[str]:
    physical = location.get("physicalLocation", {})
    uri = physical.get("artifactLocation", {}).get("uri", "")
    problems = []
    if not uri or uri.startswith("/") or _SCHEME.match(uri) or ".." in uri.split("/"):
        problems.append(f"uri {uri!r} is not relative to the repository root")
    region = physical.get("region", {})
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        if not isinstance(region.get(key), int) or region[key] < 1:
            problems.append(f"region needs {key}")
    return problems
