"""Any OSCAL catalog (or resolved profile catalog) as a framework: NIST SP 800-53, FedRAMP baselines, ...

- groups become headings, nested as they are;
- controls and control enhancements become requirements with their OSCAL ids (``ac-2``, ``ac-2.1``),
  titled with the label a reader knows them by (``AC-2 Account Management``, ``AC-2(1) ...``);
- a withdrawn control is kept, marked withdrawn: superseded by the control it was incorporated into or
  moved to (from the catalog's publication, when the catalog gives its date), or, without a successor
  in the catalog, superseded at any date: never assessed and never a gap;
- each control's parameters and its statement and guidance parts are kept as data (the requirement's
  ``parameters`` and ``parts``, :mod:`assay.requirement_text`), and as text, parameters in place, in
  its description; assessment objectives and methods are not kept.

The framework's key is the file's name, lower-cased (``nist-800-53-moderate.json`` is framework
``nist-800-53-moderate``), which is what mapping files name. Every problem is a diagnostic at its
JSON path; mappings and reports then treat the framework like any other.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from assay.errors import Diagnostic, Severity
from assay.loading.documents import Located, SourceRef, validation_diagnostics
from assay.model import FrameworkInfo, Requirement, RequirementParameter, RequirementPart
from assay.requirement_text import MAX_PART_DEPTH, inserted_ids, part_lines
from assay.yamlsource import PathKey, YamlDocument

SUPPORTED_VERSIONS = re.compile(r"^1\.\d+\.\d+(?:[-+].*)?$")
OTHER_MODELS = (
    "profile",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
    "mapping-collection",
)
_KEY_CHARACTERS = re.compile(r"[^a-z0-9]+")
_SUCCESSOR_LINKS = ("incorporated-into", "moved-to")
_SHOWN_PARTS = ("statement", "guidance")

Framework = tuple[Located[FrameworkInfo], list[Located[Requirement]]]


def not_a_catalog(data: Any) -> str | None:
    """Why a document is not an OSCAL catalog assay can read, or ``None`` when it is one."""
    if isinstance(data, dict) and "catalog" in data:
        return None
    found = next((name for name in OTHER_MODELS if isinstance(data, dict) and name in data), None)
    if found == "profile":
        return (
            "an OSCAL profile, not a catalog: resolve it into a catalog first "
            "(trestle author profile-resolve, or oscal-cli profile resolve)"
        )
    if found is not None:
        return f"an OSCAL {found}, not a catalog"
    return "not an OSCAL catalog: expected a top-level 'catalog'"


def framework_key(file: Path) -> str:
    """The framework key of a catalog file: its name without extensions, lower-cased, words joined by -."""
    stem = file.name.split(".")[0] if not file.name.startswith(".") else file.name
    return _KEY_CHARACTERS.sub("-", stem.lower()).strip("-") or "oscal"


def read_oscal_catalog(document: YamlDocument, file: Path, diagnostics: list[Diagnostic]) -> Framework | None:
    """The framework an OSCAL catalog document describes, or ``None`` with diagnostics saying why."""
    reader = _Reader(document, diagnostics)
    problem = not_a_catalog(document.data)
    if problem is not None:
        reader.error((), problem)
        return None
    catalog = reader.mapping(("catalog",))
    metadata = reader.mapping(("catalog", "metadata")) if catalog is not None else None
    if catalog is None or metadata is None:
        return None
    info = _info(reader, metadata, file)
    if info is None:
        return None
    if "groups" not in catalog and "controls" not in catalog:
        reader.error(("catalog",), "the catalog has neither groups nor controls")
        return None
    for param in _items(catalog, "params"):
        if isinstance(param, dict) and isinstance(param.get("id"), str):
            reader.params.setdefault(param["id"], param)
    reader.groups(("catalog", "groups"), None)
    reader.controls(("catalog", "controls"), None)
    published = _publication(metadata)
    requirements = reader.requirements(published)
    if reader.failed:
        return None
    return info, requirements


def _info(reader: _Reader, metadata: dict[str, Any], file: Path) -> Located[FrameworkInfo] | None:
    path: PathKey = ("catalog", "metadata")
    title = reader.text((*path, "title"))
    version = reader.text((*path, "version"))
    oscal = reader.text((*path, "oscal-version"))
    if title is None or version is None or oscal is None:
        return None
    if not SUPPORTED_VERSIONS.match(oscal):
        reader.error(
            (*path, "oscal-version"), f"OSCAL version {oscal!r} is not supported: assay reads OSCAL 1.x"
        )
        return None
    info = FrameworkInfo(
        key=framework_key(file),
        name=" ".join(title.split()),
        version=version,
        source=f"OSCAL {oscal} catalog {reader.document.path}",
    )
    return Located(info, SourceRef(reader.document, path, "catalog"))


def _publication(metadata: dict[str, Any]) -> date | None:
    for key in ("published", "last-modified"):
        value = metadata.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                continue
    return None


def display_label(control: dict[str, Any]) -> str:
    """How readers know a control: its ``label`` property, else its id (``ac-2.1`` -> ``AC-2(1)``)."""
    for prop in _items(control, "props"):
        if isinstance(prop, dict) and prop.get("name") == "label" and "class" not in prop:
            value = prop.get("value")
            if isinstance(value, str) and value.strip():
                return value.strip()
    ident = str(control.get("id", ""))
    base, _, enhancements = ident.partition(".")
    return base.upper() + "".join(f"({part})" for part in enhancements.split(".") if part)


def statement(
    control: dict[str, Any], params: dict[str, dict[str, Any]]
) -> tuple[tuple[RequirementParameter, ...], tuple[RequirementPart, ...]]:
    """A control's statement and guidance parts, and the parameters they use (its own and any it inserts
    from elsewhere in the catalog, from ``params``), as data. Parts or parameters of other shapes are
    left out: they are for display."""
    own = [p for p in _items(control, "params") if isinstance(p, dict) and isinstance(p.get("id"), str)]
    known = {**params, **{p["id"]: p for p in own}}
    parts = tuple(
        part
        for raw in _items(control, "parts")
        if isinstance(raw, dict) and raw.get("name") in _SHOWN_PARTS
        for part in [_part(raw, 0)]
        if part is not None
    )
    wanted = dict.fromkeys([p["id"] for p in own] + [i for i in inserted_ids(parts) if i in known])
    parameters = tuple(p for p in (_parameter(known[i]) for i in wanted) if p is not None)
    return parameters, parts


def description(control: dict[str, Any], params: dict[str, dict[str, Any]]) -> str | None:
    """The control's statement with its parameters in place, then its guidance: for display."""
    return text_of(*statement(control, params))


def text_of(parameters: tuple[RequirementParameter, ...], parts: tuple[RequirementPart, ...]) -> str | None:
    """Parts as text, one section each, items indented under what they belong to."""
    sections = []
    for part in parts:
        lines = part_lines([part], parameters)
        text = textwrap.dedent("\n".join("  " * depth + line for depth, line in lines))
        if text:
            sections.append(text)
    return "\n\n".join(sections) or None


def _part(part: dict[str, Any], depth: int) -> RequirementPart | None:
    name, prose = part.get("name"), part.get("prose")
    if not isinstance(name, str):
        return None
    label = next(
        (
            p["value"]
            for p in _items(part, "props")
            if isinstance(p, dict) and p.get("name") == "label" and isinstance(p.get("value"), str)
        ),
        None,
    )
    below = [_part(sub, depth + 1) for sub in _items(part, "parts") if isinstance(sub, dict)]
    return RequirementPart(
        name=name,
        label=label,
        prose=prose if isinstance(prose, str) else None,
        parts=tuple(sub for sub in below if sub is not None) if depth < MAX_PART_DEPTH else (),
    )


def _parameter(param: dict[str, Any]) -> RequirementParameter | None:
    raw = param.get("select")
    select: dict[str, Any] = raw if isinstance(raw, dict) else {}
    how = select.get("how-many")
    fields = {
        "id": param.get("id"),
        "label": param.get("label") if isinstance(param.get("label"), str) else None,
        "values": tuple(v for v in _items(param, "values") if isinstance(v, str)),
        "choices": tuple(c for c in _items(select, "choice") if isinstance(c, str)),
        "how_many": ("one-or-more" if how == "one-or-more" else "one") if select else None,
        "guidelines": tuple(
            g["prose"]
            for g in _items(param, "guidelines")
            if isinstance(g, dict) and isinstance(g.get("prose"), str)
        ),
    }
    from pydantic import ValidationError  # an OSCAL catalog is validated each time it is read

    try:
        return RequirementParameter.model_validate(fields)
    except ValidationError:
        return None  # an id assay cannot name (blank, or over 128 characters): not shown


class _Reader:
    """Walks a catalog's groups and controls, keeping each requirement with its JSON path."""

    def __init__(self, document: YamlDocument, diagnostics: list[Diagnostic]) -> None:
        self.document = document
        self.diagnostics = diagnostics
        self.failed = False
        self.found: list[tuple[PathKey, dict[str, Any]]] = []
        self.params: dict[str, dict[str, Any]] = {}
        self.withdrawn: dict[str, str | None] = {}

    def error(self, path: PathKey, message: str, *, severity: Severity = Severity.ERROR) -> None:
        self.failed = self.failed or severity is Severity.ERROR
        ref = SourceRef(self.document, (), "")
        self.diagnostics.append(ref.diagnostic(message, *path, severity=severity))

    def at(self, path: PathKey) -> Any:
        value: Any = self.document.data
        for step in path:
            value = value[step]
        return value

    def mapping(self, path: PathKey) -> dict[str, Any] | None:
        value = self.at(path)
        if not isinstance(value, dict):
            self.error(path, "expected an object")
            return None
        return value

    def text(self, path: PathKey) -> str | None:
        parent = self.at(path[:-1])
        value = parent.get(path[-1]) if isinstance(parent, dict) else None
        if not isinstance(value, str) or not value.strip():
            present = isinstance(parent, dict) and path[-1] in parent
            self.error(path if present else path[:-1], f"expected a non-empty string {path[-1]!r}")
            return None
        return value.strip()

    def entries(self, path: PathKey) -> list[tuple[PathKey, dict[str, Any]]]:
        parent = self.at(path[:-1])
        if path[-1] not in parent:
            return []
        value = parent[path[-1]]
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return []
        out = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append(((*path, index), entry))
            else:
                self.error((*path, index), "expected an object")
        return out

    def groups(self, path: PathKey, parent: str | None) -> None:
        for where, _ in self.entries(path):
            ident, title = self.text((*where, "id")), self.text((*where, "title"))
            if ident is None or title is None:
                continue
            self.found.append((where, {"id": ident, "title": title, "parent": parent, "heading": True}))
            self.groups((*where, "groups"), ident)
            self.controls((*where, "controls"), ident)

    def controls(self, path: PathKey, parent: str | None) -> None:
        for where, control in self.entries(path):
            ident, title = self.text((*where, "id")), self.text((*where, "title"))
            if ident is None or title is None:
                continue
            for param in _items(control, "params"):
                if isinstance(param, dict) and isinstance(param.get("id"), str):
                    self.params.setdefault(param["id"], param)
            parameters, parts = statement(control, self.params)
            fields: dict[str, Any] = {
                "id": ident,
                "title": f"{display_label(control)} {title}",
                "parent": parent,
            }
            fields.update(description=text_of(parameters, parts), parameters=parameters, parts=parts)
            if _withdrawn(control):
                self.withdrawn[ident] = _successor(control)
            self.found.append((where, fields))
            self.controls((*where, "controls"), ident)

    def requirements(self, published: date | None) -> list[Located[Requirement]]:
        from pydantic import ValidationError

        ids = {fields["id"] for _, fields in self.found}
        out: list[Located[Requirement]] = []
        for where, fields in self.found:
            if fields["id"] in self.withdrawn:
                fields = {**fields, **_withdrawal(self.withdrawn[fields["id"]], ids, published)}
            label = f"requirement {fields['id']}"
            try:
                out.append(
                    Located(Requirement.model_validate(fields), SourceRef(self.document, where, label))
                )
            except ValidationError as exc:
                self.failed = True
                self.diagnostics.extend(validation_diagnostics(exc, self.document, where, label, Requirement))
        return out


def _withdrawal(successor: str | None, ids: set[str], published: date | None) -> dict[str, Any]:
    """A withdrawn control's fields: its successor when the catalog has it, from the day it was published."""
    fields: dict[str, Any] = {"withdrawn": True}
    if successor in ids:
        fields["successor"] = successor
        if published is not None:
            fields["superseded_after"] = published - timedelta(days=1)
    return fields


def _items(element: dict[str, Any], key: str) -> list[Any]:
    """``element[key]`` when it is a list, else nothing: display parts of any other shape are ignored."""
    value = element.get(key)
    return value if isinstance(value, list) else []


def _withdrawn(control: dict[str, Any]) -> bool:
    return any(
        isinstance(p, dict) and p.get("name") == "status" and p.get("value") == "withdrawn"
        for p in _items(control, "props")
    )


def _successor(control: dict[str, Any]) -> str | None:
    for link in _items(control, "links"):
        if (
            isinstance(link, dict)
            and link.get("rel") in _SUCCESSOR_LINKS
            and isinstance(link.get("href"), str)
        ):
            return str(link["href"]).removeprefix("#")
    return None
