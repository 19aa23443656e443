"""A hostile project for the "no evidence in error messages" tests: evidence holding a canary secret,
and controls whose rules fail on it in every way the issue names.

The evidence keys are plain names (``owner``, ``by_owner``), not secret-looking ones, so redaction
does not hide the canary: wherever evidence leaks into an output, the canary shows.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

CANARY = "CANARY-5e1f0c2d"

EVIDENCE = {
    "owner": CANARY,
    "owners": [CANARY],
    "by_owner": {CANARY: 1},
    "users": [{"id": "u-1", "owner": f"{CANARY}-x"}],
    "count": 1,
}

_CONTROL = """\
  - id: {id}
    title: {title}
    claim: {title}.
    description: {title}.
    severity: high
    domain: cryptography
    evidence:
      - name: app.config
    rules:
{rules}
    remediation: Fix the rule.
"""

# Controls that fail lint: a typo in a function name, an undeclared variable.
INVALID = {
    "LEAK-TYPO": (
        "A function name with a typo",
        "      - id: typo\n        assert: sizee(app.config.owners) > 0",
    ),
    "LEAK-UNDECLARED": ("An undeclared variable", "      - id: undeclared\n        assert: nope.x == 1"),
}
# Controls that pass lint and fail when evaluated on the canary evidence.
FAILING = {
    "LEAK-KEY": (
        "A missing key",
        "      - id: missing\n        assert: app.config.missing == 1\n"
        "      - id: by-owner\n        for_each: app.config.users\n        resource_id: item.id\n"
        "        assert: app.config.by_owner[item.owner] == 1",
    ),
    "LEAK-OVERLOAD": (
        "A failing overload",
        "      - id: overload\n        assert: app.config.owner + 1 == 2",
    ),
    "LEAK-CONVERT": (
        "A failing conversion",
        "      - id: convert\n        assert: int(app.config.owner) > 0",
    ),
    "LEAK-RESULT": ("A rule that gives a string", "      - id: result\n        assert: app.config.owner"),
}
MAPPING = "framework: soc2\nmappings:\n  - requirement: CC6.1\n    controls: [{mapped}]\n"
MANIFEST = "evidence:\n  app/config.json:\n    collected_at: 2026-11-20T06:00:00Z\n"
PASSING = {"OK-01": ("A rule that holds", "      - id: counted\n        assert: app.config.count == 1")}


def controls_yaml(controls: dict[str, tuple[str, str]]) -> str:
    return "controls:\n" + "".join(
        _CONTROL.format(id=control_id, title=title, rules=rules)
        for control_id, (title, rules) in controls.items()
    )


def write_project(root: Path, *, invalid: bool = True) -> Path:
    """The hostile project in ``root`` (its assay.toml names everything); returns ``root``."""
    controls = {**(INVALID if invalid else {}), **FAILING, **PASSING}
    mapped = ", ".join(f"{{control: {c}, coverage: full, rationale: Test.}}" for c in controls)
    files = {
        "assay.toml": "\n".join(
            [
                'controls = "controls"',
                'mappings = "mappings"',
                'evidence = "evidence"',
                'builtin_controls = "none"',
                "now = 2026-11-25T00:00:00Z\n",
            ]
        ),
        "controls/leak.yaml": controls_yaml(controls),
        "mappings/soc2.yaml": MAPPING.format(mapped=mapped),
        "evidence/app/config.json": json.dumps(EVIDENCE),
        "evidence/assay-manifest.yaml": MANIFEST,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def pack_texts(data: bytes) -> dict[str, str]:
    """Every file of a pack, by name, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}
