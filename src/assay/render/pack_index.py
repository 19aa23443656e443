"""``index.html`` of an evidence pack: the page an auditor opens first, offline.

Per framework, every requirement with its status, the controls behind it and the evidence files
they read, linked to the copies inside the pack; per control, its result, findings and evidence;
then every packed evidence file (with what was redacted), the source files, and how to verify the
pack. Like the HTML report it is one self-contained page with no script, and it shares that page's
styles and helpers. It is not a registered output format: it needs the pack's layout beside the
report, which :mod:`assay.pack` passes in as a :class:`PackLayout`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from urllib.parse import quote

from assay.gaps import ControlEntry, FrameworkReport, Report
from assay.lean_dataclasses import frozen
from assay.render.html_base import (
    _anchor,
    _control_link,
    _depth,
    _e,
    _hash,
    _list,
    _share,
    _status,
    _table,
    _when,
    page_head,
)
from assay.render.html_page import _CSS, control_facts, findings_table
from assay.render.words import CONTROL_COVERAGE, requirement_notes


@frozen
class IndexEvidence:
    """A packed evidence file as the index shows it."""

    name: str
    file: str  # the path inside the pack
    sha256: str  # of the evaluated bytes, as in the report
    collected_at: datetime | None = None
    source: str | None = None
    redactions: tuple[tuple[str, str], ...] = ()  # (where, why)


@frozen
class IndexSource:
    file: str
    kind: str
    path: str  # as the report shows it


@frozen
class PackLayout:
    """What is in the pack besides the report, and where."""

    reports: tuple[tuple[str, str], ...]  # (file, label)
    evidence: Mapping[str, IndexEvidence] = field(default_factory=dict)
    sources: tuple[IndexSource, ...] = ()
    key_id: str | None = None


def render_index(report: Report, layout: PackLayout) -> str:
    when = _when(report.generated_at)
    frameworks = ", ".join(f"{f.name} {f.version}" for f in report.frameworks)
    out = [
        *page_head(f"assay evidence pack, {when}", report.assay_version, _CSS),
        "</head>",
        "<body>",
        "<header>",
        "<h1>assay evidence pack</h1>",
        f'<p class="meta">{_e(frameworks)}: the state at {_e(when)}, assessed by assay '
        f"{_e(report.assay_version)}.</p>",
        "</header>",
    ]
    entries = [("about", "About this pack"), ("reports", "Gap reports")]
    entries += [(_anchor("framework", f.key), f"{f.name} {f.version}") for f in report.frameworks]
    entries += [("controls", "Controls"), ("evidence", "Evidence files"), ("sources", "Source files")]
    out += ['<nav aria-labelledby="contents-title">', '<h2 id="contents-title">Contents</h2>', "<ol>"]
    out += [f'<li><a href="#{_e(target)}">{_e(label)}</a></li>' for target, label in entries]
    out += ["</ol>", "</nav>", "<main>"]
    out += _about(report, layout)
    out += ['<section id="reports">', "<h2>Gap reports</h2>", "<ul>"]
    out += [f"<li>{_file_link(file)} ({_e(label)})</li>" for file, label in layout.reports]
    out += ["</ul>", "</section>"]
    controls = {c.control: c for c in report.controls}
    for framework in report.frameworks:
        out += _framework(framework, controls, layout)
    requirements = {(f.key, r.id) for f in report.frameworks for r in f.requirements}
    out += ['<section id="controls">', "<h2>Controls</h2>"]
    sources = {s.path: s.file for s in layout.sources}
    for control in report.controls:
        out += _control(control, requirements, layout, sources)
    out.append("</section>")
    out += _evidence(layout)
    out += ['<section id="sources">', "<h2>Source files</h2>"]
    out += _table(
        "The control, mapping, waiver and scope files the gap report was computed from",
        ["File", "Kind", "Path when packed"],
        [[_file_link(s.file), _e(s.kind), f"<code>{_e(s.path)}</code>"] for s in layout.sources],
    )
    out += ["</section>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _about(report: Report, layout: PackLayout) -> list[str]:
    redacted = sum(1 for e in layout.evidence.values() if e.redactions)
    signed = (
        f"<code>manifest.sig</code> is an Ed25519 signature of the exact bytes of "
        f"<code>manifest.json</code>, made by the key with fingerprint <code>{_e(layout.key_id)}</code>."
        if layout.key_id
        else "This pack is not signed."
    )
    return [
        '<section id="about">',
        "<h2>About this pack</h2>",
        f"<p>This pack holds the gap report at {_e(_when(report.generated_at))}, every evidence file "
        "the assessment read, and the control, mapping, waiver and scope files it used. "
        f"{_file_link('manifest.json')} lists every file with its sha256 and size, and for each "
        f"evidence file when and how it was collected. {signed}</p>",
        "<p>To check that nothing was changed, added or removed: <code>assay verify PACK.zip "
        "--public-key KEY.pub</code> (or compare the sha256 of each file with the manifest).</p>",
        f"<p>{redacted} evidence file(s) had secrets replaced by <code>[REDACTED]</code> before packing; "
        "the evidence table below and the manifest say where, and give the sha256 of the original, "
        "which is the hash in the gap report.</p>"
        if redacted
        else "<p>No evidence file held anything that needed redaction: every evidence file is packed "
        "byte for byte as it was assessed.</p>",
        "</section>",
    ]


def _framework(
    framework: FrameworkReport, controls: Mapping[str, ControlEntry], layout: PackLayout
) -> list[str]:
    out = [
        f'<section class="framework" id="{_e(_anchor("framework", framework.key))}">',
        f"<h2>{_e(framework.name)} {_e(framework.version)}</h2>",
        f"<p>{framework.assessable} assessable requirements, {_share(framework.share_met)} of those in "
        "scope met.</p>",
    ]
    parents = {r.id: r.parent for r in framework.requirements}
    known = set(controls)
    rows = []
    for requirement in framework.requirements:
        depth = _depth(requirement.id, parents)
        indent = "&#160;&#160;" * depth
        mapped = []
        files: dict[str, None] = {}
        for link in requirement.controls:
            status = _status(link.status) if link.status is not None else "not run"
            control = controls.get(link.control)
            findings = ""
            if control is not None and control.findings:
                findings = f" ({len(control.findings)} finding{'s' if len(control.findings) != 1 else ''})"
            coverage = _e(CONTROL_COVERAGE[link.coverage])
            mapped.append(f"<li>{_control_link(link.control, known)} {status} {coverage}{findings}</li>")
            if control is not None:
                for use in control.evidence:
                    if use.name in layout.evidence:
                        files[layout.evidence[use.name].file] = None
        notes = [f"<li>{_e(note)}</li>" for note in requirement_notes(requirement)]
        rows.append(
            [
                f'<span id="{_e(_anchor("req", framework.key, requirement.id))}">{indent}'
                f"{_e(requirement.id)}</span>",
                _e(requirement.title),
                _status(requirement.status),
                _list(mapped),
                _list([f"<li>{_file_link(f)}</li>" for f in files]),
                _list(notes),
            ]
        )
    out += _table(
        f"{framework.name}: requirements, the controls behind them and their evidence",
        ["Requirement", "Title", "Status", "Controls", "Evidence", "Notes"],
        rows,
    )
    out.append("</section>")
    return out


def _control(
    control: ControlEntry,
    requirements: set[tuple[str, str]],
    layout: PackLayout,
    sources: Mapping[str, str],
) -> list[str]:
    anchor = _anchor("control", control.control)
    facts = control_facts(
        control,
        requirements,
        lambda file, where: _file_link(sources[file], where) if file in sources else "",
    )
    out = [
        f'<article class="control" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-title">',
        f'<h3 id="{_e(anchor)}-title">{_e(control.control)}: {_e(control.title)}</h3>',
        '<dl class="facts">',
        *(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts),
        "</dl>",
    ]
    if control.findings:
        out += findings_table(control)
    if control.errors:
        out += ["<ul>", *(f"<li>{_e(error)}</li>" for error in control.errors), "</ul>"]
    if control.evidence:
        rows = []
        for use in control.evidence:
            packed = layout.evidence.get(use.name)
            rows.append(
                [
                    _file_link(packed.file, use.name) if packed else _e(use.name),
                    _hash(use.sha256, short=True),
                    _e(_when(use.collected_at)),
                    _e(use.problem or ""),
                ]
            )
        out += _table(
            f"{control.control}: evidence read", ["Evidence", "sha256", "Collected at", "Problem"], rows
        )
    out.append("</article>")
    return out


def _evidence(layout: PackLayout) -> list[str]:
    out = ['<section id="evidence">', "<h2>Evidence files</h2>"]
    rows = []
    for item in sorted(layout.evidence.values(), key=lambda e: e.file):
        redacted = [f"<li><code>{_e(at)}</code>: {_e(why)}</li>" for at, why in item.redactions]
        rows.append(
            [
                _file_link(item.file),
                _e(item.name),
                _e(_when(item.collected_at)),
                _e(item.source or ""),
                _hash(item.sha256, short=False),
                _list(redacted) if redacted else "none",
            ]
        )
    out += _table(
        "Every evidence file read, as packed; sha256 is that of the file the assessment read",
        ["File", "Evidence", "Collected at", "Source", "sha256", "Redacted"],
        rows,
    )
    out.append("</section>")
    return out


def _file_link(file: str, label: str | None = None) -> str:
    """A relative link to a file inside the pack, each path segment percent-encoded."""
    return f'<a href="{_e(quote(file, safe="/"))}"><code>{_e(label or file)}</code></a>'
