"""One rule of a control, evaluated: its ``for_each`` list, the loop over its elements, its findings.

:class:`RuleRunner` is the engine's inner loop (``assay.engine`` gathers evidence, binds variables and
applies waivers around it). A failing expression raises :class:`~assay.error_text.RuleFailure` naming
its key, and the resource it was evaluating when there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assay.cel.backend import Backend, Program
from assay.cel.native import NativeBackend
from assay.cel.native.program import NativeProgram
from assay.cel.native.scaling import list_key
from assay.error_text import ResultTypeError, RuleFailure, cel_type, failing
from assay.errors import CelError
from assay.lean_dataclasses import frozen
from assay.model import Rule
from assay.results import Finding, checked_finding

# for_each lists already computed in a run, by expression, evidence names bound and params read (_elements)
ListCache = dict[tuple[str, tuple[str, ...], Any], list[Any]]


@frozen
class CompiledRule:
    """A rule's programs by key (``for_each``, ``assert``, ``resource_id``, ``message``), or why not."""

    rule: Rule
    programs: Mapping[str, Program]
    error: str | None = None


class RuleRunner:
    """Runs compiled rules with ``backend``: the findings of one rule against one set of variables."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        # The native backend's values are plain Python: no conversion, and its programs run directly.
        self._native = isinstance(backend, NativeBackend)

    def run_rule(
        self, compiled: CompiledRule, variables: dict[str, Any], lists: ListCache, bound: tuple[str, ...]
    ) -> list[Finding]:
        """The rule's findings; a failing expression raises :class:`RuleFailure` naming its key."""
        rule, programs = compiled.rule, compiled.programs
        if "for_each" not in programs:
            with failing("assert"):
                holds = self._holds(programs["assert"], variables)
            if holds:
                return []
            return [checked_finding(rule.id, None, self._message(programs, variables, rule, None))]
        with failing("for_each"):
            elements = self._elements(programs["for_each"], rule.for_each or "", variables, lists, bound)
        failed = self._failing_elements(compiled, variables, elements)  # (resource, message): checked strings
        return [checked_finding(rule.id, resource, message) for resource, message in failed]

    def _elements(
        self, program: Program, text: str, variables: dict[str, Any], lists: ListCache, bound: tuple[str, ...]
    ) -> list[Any]:
        """The for_each list, once per run for the same expression, evidence names and ``params`` values
        read (several controls walk every instance). A failed expression is not kept: it fails again."""
        key = list_key(program, text, bound, variables)
        if key is None:  # a parameter value that cannot be a key: computed each time
            return self.backend.elements(program.run(variables))
        if key not in lists:
            lists[key] = self.backend.elements(program.run(variables))
        return lists[key]

    def _failing_elements(
        self, compiled: CompiledRule, variables: dict[str, Any], elements: list[Any]
    ) -> list[tuple[str, str]]:
        """The resource id and message of each element for which the rule's assert does not hold: once
        per resource, without a context manager or a copy of the variables, raising as :func:`failing`."""
        if self._native:
            return self._failing_native(compiled, variables, elements)
        return self._failing_plain(compiled, variables, elements)

    def _failing_plain(
        self, compiled: CompiledRule, variables: dict[str, Any], elements: list[Any]
    ) -> list[tuple[str, str]]:
        """:meth:`_failing_elements` through the backend's conversions, for any backend."""
        rule, programs = compiled.rule, compiled.programs
        resource_id, holds = programs["resource_id"], programs["assert"]
        scoped = dict(variables)
        failed: list[tuple[str, str]] = []
        key, resource = "resource_id", None
        try:
            for element in elements:
                scoped["item"] = element
                key, resource = "resource_id", None
                resource = self._resource_id(resource_id, scoped)
                key = "assert"
                if not self._holds(holds, scoped):
                    failed.append((resource, self._message(programs, scoped, rule, resource)))
        except CelError as exc:
            raise RuleFailure(key, exc, resource) from None
        return failed

    def _failing_native(
        self, compiled: CompiledRule, variables: dict[str, Any], elements: list[Any]
    ) -> list[tuple[str, str]]:
        """:meth:`_failing_plain` for the native backend, whose values need no conversion, in fewer
        Python frames per element: a program that needs no budget runs its fast variant directly and,
        only when that raised, the rest of ``run`` (``NativeProgram.after_fast``: the exact variant), so
        each result or error is the one ``run`` gives. Tested against the plain path on random evidence."""
        rule, programs = compiled.rule, compiled.programs
        id_run, id_fast, id_after = _direct(programs["resource_id"])
        holds_run, holds_fast, holds_after = _direct(programs["assert"])
        scoped = dict(variables)
        failed: list[tuple[str, str]] = []
        key, resource = "resource_id", None
        try:
            for element in elements:
                scoped["item"] = element
                key, resource = "resource_id", None
                if id_fast is None:
                    value = id_run(scoped)
                else:
                    try:
                        value = id_fast(scoped, None)
                    except Exception as error:  # the result or error run gives: after_fast
                        value = id_after(scoped, error)
                resource = value if type(value) is str else _resource_text(value)
                key = "assert"
                if holds_fast is None:
                    value = holds_run(scoped)
                else:
                    try:
                        value = holds_fast(scoped, None)
                    except Exception as error:  # the result or error run gives: after_fast
                        value = holds_after(scoped, error)
                if value is not True:
                    if value is not False:
                        raise ResultTypeError(f"assert must give a bool, not {cel_type(value)}")
                    failed.append((resource, self._message(programs, scoped, rule, resource)))
        except CelError as exc:
            raise RuleFailure(key, exc, resource) from None
        return failed

    def _holds(self, program: Program, variables: Mapping[str, Any]) -> bool:
        value = self.backend.python(program.run(variables))
        if value is True or value is False:  # (bool has no subclasses) cheaper than isinstance
            return value
        raise ResultTypeError(f"assert must give a bool, not {cel_type(value)}")

    def _resource_id(self, program: Program, variables: Mapping[str, Any]) -> str:
        value = self.backend.python(program.run(variables))
        return value if type(value) is str else _resource_text(value)

    def _message(
        self, programs: Mapping[str, Program], variables: Mapping[str, Any], rule: Rule, resource: str | None
    ) -> str:
        if "message" not in programs:
            return f"rule {rule.id} failed" + (f" for {resource}" if resource is not None else "")
        try:  # as failing("message", resource) does, without a context manager per failing resource
            value = self.backend.python(programs["message"].run(variables))
            if not isinstance(value, str):
                raise ResultTypeError(f"message must give a string, not {cel_type(value)}")
        except CelError as exc:
            raise RuleFailure("message", exc, resource) from None
        return value if type(value) is str else str.__str__(value)  # a plain str: findings are not validated


def _resource_text(value: Any) -> str:
    """A resource id that is not a plain ``str``: an int's digits or a str subclass as text, else an error."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ResultTypeError(f"resource_id must give a string, not {cel_type(value)}")
    return str(value)


Direct = tuple[Callable[[Mapping[str, Any]], Any], Callable[..., Any] | None, Callable[..., Any]]


def _direct(program: Program) -> Direct:
    """A program's ``run``; its fast variant when it needs no budget (else None); and what gives ``run``'s
    result or error after that fast variant raised (``NativeProgram.after_fast``)."""
    if isinstance(program, NativeProgram) and program.unbudgeted_fast is not None:
        return program.run, program.unbudgeted_fast, program.after_fast
    return program.run, None, program.run
