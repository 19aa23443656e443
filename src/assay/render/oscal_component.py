"""The loaded controls as an OSCAL 1.1.2 ``component-definition``, for GRC tools that plan from OSCAL.

One component stands for the company's system. Its properties define each control's rules in the
convention compliance-trestle and compliance-to-policy read (``Rule_Id`` and ``Rule_Description``
grouped by a ``rule_set_N`` remark); its ``control-implementations`` hold one entry per framework, and
each requirement a control is mapped onto is an ``implemented-requirement`` naming its controls (with
their coverage) and their rule ids as properties.

Unlike an assessment, a component definition says nothing about a moment: its UUIDs come from what it
states, not from when it was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from assay._version import __version__
from assay.loading.catalog import Catalog
from assay.model import Control, Framework, Mapping
from assay.render.oscal_text import (
    OSCAL_VERSION,
    Json,
    line,
    prop,
    props,
    stable_uuid,
    timestamp,
    token,
    without_empty,
)

DEFAULT_TITLE = "The system assay assesses"


def component_definition(
    catalog: Catalog, *, now: datetime, frameworks: Sequence[str] | None = None, title: str = DEFAULT_TITLE
) -> Json:
    """The ``{"component-definition": ...}`` document of ``catalog``'s controls and mappings."""
    keys = list(frameworks) if frameworks is not None else sorted({m.framework for m in catalog.mappings})
    sources = {key: _framework_resource(catalog.frameworks[key]) for key in keys}
    mapped = {m.control for m in catalog.mappings if m.framework in keys}
    controls = [c for c in catalog.controls if c.id in mapped]
    component_body = without_empty(
        {
            "type": "this-system",
            "title": line(title, fallback=DEFAULT_TITLE),
            "description": (
                f"{line(title, fallback=DEFAULT_TITLE)}, as assay's {len(controls)} controls check it "
                "against evidence."
            ),
            "props": _rule_definitions(controls),
            "control-implementations": [
                _implementation(catalog, catalog.frameworks[key], sources[key]["uuid"]) for key in keys
            ],
        }
    )
    body = without_empty(
        {
            "components": [{"uuid": stable_uuid("component", component_body), **component_body}],
            "back-matter": {"resources": list(sources.values())},
        }
    )
    metadata = {
        "title": "assay component definition",
        "last-modified": timestamp(now),
        "version": __version__,
        "oscal-version": OSCAL_VERSION,
        "props": props(prop("tool", "assay"), prop("assay-version", __version__)),
    }
    document = {"uuid": stable_uuid("component-definition", body), "metadata": metadata, **body}
    return {"component-definition": document}


def _framework_resource(framework: Framework) -> Json:
    body = without_empty(
        {
            "title": line(f"{framework.name} {framework.version}"),
            "description": f"the framework assay knows as {framework.key!r}",
            "props": props(prop("framework", framework.key)),
            "citation": {"text": framework.source} if framework.source else None,
        }
    )
    return {"uuid": stable_uuid("framework", body), **body}


def _rule_definitions(controls: Sequence[Control]) -> list[Json]:
    """Each control's rules as ``Rule_Id`` / ``Rule_Description`` properties, one rule set each."""
    definitions: list[Json] = []
    for control in controls:
        for rule in control.rules:
            remark = f"rule_set_{len(definitions) // 2:03d}"
            for name, value in (("Rule_Id", _rule_id(control, rule.id)), ("Rule_Description", control.title)):
                entry = prop(name, value)
                if entry is not None:
                    definitions.append({**entry, "remarks": remark})
    return definitions


def _rule_id(control: Control, rule: str) -> str:
    return f"{control.id}/{rule}"


def _implementation(catalog: Catalog, framework: Framework, source: str) -> Json:
    by_requirement: dict[str, list[Mapping]] = defaultdict(list)
    for mapping in catalog.mappings:
        if mapping.framework == framework.key:
            by_requirement[mapping.requirement].append(mapping)
    order = [r.id for r in framework.requirements if r.id in by_requirement]
    implemented = [_implemented(catalog, framework, rid, by_requirement[rid]) for rid in order]
    body = without_empty(
        {
            "source": f"#{source}",
            "description": f"The requirements of {framework.name} that assay's controls implement.",
            "props": props(prop("framework", framework.key)),
            "implemented-requirements": implemented,
        }
    )
    return {"uuid": stable_uuid("control-implementation", framework.key, body), **body}


def _implemented(catalog: Catalog, framework: Framework, requirement: str, mappings: list[Mapping]) -> Json:
    title = catalog.requirement(framework.key, requirement).title
    lines = [f"- {m.control} ({m.coverage}): {line(m.rationale)}" for m in mappings]
    rule_props: list[Json | None] = [prop("requirement-id", requirement)]
    for mapping in mappings:
        control = catalog.control(mapping.control)
        rule_props.append(prop("control-id", control.id))
        rule_props += [prop("Rule_Id", _rule_id(control, rule.id)) for rule in control.rules]
    body = {
        "control-id": token(requirement),
        "description": f"{line(title)}\n\nImplemented by:\n" + "\n".join(lines),
        "props": props(*rule_props),
    }
    return {"uuid": stable_uuid("implemented-requirement", framework.key, body), **body}
