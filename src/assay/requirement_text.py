"""A requirement's text as data: the parameters it leaves to the organisation and the parts of its wording.

Frameworks read from OSCAL catalogs (NIST SP 800-53, FedRAMP baselines) keep their controls' statements
this way: a ``statement`` part whose ``item`` parts are lettered and numbered, a ``guidance`` part, and
parameters (``ac-02_odp.01``, "prerequisites and criteria") that the prose names with insertions such
as ``{{ insert: param, ac-02_odp.01 }}``. Readers see the prose with each insertion replaced by the
parameter's values when the catalog sets them, else by its selection or its label
(:func:`with_parameters`, :func:`parameter_text`); :func:`part_lines` gives the whole text, line by
line, for display (``assay explain`` and the HTML report show it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal

from assay.records import Record, Spec, record

PARAMETER_INSERTION = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
MAX_PART_DEPTH = 8  # items within items: NIST's statements go three deep
_PARAMETER_DEPTH = 2  # a selection's choice may name another parameter, which is shown by its label

ParameterId = Annotated[str, Spec(pattern=r"^\S+$", max_length=128)]


@record
class RequirementParameter(Record):
    """A value the requirement leaves to the organisation (an OSCAL ``param``)."""

    id: Annotated[ParameterId, Spec(description="How the requirement's prose names it, e.g. ac-02_odp.01.")]
    label: Annotated[str | None, Spec(description="What it stands for, e.g. 'personnel or roles'.")] = None
    values: Annotated[tuple[str, ...], Spec(description="Its values, when the catalog sets them.")] = ()
    choices: Annotated[tuple[str, ...], Spec(description="For a selection: the choices offered.")] = ()
    how_many: Annotated[
        Literal["one", "one-or-more"] | None,
        Spec(description="For a selection: how many of its choices apply."),
    ] = None
    guidelines: Annotated[tuple[str, ...], Spec(description="How to choose its value.")] = ()


@record
class RequirementPart(Record):
    """A part of a requirement's wording (an OSCAL ``part``): its statement, an item of it, its guidance."""

    name: Annotated[str, Spec(description="statement, item, guidance, ...")]
    label: Annotated[str | None, Spec(description="Its label in the text, e.g. 'a.' or '1.'.")] = None
    prose: Annotated[
        str | None,
        Spec(description="Its text: {{ insert: param, ID }} names one of the requirement's parameters."),
    ] = None
    parts: tuple[RequirementPart, ...] = ()


def _parameter_text(
    parameter: RequirementParameter | None,
    ident: str,
    parameters: Mapping[str, RequirementParameter],
    depth: int,
) -> str:
    """What stands in the prose for a parameter: its values, else its selection, else its label."""
    if parameter is None:
        return f"[Assignment: {ident}]"
    if parameter.values:
        return ", ".join(parameter.values)
    if parameter.choices:
        how = "one or more" if parameter.how_many == "one-or-more" else "one"
        shown = [_inserted(choice, parameters, depth + 1) for choice in parameter.choices]
        return f"[Selection ({how}): {'; '.join(shown)}]"
    return f"[Assignment: {parameter.label or ident}]"


def parameter_text(parameter: RequirementParameter, parameters: Mapping[str, RequirementParameter]) -> str:
    """What stands in the prose for ``parameter``: ``at least annually``, ``[Assignment: frequency]``, or
    ``[Selection (one): remove; disable]``; ``parameters`` are the others its choices may name."""
    return _parameter_text(parameter, parameter.id, parameters, 0)


def with_parameters(prose: str, parameters: Mapping[str, RequirementParameter]) -> str:
    """``prose`` with each parameter insertion replaced by the parameter's text, on one line."""
    return _inserted(prose, parameters, 0)


def _inserted(prose: str, parameters: Mapping[str, RequirementParameter], depth: int) -> str:
    def replace(match: re.Match[str]) -> str:
        ident = match.group(1)
        if depth >= _PARAMETER_DEPTH:
            found = parameters.get(ident)
            return f"[Assignment: {found.label if found is not None and found.label else ident}]"
        return _parameter_text(parameters.get(ident), ident, parameters, depth)

    return " ".join(PARAMETER_INSERTION.sub(replace, prose).split())


def part_lines(
    parts: Sequence[RequirementPart], parameters: Sequence[RequirementParameter]
) -> list[tuple[int, str]]:
    """Every part's label and prose (parameters in place) as ``(depth, line)``: the statement's items
    one level in, their sub-items two; a guidance part's text starts with "Guidance:"."""
    known = {p.id: p for p in parameters}
    lines: list[tuple[int, str]] = []
    for part in parts:
        lines += _lines(part, known, 0)
    return lines


def _lines(
    part: RequirementPart, parameters: Mapping[str, RequirementParameter], depth: int
) -> list[tuple[int, str]]:
    text = with_parameters(part.prose, parameters) if part.prose else ""
    if part.name == "guidance" and text:
        text = f"Guidance: {text}"
    line = " ".join(piece for piece in (part.label or "", text) if piece)
    out = [(depth, line)] if line else []
    below = depth + 1 if line else depth
    if depth < MAX_PART_DEPTH:
        for sub in part.parts:
            out += _lines(sub, parameters, below)
    return out


def inserted_ids(parts: Sequence[RequirementPart]) -> list[str]:
    """The ids of the parameters the parts' prose inserts, in order of first appearance."""
    found: dict[str, None] = {}
    pending = list(parts)
    while pending:
        part = pending.pop(0)
        found.update(dict.fromkeys(PARAMETER_INSERTION.findall(part.prose or "")))
        pending = list(part.parts) + pending
    return list(found)
