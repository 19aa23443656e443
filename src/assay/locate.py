"""Where each result points in the user's project: the resource's line in its evidence file.

Code scanning dashboards (GitHub's, and any that read SARIF) show a result in a file of the
repository, so a finding is placed where its resource is written: the evidence file the failing rule
read, at the line and column of the resource's id (for JSON, the string value equal to it; for YAML,
CSV and text, the id standing as a word of its own). A result about a control as a whole, or a
resource not written verbatim in its evidence, points at the control's definition when the control
is the project's own, and at the evidence it read when the control is built in: a built-in control's
file lies inside the installed package, never in the user's repository.

The engine is pure, so this runs after it (``pipeline.run``): it re-reads the evidence files that
failing rules read, under the same limits and only inside the evidence folder, and trusts a file only
when its bytes still hash as they did when the run read them. Nothing here changes a status.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assay.errors import LoadError
from assay.evidence import EvidenceItem, InMemoryEvidence
from assay.fileio import read_inside
from assay.loaded_project import LoadedProject
from assay.loading.catalog import Catalog
from assay.model import Control
from assay.results import (
    ControlResult,
    Finding,
    FindingRow,
    RunResult,
    SourceLocation,
    checked_finding,
    checked_location,
)

# A resource that is not one word of the file (an ARN inside a longer string, a name with spaces) is
# searched for in the whole text: each file gets this many characters of such searches, after which
# its remaining resources point at the control or the file instead.
SEARCH_BUDGET = 200_000_000
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_AFTER_KEY = re.compile(r"\s*:")
_WORD = re.compile(r"[\w.@\-]+")
_WORD_EDGE = r"\w.@\-"


def locate_results(run: RunResult, project: LoadedProject) -> RunResult:
    """``run`` with every result and finding pointing at the place in the project it is about."""
    wanted: dict[str, set[str]] = defaultdict(set)
    names = _Names(project.catalog)
    for result in run.results:
        for finding in result.findings:
            if finding.resource is not None:
                for name in names.of(result.control, finding.rule):
                    wanted[name].add(finding.resource)
    files = _Files(project, {name: frozenset(resources) for name, resources in wanted.items()})
    results = tuple(_locate(result, project.catalog, files, names) for result in run.results)
    return run.with_results(results)


def _control(catalog: Catalog, control_id: str) -> Control | None:
    try:
        return catalog.control(control_id)
    except KeyError:  # a result of a control the catalog does not hold (a plug-in's own)
        return None


def _locate(result: ControlResult, catalog: Catalog, files: _Files, names: _Names) -> ControlResult:
    control = _control(catalog, result.control)
    if control is None:
        return result
    own = result.control not in catalog.builtin_controls
    source = catalog.control_sources.get(result.control)
    where: SourceLocation | None = None
    if own and source is not None:
        position = source.position("id")
        end = position.column + len(result.control)
        where = SourceLocation(path=source.file, line=position.line, column=position.column, end_column=end)
    else:
        paths = [item.path for name in _names(control, None) if (item := files.item(name)) and item.path]
        where = SourceLocation(path=paths[0], line=1, column=1) if paths else None
    findings = tuple(
        _locate_finding(finding.row, names.of(control.id, finding.rule), files) for finding in result.findings
    )
    return result.with_location(where, findings)


def _locate_finding(row: FindingRow, names: tuple[str, ...], files: _Files) -> Finding:
    rule, resource, message, waived_by, _ = row
    if resource is not None:
        for name in names:
            found = files.find(name, resource)
            if found is not None:
                return checked_finding(rule, resource, message, waived_by, found)
    return checked_finding(rule, resource, message, waived_by, None)


@dataclass
class _Names:
    """Each rule's evidence names in the order its resources are looked for, asked once per rule."""

    catalog: Catalog
    known: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def of(self, control_id: str, rule_id: str) -> tuple[str, ...]:
        key = (control_id, rule_id)
        if key not in self.known:
            control = _control(self.catalog, control_id)
            self.known[key] = () if control is None else tuple(_names(control, rule_id))
        return self.known[key]


def _names(control: Control, rule_id: str | None) -> list[str]:
    """The control's evidence names, those the rule's expressions name first (in the order named)."""
    names = tuple(requirement.name for requirement in control.evidence)
    rule = next((r for r in control.rules if r.id == rule_id), None)
    if rule is None:
        return list(names)
    return list(_named_first(names, rule.for_each or rule.assert_))


@functools.lru_cache(maxsize=4096)
def _named_first(names: tuple[str, ...], text: str) -> tuple[str, ...]:
    """``names``, those ``text`` names first: asked once per failing resource, so remembered."""
    named = sorted((n for n in names if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text)), key=text.find)
    return (*named, *(n for n in names if n not in named))


@dataclass
class EvidenceText:
    """An evidence file's text (``format`` as the evidence store names it), to find resources in.

    ``wanted`` are the resources that will be looked for (None: any), so the indexes built in one pass
    over the text hold only those.
    """

    text: str
    format: str
    path: str  # as reports show it
    wanted: frozenset[str] | None = None
    strings: dict[str, tuple[int, int]] | None = None  # JSON: each wanted string's first literal
    words: dict[str, int] | None = None  # each wanted word's first offset
    budget: int = SEARCH_BUDGET
    found: dict[str, SourceLocation | None] = field(default_factory=dict)
    lines: _Lines | None = None

    def location(self, offset: int, length: int) -> SourceLocation:
        if self.lines is None:
            self.lines = _Lines(self.text)
        line, column = self.lines.at(offset)
        return checked_location(self.path, line, column, column + length)

    def find(self, resource: str) -> SourceLocation | None:
        """Where ``resource`` is written (see :meth:`search`), found once: several rules may ask."""
        if resource not in self.found:
            self.found[resource] = self.search(resource)
        return self.found[resource]

    def search(self, resource: str) -> SourceLocation | None:
        """Where ``resource`` is written: a JSON string equal to it, else the id as a word of its own."""
        span = self._span(resource)
        if span is not None:
            return self.location(*span)
        if not _searched_for(resource) or self.budget < len(self.text):
            return None  # a single word not among the file's words is nowhere in it
        self.budget -= len(self.text)
        match = re.search(rf"(?<![{_WORD_EDGE}]){re.escape(resource)}(?![{_WORD_EDGE}])", self.text)
        return self.location(match.start(), len(resource)) if match else None

    def settle(self, resources: Iterable[str]) -> bool:
        """Find each of ``resources`` written as a JSON string or a word, in the order of the file (so
        its lines are counted in one pass), and whether that is all of them: no other needs the text."""
        spans: list[tuple[int, int, str]] = []
        whole = True
        for resource in resources:
            span = self._span(resource)
            if span is not None:
                spans.append((*span, resource))
            elif _searched_for(resource):
                whole = False  # searched for in the whole text, within the budget, if it is asked
            else:
                self.found[resource] = None
        for offset, length, resource in sorted(spans):
            self.found[resource] = self.location(offset, length)
        return whole

    def release(self) -> None:
        """Let the text go, once :meth:`settle` found every resource that will be asked."""
        self.text, self.strings, self.words, self.lines = "", None, None, None

    def _span(self, resource: str) -> tuple[int, int] | None:
        if self.format == "json":
            if self.strings is None:
                self.strings = _json_strings(self.text, self.wanted)
            found = self.strings.get(resource)
            if found is not None:
                return found
        words = self._words()
        return (words[resource], len(resource)) if resource in words else None

    def _words(self) -> dict[str, int]:
        if self.words is None:
            self.words = {}
            for word in _WORD.finditer(self.text):
                if self.wanted is None or word.group() in self.wanted:
                    self.words.setdefault(word.group(), word.start())
        return self.words


def _searched_for(resource: str) -> bool:
    """Whether a resource not found as a JSON string or a word is searched for in the whole text: a
    single word is not (it would have been among the words), nor an empty or blank one."""
    return not _WORD.fullmatch(resource) and bool(resource.strip())


class _Lines:
    """The line and column of an offset in a text, counted from the offset asked before.

    A table of where every line starts costs an int object per line: hundreds of megabytes for an
    export of a million resources. Findings are asked for mostly in the order of the file (a rule
    walks its list in order), so counting the line breaks between one offset and the next (at C
    speed) goes over the text about once per rule. A text with a lone carriage return (old Mac
    endings, which also break lines) keeps the table.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset, self.line, self.start = 0, 1, 0  # the offset asked last, its line, that line's start
        self.starts: list[int] | None = None
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            self.starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        if self.starts is not None:
            index = bisect.bisect_right(self.starts, offset) - 1
            return index + 1, offset - self.starts[index] + 1
        text = self.text
        if offset >= self.offset:
            breaks = text.count("\n", self.offset, offset)
            if breaks:
                self.line += breaks
                self.start = text.rfind("\n", self.offset, offset) + 1
        else:
            breaks = text.count("\n", offset, self.offset)
            if breaks:
                self.line -= breaks
                self.start = text.rfind("\n", 0, offset) + 1
        self.offset = offset
        return self.line, offset - self.start + 1


def _json_strings(text: str, wanted: frozenset[str] | None) -> dict[str, tuple[int, int]]:
    """The offset and length of the first literal of each wanted JSON string, values before keys."""
    beginnings = _beginnings(wanted)
    if wanted and beginnings and len(beginnings[0]) <= _FOUND_BY_FIND and "\\" not in text:
        return _scan_plain(text, wanted, beginnings[0])
    return _scan_strings(text, wanted, _literals_that_may_be(wanted))


def _scan_plain(text: str, wanted: frozenset[str], beginnings: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """:func:`_scan_strings` of a text without a backslash, where every quote is a literal's edge and
    one followed by a wanted beginning opens a literal: those are found by ``str.find``, which passes
    over the rest of a file of a million resources many times faster than the regex engine."""
    starts: set[int] = set()
    for beginning in beginnings:
        needle = '"' + beginning
        at = text.find(needle)
        while at >= 0:
            starts.add(at)
            at = text.find(needle, at + 1)
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    for start in sorted(starts):
        end = text.find('"', start + 1)
        value = text[start + 1 : end]
        if end < 0 or value not in wanted or "\n" in value:
            continue  # not wanted, or no literal (JSON text has no line break inside a string)
        seen = keys if _AFTER_KEY.match(text, end + 1) else values
        seen.setdefault(value, (start, end + 1 - start))
    return {**keys, **values}


def _scan_strings(
    text: str, wanted: frozenset[str] | None, literal: re.Pattern[str]
) -> dict[str, tuple[int, int]]:
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    for match in literal.finditer(text):
        literal_text = match.group()
        try:
            value = json.loads(literal_text) if "\\" in literal_text else literal_text[1:-1]
        except ValueError:
            continue
        if wanted is not None and value not in wanted:
            continue
        start = match.start()
        if literal is not _JSON_STRING and text[start - 1 : start] == "\\" and _escaped(text, start):
            continue  # a quote escaped inside a longer string: the match runs to that string's end
        seen = keys if _AFTER_KEY.match(text, match.end()) else values
        seen.setdefault(value, (start, len(literal_text)))
    return {**keys, **values}


# What may follow a closing quote in JSON text: a literal never starts with one of these.
_AFTER_STRING = frozenset(",:]} \t\r\n")
# The pattern looks ahead for the wanted strings' first characters, as many as keep it to this many
# different beginnings: a file of vol-0… ids then has its other literals passed over by the regex engine.
_LONGEST_BEGINNING = 8
_BEGINNINGS = 32
# Up to this many beginnings, a text without escapes is searched for each with str.find (one pass
# each, about six times as fast as the regex engine's one pass) rather than by the pattern.
_FOUND_BY_FIND = 4


def _literals_that_may_be(wanted: frozenset[str] | None) -> re.Pattern[str]:
    """A pattern for the JSON string literals that may hold a wanted string: those starting with a
    wanted string's first characters, or with an escape among as many characters. A file of a million
    resources has tens of millions of literals, and a few wanted among them.

    The pattern finds a literal's opening quote only: a closing quote is followed by one of
    :data:`_AFTER_STRING`, and a quote inside a string is escaped (the caller skips those matches,
    each of which ends at the end of its string, where the scan goes on). Outside a string valid JSON
    has no backslash, so the lookahead for an escape never starts at a closing quote either.
    """
    beginnings = _beginnings(wanted)
    return _JSON_STRING if beginnings is None else _literal_pattern(*beginnings)


def _beginnings(wanted: frozenset[str] | None) -> tuple[tuple[str, ...], int] | None:
    """The wanted strings' beginnings (of up to :data:`_LONGEST_BEGINNING` characters, as many as
    keep them to :data:`_BEGINNINGS`) and their length; None when every literal must be read."""
    if wanted is None or any(not w or w[0] in _AFTER_STRING for w in wanted):
        return None
    length = _LONGEST_BEGINNING
    while length > 1 and len({w[:length] for w in wanted}) > _BEGINNINGS:
        length -= 1
    return tuple(sorted({w[:length] for w in wanted})), length


@functools.lru_cache(maxsize=64)
def _literal_pattern(beginnings: tuple[str, ...], length: int) -> re.Pattern[str]:
    firsts = "".join(re.escape(c) for c in sorted({b[0] for b in beginnings} | {"\\"}))
    ahead = rf"(?=[{firsts}])"
    if length > 1:  # a wanted beginning, or an escape among its characters (which may spell it)
        ahead += rf'(?:(?={"|".join(re.escape(b) for b in beginnings)})|(?=[^"\\\n]{{0,{length - 1}}}\\))'
    return re.compile(rf'"{ahead}[^"\\\n]*(?:\\.[^"\\\n]*)*"')


def _escaped(text: str, offset: int) -> bool:
    """Whether the character at ``offset`` follows an odd number of backslashes."""
    before = offset
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (offset - before) % 2 == 1


@dataclass
class _Files:
    """The evidence files of a project, read again on demand and only while they are unchanged."""

    project: LoadedProject
    wanted: dict[str, frozenset[str]]
    texts: dict[str, EvidenceText | None] = field(default_factory=dict)

    def item(self, name: str) -> EvidenceItem | None:
        store: InMemoryEvidence | None = self.project.evidence
        return store.get(name) if store is not None else None

    def find(self, name: str, resource: str) -> SourceLocation | None:
        if name not in self.texts:
            # Every resource a file will be asked for is known: found in one pass, the text can go, so
            # a run over a million resources holds one file's text at a time, not every file's.
            text = self.texts[name] = self._read(name)
            if text is not None and text.settle(sorted(self.wanted.get(name, ()))):
                text.release()
        text = self.texts[name]
        return text.find(resource) if text is not None else None

    def _read(self, name: str) -> EvidenceText | None:
        item = self.item(name)
        root = self.project.evidence_root
        prefix = f"{self.project.evidence_shown}/"
        if item is None or root is None or item.path is None or not item.path.startswith(prefix):
            return None
        relative = item.path[len(prefix) :]
        try:
            raw = read_inside(Path(root), relative, self.project.config.max_evidence_bytes, item.path)
        except (LoadError, OSError):
            return None
        if hashlib.sha256(raw).hexdigest() != item.sha256:
            return None  # changed since the run read it: its positions would be about other bytes
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return EvidenceText(text=text, format=item.format, path=item.path, wanted=self.wanted.get(name))
