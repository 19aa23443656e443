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

import codecs
import functools
import hashlib
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import field
from itertools import groupby, repeat
from operator import add, attrgetter, is_
from pathlib import Path
from typing import Any

from assay.errors import LoadError
from assay.evidence import EvidenceItem, InMemoryEvidence
from assay.fileio import read_inside
from assay.lean_dataclasses import dataclass
from assay.loaded_project import LoadedProject
from assay.loading.catalog import Catalog
from assay.locate_scan import Lines, Spans, encoded, json_strings
from assay.model import Control
from assay.results import (
    ControlResult,
    Finding,
    RunResult,
    SourceLocation,
    checked_finding,
    checked_location,
)

# A resource that is not one word of the file (an ARN inside a longer string, a name with spaces) is
# searched for in the whole text: each file gets this many characters of such searches, after which
# its remaining resources point at the control or the file instead.
SEARCH_BUDGET = 200_000_000
_WORD = re.compile(r"[\w.@\-]+")
_WORD_EDGE = r"\w.@\-"
# The same on ASCII bytes, where \w is the ASCII letters, digits and underscore, as on ASCII text.
_ASCII_WORD = re.compile(rb"[\w.@\-]+")
_EDGE = rb"\w.@\-"


def locate_results(run: RunResult, project: LoadedProject) -> RunResult:
    """``run`` with every result and finding pointing at the place in the project it is about."""
    wanted: dict[str, set[str]] = defaultdict(set)
    names = _Names(project.catalog)
    for result in run.results:
        # A rule's findings come together (it walks its list in order): one set of resources per run
        # of them, and a step of C, not of Python, per finding.
        for rule, findings in groupby(result.findings, _RULE):
            resources = set(map(_RESOURCE, findings))
            resources.discard(None)
            for name in names.of(result.control, rule) if resources else ():
                wanted[name] |= resources
    files = _Files(project, {name: frozenset(resources) for name, resources in wanted.items()})
    results = tuple(_locate(result, project.catalog, files, names) for result in run.results)
    return run.with_results(results)


_RULE = attrgetter("rule")
_RESOURCE = attrgetter("resource")
_FIELDS = attrgetter("rule", "resource", "message", "waived_by", "location")


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
    return result.with_location(where, _located_findings(result.findings, control.id, files, names))


def _located_findings(
    findings: tuple[Finding, ...], control_id: str, files: _Files, names: _Names
) -> tuple[Finding, ...]:
    """Each finding at the first place its resource is found in the evidence its rule read (a run
    over a million resources has hundreds of thousands of findings).

    A rule's findings come together: its names are asked once. The places of the first evidence it
    read are known once that file is settled (every resource it will be asked for found in one pass),
    so each finding's is a look-up mapped over the run of them. One not found there, or in a file that
    keeps resources to search for in its whole text, is looked for name by name."""
    located: list[Finding] = []
    for rule, group in groupby(findings, _RULE):
        run = list(group)
        _, resources, messages, waived, were = zip(*map(_FIELDS, run), strict=True)
        order = names.of(control_id, rule)
        places = files.settled(order[0]) if order and any(r is not None for r in resources) else {}
        found: list[SourceLocation | None] = (
            list(map(places.get, resources)) if places is not None else [None] * len(run)
        )
        if places is None or len(order) > 1:
            later = order if places is None else order[1:]
            for index, resource in enumerate(resources):
                if found[index] is None and resource is not None:
                    found[index] = _searched(resource, later, files)
        if all(map(is_, found, were)):  # placed as they were: kept as they are
            located.extend(run)
        else:
            located.extend(map(checked_finding, repeat(rule), resources, messages, waived, found))
    return tuple(located)


def _searched(resource: str, order: Iterable[str], files: _Files) -> SourceLocation | None:
    """Where ``resource`` is first found in the files of ``order``, searched one by one."""
    for name in order:
        found = files.find(name, resource)
        if found is not None:
            return found
    return None


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
    """An evidence file's UTF-8 bytes (``format`` as the evidence store names it), to find resources in.

    Offsets are byte offsets; a location's column is in characters (:class:`~assay.locate_scan.Lines`).
    ``wanted`` are the resources that will be looked for (None: any), so the indexes built in one pass
    over the bytes hold only those. A file that is not ASCII is decoded only to find a resource as a
    word (what ``\\w`` matches there is decided on characters) or in the whole text.
    """

    raw: bytes
    format: str
    path: str  # as reports show it
    wanted: frozenset[str] | None = None
    base: int = 0  # where the text starts: after a byte order mark
    ascii_only: bool = True
    length: int = -1  # in characters (-1: the bytes' length, for ASCII)
    strings: Spans | None = None  # JSON: each wanted string's first literal
    words: dict[str, int] | None = None  # each wanted word's first offset
    budget: int = SEARCH_BUDGET
    found: dict[str, SourceLocation | None] = field(default_factory=dict)
    lines: Lines | None = None
    decoded: str | None = None  # a text that is not ASCII, decoded when a search needs its characters
    released: bool = False  # every wanted resource is in ``found``, and the bytes are gone

    @classmethod
    def of(cls, text: str, format: str, path: str, **options: Any) -> EvidenceText:
        """The evidence ``text`` as a file holds it (in UTF-8)."""
        raw = text.encode("utf-8", "surrogatepass")
        return cls(raw=raw, format=format, path=path, ascii_only=raw.isascii(), length=len(text), **options)

    def __post_init__(self) -> None:
        if self.length < 0:
            self.length = len(self.raw) - self.base

    def location(self, offset: int, length: int) -> SourceLocation:
        if self.lines is None:
            self.lines = Lines(self.raw, self.base, ascii_only=self.ascii_only)
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
        if not _searched_for(resource) or self.budget < self.length:
            return None  # a single word not among the file's words is nowhere in it
        self.budget -= self.length
        offset = self._anywhere(resource)
        return self.location(offset, len(resource)) if offset is not None else None

    def settle(self, resources: Iterable[str]) -> bool:
        """Find each of ``resources`` written as a JSON string or a word, in the order of the file (so
        its lines are counted in one pass), and whether that is all of them: no other needs the text."""
        whole = True
        strings = self._strings()
        listed = resources if isinstance(resources, (set, frozenset)) else set(resources)
        # a JSON string (in the order of the file, so sorted in one pass), else a word
        spans = [(*span, r) for r, span in strings.items() if r in listed]
        for resource in [r for r in listed if r not in strings] if len(spans) < len(listed) else ():
            span = self._span(resource)
            if span is not None:
                spans.append((*span, resource))
            elif _searched_for(resource):
                whole = False  # searched for in the whole text, within the budget, if it is asked
            else:
                self.found[resource] = None
        if whole:  # no search will read the strings again: let them go before the places are made
            del strings
            self.strings = None
        spans.sort()  # by offset (an int: sorted fast), at which no two resources start
        offsets, lengths, found = [o for o, _, _ in spans], [n for _, n, _ in spans], [r for _, _, r in spans]
        del spans
        if self.lines is None:
            self.lines = Lines(self.raw, self.base, ascii_only=self.ascii_only)
        lines, columns = self.lines.columns(offsets)
        del offsets
        made = map(checked_location, repeat(self.path), lines, columns, map(add, columns, lengths))
        self.found.update(zip(found, made, strict=True))
        return whole

    def release(self) -> None:
        """Let the bytes go, once :meth:`settle` found every resource that will be asked."""
        self.raw, self.strings, self.words, self.lines, self.decoded = b"", None, None, None, None
        self.released = True

    def _strings(self) -> Spans:
        """Each wanted JSON string's first literal (none when the file is no JSON)."""
        if self.strings is None:
            self.strings = json_strings(self.raw, self.wanted) if self.format == "json" else {}
        return self.strings

    def _span(self, resource: str) -> tuple[int, int] | None:
        found = self._strings().get(resource)
        if found is not None:
            return found
        words = self._words()
        return (words[resource], len(resource)) if resource in words else None

    def _words(self) -> dict[str, int]:
        if self.words is None:
            if self.ascii_only:
                wanted = None if self.wanted is None else encoded(self.wanted)
                self.words = {}
                for word in _ASCII_WORD.finditer(self.raw):
                    if wanted is None or word.group() in wanted:
                        self.words.setdefault(word.group().decode(), word.start())
            else:
                text = self._text()
                first: dict[str, int] = {}
                for match in _WORD.finditer(text):
                    if self.wanted is None or match.group() in self.wanted:
                        first.setdefault(match.group(), match.start())
                self.words = dict(zip(first, _byte_offsets(text, first.values(), self.base), strict=True))
        return self.words

    def _anywhere(self, resource: str) -> int | None:
        """The byte offset of ``resource`` anywhere in the text, not inside a longer word."""
        if self.ascii_only:
            if not resource.isascii():
                return None
            needle = re.escape(resource.encode())
            match = re.search(rb"(?<![%s])%s(?![%s])" % (_EDGE, needle, _EDGE), self.raw)
            return match.start() if match else None
        text = self._text()
        found = re.search(rf"(?<![{_WORD_EDGE}]){re.escape(resource)}(?![{_WORD_EDGE}])", text)
        return _byte_offsets(text, [found.start()], self.base)[0] if found else None

    def _text(self) -> str:
        if self.decoded is None:
            self.decoded = self.raw[self.base :].decode("utf-8", "surrogatepass")
        return self.decoded


def _byte_offsets(text: str, offsets: Iterable[int], base: int) -> list[int]:
    """The byte offsets in the file of the characters at ``offsets`` of its ``text`` (in increasing order)."""
    found = []
    at, byte = 0, base
    for offset in offsets:
        byte += len(text[at:offset].encode("utf-8", "surrogatepass"))
        at = offset
        found.append(byte)
    return found


def _searched_for(resource: str) -> bool:
    """Whether a resource not found as a JSON string or a word is searched for in the whole text: a
    single word is not (it would have been among the words), nor an empty or blank one."""
    return not _WORD.fullmatch(resource) and bool(resource.strip())


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
        text = self._text(name)
        return text.find(resource) if text is not None else None

    def settled(self, name: str) -> dict[str, SourceLocation | None] | None:
        """The place of every resource ``name``'s file will be asked for (None: not found), when each
        is known; None when some are still to be searched for in the whole text (ask :meth:`find`)."""
        text = self._text(name)
        if text is None:
            return {}
        return text.found if text.released else None

    def _text(self, name: str) -> EvidenceText | None:
        if name not in self.texts:
            self.texts[name] = self._read(name)
        return self.texts[name]

    def _read(self, name: str) -> EvidenceText | None:
        """The file's text, its resources found, when its bytes still hash as the run read them.

        Every resource a file will be asked for is known: found in one pass, the text can go, so a
        run over a million resources holds one file's text at a time, not every file's. The bytes are
        hashed in a thread while they are searched (hashlib lets go of the interpreter's lock), and a
        file whose digest differs is dropped with what was found in it."""
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
        digest = _Digest(raw)
        text = evidence_text(raw, item.format, item.path, self.wanted.get(name))
        if text is not None and text.settle(self.wanted.get(name, ())):
            text.release()
        del raw
        if digest.hexdigest() != item.sha256:
            return None  # changed since the run read it: its positions would be about other bytes
        return text


class _Digest:
    """The SHA-256 of bytes, computed in a thread of its own when they are many."""

    def __init__(self, raw: bytes) -> None:
        self.digest = ""
        self.thread: threading.Thread | None = None
        if len(raw) >= _THREAD_ABOVE:
            thread = threading.Thread(target=self._hash, args=(raw,), name="assay-locate-sha256", daemon=True)
            try:
                thread.start()
                self.thread = thread
                return
            except RuntimeError:  # no thread to be had: hashed here, as the bytes are searched after
                pass
        self._hash(raw)

    def _hash(self, raw: bytes) -> None:
        self.digest = hashlib.sha256(raw).hexdigest()

    def hexdigest(self) -> str:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        return self.digest


_THREAD_ABOVE = 1 << 20


def evidence_text(raw: bytes, format: str, path: str, wanted: frozenset[str] | None) -> EvidenceText | None:
    """The file's bytes to find resources in, as the run read them (UTF-8, a byte order mark skipped),
    or None when they are no UTF-8."""
    base = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    ascii_only = not base and raw.isascii()
    length = len(raw) if ascii_only else _characters(raw, base)
    if length is None:
        return None
    return EvidenceText(raw, format, path, wanted, base, ascii_only, length)


def _characters(raw: bytes, base: int) -> int | None:
    """How many characters the UTF-8 ``raw`` holds from ``base``, or None when it is no UTF-8: decoded
    a slice at a time, so a file of hundreds of megabytes is never held as text as well as bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)[base:]
    count = 0
    try:
        for at in range(0, len(view), _SLICE):
            count += len(decoder.decode(view[at : at + _SLICE]))
        count += len(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return count


_SLICE = 1 << 22
