"""An operating period as an auditor's sample sheet: terminal text, JSON, CSV and HTML.

Each is a function of the :class:`PeriodReport` alone (and, for the evidence hashes of each sampled
run, the evidence names each control reads). Text from the store (ids, run ids) is escaped for HTML
and CSV formula characters are neutralised: a store may have been written by anyone with access.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from assay.store.records import ControlPeriod, PeriodReport

FORMATS = ("terminal", "json", "csv", "html")
MINUTE = "%Y-%m-%d %H:%M"
CSP = "default-src 'none'; style-src 'unsafe-inline'"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def render_period(report: PeriodReport, fmt: str, reads: Mapping[str, Sequence[str]] | None = None) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`); ``reads``: each control's evidence names."""
    renderers = {"terminal": terminal, "json": as_json, "csv": as_csv, "html": as_html}
    return renderers[fmt](report, reads or {})


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 3)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _hours(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def as_json(report: PeriodReport, _reads: Mapping[str, Sequence[str]]) -> str:
    """Every field; durations in hours."""
    data = {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "runs": [_plain(dataclasses.asdict(r)) for r in report.runs],
        "controls": [_plain(dataclasses.asdict(c)) for c in report.controls],
        "evidence": report.evidence,
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def _hashes(report: PeriodReport, control: str, run: str, reads: Mapping[str, Sequence[str]]) -> str:
    used = report.evidence.get(run, {})
    names = reads.get(control, sorted(used))
    return " ".join(f"{name}={used.get(name) or '-'}" for name in names if name in used)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def as_csv(report: PeriodReport, reads: Mapping[str, Sequence[str]]) -> str:
    """One row per control and sampled run (one row for a control no run covered), with evidence hashes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "control",
            "verdict",
            "runs",
            "longest_gap_hours",
            "failing_intervals",
            "run",
            "evaluated_at",
            "status",
            "evidence_sha256",
        ]
    )
    for c in report.controls:
        head = [c.control, c.verdict, c.runs, _hours(c.longest_gap), len(c.failing)]
        if not c.samples:
            writer.writerow([_cell(v) for v in [*head, "", "", "", ""]])
        for s in c.samples:
            row = [*head, s.run, s.at.isoformat(), s.status, _hashes(report, c.control, s.run, reads)]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _intervals(c: ControlPeriod) -> list[str]:
    return [
        f"failing from {i.first_run} ({i.first_at:{MINUTE}}) to {i.last_run} ({i.last_at:{MINUTE}})"
        + (f", passing again in {i.recovered_run}" if i.recovered_run else ", still failing at the end")
        for i in c.failing
    ]


def terminal(report: PeriodReport, _reads: Mapping[str, Sequence[str]]) -> str:
    lines = [
        f"Operating period {report.start:{MINUTE}} to {report.end:{MINUTE}}: {len(report.runs)} runs",
        "",
    ]
    for c in report.controls:
        gap = _hours(c.longest_gap)
        lines.append(f"{c.control:<16} {c.verdict:<26} runs {c.runs:>4}  longest gap {gap}h")
        lines += [f"    {text}" for text in _intervals(c)]
        lines += [f"    why: {reason}" for reason in c.reasons if c.verdict != "operated_effectively"]
    counts: dict[str, int] = {}
    for c in report.controls:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    lines += ["", ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items())) or "no controls"]
    return "\n".join(lines) + "\n"


def as_html(report: PeriodReport, reads: Mapping[str, Sequence[str]]) -> str:
    e = html.escape
    rows = []
    for c in report.controls:
        samples = "".join(
            f"<li><code>{e(s.run)}</code> {e(s.at.isoformat())} {e(s.status)}"
            f" <small>{e(_hashes(report, c.control, s.run, reads))}</small></li>"
            for s in c.samples
        )
        notes = "".join(f"<li>{e(t)}</li>" for t in (*_intervals(c), *c.reasons))
        rows.append(
            f"<tr><th scope=row>{e(c.control)}</th><td class={e(c.verdict)}>{e(c.verdict)}</td>"
            f"<td>{c.runs}</td><td>{_hours(c.longest_gap)}</td><td><ul>{notes}</ul></td>"
            f"<td><details><summary>{len(c.samples)} runs</summary><ul>{samples}</ul></details></td></tr>"
        )
    title = f"Operating period {report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{e(title)}</title><style>body{{font-family:sans-serif}}td,th{{vertical-align:top;padding:4px;"
        "text-align:left}.operated_effectively{color:#064}.not_operated_effectively{color:#a00}</style></head>"
        f"<body><h1>{e(title)}</h1><p>{len(report.runs)} runs in the period.</p><table><thead><tr>"
        "<th>Control</th><th>Verdict</th><th>Runs</th><th>Longest gap (h)</th><th>Findings</th>"
        f"<th>Sampled runs and evidence sha256</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )
