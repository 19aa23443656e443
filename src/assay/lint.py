"""``assay lint``: every check of a catalog, waivers and scope, as passes that return diagnostics.

Passes, in order: structure and schema (the loaders), cross-references
(:func:`assay.loading.catalog.assemble`), rules (CEL syntax, names read but not declared), waivers
(unknown controls, expired), scope (unknown frameworks and requirements). No pass returns a bool; an
empty list means clean.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from assay.cache import default_cache
from assay.cel.functions import DEFAULT_FUNCTIONS
from assay.cel.native import BUILTINS, MACROS, TYPES
from assay.cel.native.extensions import EXTENSION_NAMES
from assay.cel.rulecache import analyse, code_version
from assay.cel.syntax import Reference
from assay.errors import CelSyntaxError, Diagnostic, Severity
from assay.loading.catalog import BuiltinSelection, Catalog, catalog_files, read_catalog
from assay.loading.documents import PLACEHOLDER_MARKER, REVIEW_MARKER, Located, SourceRef, display_path
from assay.loading.policies import (
    check_parameters,
    check_scope,
    load_parameters,
    load_scope,
    load_waivers,
)
from assay.model import Control, Rule, Waiver
from assay.suggest import did_you_mean
from assay.yamlsource import DEFAULT_LIMITS, Limits

# Names every rule may read without declaring them.
RUN_VARIABLES = frozenset({"now"})
# The control's parameters: params.<name>.
PARAMS = "params"
# A parameter is read as params.<name>: two names at least.
PARAMS_REFERENCE_LENGTH = 2
# The current element of a for_each rule, available in assert, resource_id and message.
ITEM = "item"
# Functions and macros every rule may call besides the custom ones in the registry: the standard
# ones and those of CEL's extension libraries (math.greatest, charAt, cel.bind, ...).
KNOWN_FUNCTIONS = frozenset(BUILTINS) | MACROS | {"has"} | EXTENSION_NAMES
# CEL type identifiers that parse as plain identifiers (``type(x) == string``).
CEL_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"}
)


# Public API (assay.lint): the two catalogs are positional and every option is keyword-only, so the
# positional limit holds; grouping the options into an object would break cli.py and library callers.
def lint(  # noqa: PLR0913
    controls: Iterable[Path] | None = None,
    mappings: Iterable[Path] | None = None,
    *,
    waivers: Path | None = None,
    scope: Path | None = None,
    parameters: Path | None = None,
    now: datetime,
    limits: Limits = DEFAULT_LIMITS,
    fallbacks: bool = False,
    builtin_controls: BuiltinSelection | None = None,
) -> list[Diagnostic]:
    """Run every check; ``None`` for controls or mappings means the built-in ones.

    With ``fallbacks``, rules the native CEL backend hands to the reference backend are listed too,
    as notes.
    """
    own_mappings = None if mappings is None else list(mappings)
    own_controls = None if controls is None else list(controls)
    catalog, diagnostics = read_catalog(
        own_controls, own_mappings, builtin_controls=builtin_controls, limits=limits
    )
    diagnostics.extend(check_rules(catalog))
    diagnostics.extend(marked_lines([*(own_controls or ()), *(own_mappings or ())]))
    if fallbacks:
        diagnostics.extend(native_fallbacks(catalog))
    if waivers is not None:
        loaded_waivers = load_waivers(waivers, display_path(waivers), limits)
        diagnostics.extend(loaded_waivers.diagnostics)
        diagnostics.extend(check_waivers(loaded_waivers.items, catalog, now))
    if scope is not None:
        loaded_scope = load_scope(scope, display_path(scope), limits)
        diagnostics.extend(loaded_scope.diagnostics)
        diagnostics.extend(check_scope(loaded_scope.items, catalog))
    if parameters is not None:
        loaded_parameters = load_parameters(parameters, display_path(parameters), limits)
        diagnostics.extend(loaded_parameters.diagnostics)
        diagnostics.extend(check_parameters(loaded_parameters, catalog))
    return sorted(set(diagnostics))


MARKERS = {
    REVIEW_MARKER: "coverage set by assay migrate: review it and the rationale, then delete this comment",
    PLACEHOLDER_MARKER: "a placeholder of assay new: fill it in, then delete this comment",
}


def marked_lines(paths: Iterable[Path]) -> list[Diagnostic]:
    """A warning on each line still carrying the comment ``assay migrate`` or ``assay new`` left."""
    found: list[Diagnostic] = []
    for file, shown in catalog_files(paths):
        try:
            lines = file.read_bytes().decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):  # the loader reports the file itself
            continue
        for number, line in enumerate(lines, 1):
            for marker, message in MARKERS.items():
                column = line.find(f"# {marker}")
                if column >= 0:
                    found.append(Diagnostic(shown, number, column + 1, Severity.WARNING, message))
    return found


def check_rules(catalog: Catalog) -> list[Diagnostic]:
    """CEL syntax of every expression, and every name it reads declared as evidence.

    A control found clean is remembered in the on-disk cache (:mod:`assay.cache`) under everything its
    verdict depends on, so a later run neither parses nor reads the analysis of its expressions."""
    out: list[Diagnostic] = []
    for control in catalog.controls:
        source = catalog.control_sources.get(control.id)
        if source is not None:
            out.extend(_check_control(control, source))
    return out


VERDICT = "lint-clean"


def _check_control(control: Control, source: SourceRef) -> list[Diagnostic]:
    cache = default_cache()
    material = json.dumps(_verdict_inputs(control)) if cache is not None else ""
    if cache is not None and cache.get(VERDICT, material) is True:
        return []
    out = _control_problems(control, source)
    if cache is not None and not out:  # only a clean verdict is kept: problems need their positions
        cache.put(VERDICT, material, True)
    return out


@functools.cache
def _lint_version() -> str:
    """The CEL code's version (:func:`assay.cel.rulecache.code_version`) and a digest of this module."""
    return f"{code_version()} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"


def _verdict_inputs(control: Control) -> list[Any]:
    """Everything :func:`_control_problems` reads of a control, and the functions rules may call."""
    return [
        _lint_version(),
        sorted(function.name for function in DEFAULT_FUNCTIONS),
        [[rule.for_each is not None, sorted(rule.expressions().items())] for rule in control.rules],
        [e.name for e in control.evidence],
        sorted(control.parameters),
        [[list(case.parameters), list(case.evidence)] for case in control.tests],
    ]


def _control_problems(control: Control, source: SourceRef) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    declared = [tuple(e.name.split(".")) for e in control.evidence]
    for index, rule in enumerate(control.rules):
        out.extend(_check_rule(rule, index, declared, source, frozenset(control.parameters)))
    for index, case in enumerate(control.tests):
        for name in case.parameters:
            if name not in control.parameters:
                out.append(
                    source.diagnostic(
                        f"test parameter {name!r} is not one of the control's parameters",
                        "tests",
                        index,
                        "parameters",
                        name,
                        key=True,
                    )
                )
        for name in case.evidence:
            if tuple(name.split(".")) not in declared:
                out.append(
                    source.diagnostic(
                        f"test evidence {name!r} is not declared in the control's evidence",
                        "tests",
                        index,
                        "evidence",
                        name,
                        key=True,
                    )
                )
    return out


def _check_rule(
    rule: Rule,
    index: int,
    declared: Sequence[tuple[str, ...]],
    source: SourceRef,
    parameters: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for key, expression in rule.expressions().items():
        sub = ("rules", index, key)
        try:
            analysis = analyse(expression)  # from the rule cache, or the parse the engine reuses
        except CelSyntaxError as exc:
            at = None
            if exc.line is not None and exc.column is not None:
                at = source.document.locate_in_scalar((*source.path, *sub), exc.line, exc.column)
            out.append(source.diagnostic(f"CEL syntax error: {exc.message}", *sub, at=at))
            continue
        for name, line, column in analysis.calls:
            if name not in KNOWN_FUNCTIONS and name not in DEFAULT_FUNCTIONS:
                at = source.document.locate_in_scalar((*source.path, *sub), line, column)
                known = KNOWN_FUNCTIONS | {function.name for function in DEFAULT_FUNCTIONS}
                hint = did_you_mean(name, known, list_known=False)
                message = f"unknown function {name!r}{hint} (see `assay functions`)"
                out.append(source.diagnostic(message, *sub, at=at))
        item_allowed = rule.for_each is not None and key != "for_each"
        for reference in analysis.references:
            problem = _reference_problem(reference, declared, item_allowed, key, parameters)
            if problem:
                at = source.document.locate_in_scalar((*source.path, *sub), reference.line, reference.column)
                out.append(source.diagnostic(problem, *sub, at=at))
    return out


def _reference_problem(
    reference: Reference,
    declared: Sequence[tuple[str, ...]],
    item_allowed: bool,
    key: str,
    parameters: frozenset[str] = frozenset(),
) -> str | None:
    root = reference.names[0]
    if root == PARAMS:
        return _parameter_problem(reference, parameters)
    if root in RUN_VARIABLES or root in CEL_TYPE_NAMES or reference.dotted in TYPES:
        return None
    if root == ITEM:
        return _item_problem(item_allowed, key)
    return _evidence_problem(reference, declared)


def _parameter_problem(reference: Reference, parameters: frozenset[str]) -> str | None:
    """What is wrong with a ``params.<name>`` reference, if anything."""
    if len(reference.names) < PARAMS_REFERENCE_LENGTH:
        return "read a parameter by name: params.<name>"
    name = reference.names[1]
    if name not in parameters:
        known = ", ".join(sorted(parameters)) or "none"
        return f"reads parameter {name!r}, which the control does not declare (declared: {known})"
    return None


def _item_problem(item_allowed: bool, key: str) -> str | None:
    """Why ``item`` cannot be read here, if it cannot."""
    if item_allowed:
        return None
    where = "in for_each itself" if key == "for_each" else "in a rule without for_each"
    return f"'item' is not available {where}"


def _evidence_problem(reference: Reference, declared: Sequence[tuple[str, ...]]) -> str | None:
    """A reference that is neither a prefix nor an extension of any declared evidence name."""
    names = reference.names
    for evidence in declared:
        shorter = min(len(evidence), len(names))
        if evidence[:shorter] == names[:shorter]:
            return None
    known = ", ".join(".".join(e) for e in declared)
    return f"reads {reference.dotted!r}, which is not declared evidence (declared: {known})"


def check_waivers(waivers: Iterable[Located[Waiver]], catalog: Catalog, now: datetime) -> list[Diagnostic]:
    """Waivers that name unknown controls, or that have already expired."""
    known = {control.id: control for control in catalog.controls}
    out: list[Diagnostic] = []
    for item in waivers:
        waiver = item.value
        control: Control | None = known.get(waiver.control)
        if control is None:
            out.append(item.source.diagnostic(f"unknown control {waiver.control!r}", "control"))
        elif waiver.resources is not None and not any(rule.for_each for rule in control.rules):
            out.append(
                item.source.diagnostic(
                    f"control {waiver.control} has no for_each rule, so it has no resources to waive",
                    "resources",
                )
            )
        if not waiver.is_active(now):
            out.append(
                item.source.diagnostic(
                    f"waiver expired on {waiver.expires.isoformat()} and no longer applies",
                    "expires",
                    severity=Severity.WARNING,
                )
            )
    return out


def native_fallbacks(catalog: Catalog) -> list[Diagnostic]:
    """Rules whose CEL the native backend does not compile: they run on the reference backend."""
    from assay.cel.native import NativeBackend

    backend = NativeBackend(persistent=True)
    out: list[Diagnostic] = []
    for control in catalog.controls:
        source = catalog.control_sources.get(control.id)
        if source is None:
            continue
        for index, rule in enumerate(control.rules):
            for key, expression in rule.expressions().items():
                try:
                    backend.compile(expression)
                except CelSyntaxError:
                    continue  # reported by check_rules
                reason = backend.fallbacks.get(expression)
                if reason is not None:
                    out.append(
                        source.diagnostic(
                            f"runs on the reference backend: {reason}",
                            "rules",
                            index,
                            key,
                            severity=Severity.NOTE,
                        )
                    )
    return out
