"""Drift as text, JSON and HTML: what changed between two runs, and one control's history over runs.

The HTML history draws a timeline per control as inline SVG: one mark per run, coloured by status, at
its place in time. Everything from the store is escaped: a store may have been written by anyone with
access to it.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Sequence

from assay.store.records import ControlPoint, RunDiff, StatusChange

COLOURS = {
    "pass": "#1a7f37",
    "fail": "#cf222e",
    "error": "#8250df",
    "waived": "#bf8700",
    "not_assessed": "#6e7781",
}
WIDTH, HEIGHT, MARGIN = 720, 48, 12


def _change(c: StatusChange) -> str:
    return f"  {c.key}: {c.before or '(absent)'} -> {c.after or '(absent)'}"


def diff_text(d: RunDiff) -> str:
    lines = [
        f"From run {d.a.id} ({d.a.evaluated_at.isoformat()}) to run {d.b.id} ({d.b.evaluated_at.isoformat()})"
    ]
    sections = [
        ("Controls whose status changed", [_change(c) for c in d.controls]),
        ("Requirements whose status changed", [_change(c) for c in d.requirements]),
        ("Resources that started failing", [f"  {k}: {', '.join(v)}" for k, v in d.started_failing.items()]),
        ("Resources that stopped failing", [f"  {k}: {', '.join(v)}" for k, v in d.stopped_failing.items()]),
        ("Evidence whose hash changed", [_change(c) for c in d.evidence]),
    ]
    for title, body in sections:
        lines += ["", f"{title}: {len(body) or 'none'}", *body]
    return "\n".join(lines) + "\n"


def diff_json(d: RunDiff) -> str:
    data = dataclasses.asdict(d)
    for key in ("a", "b"):
        data[key] = {
            **data[key],
            "evaluated_at": data[key]["evaluated_at"].isoformat(),
            "recorded_at": data[key]["recorded_at"].isoformat(),
        }
    return json.dumps(data, indent=2) + "\n"


def _page(title: str, body: str) -> str:
    """A standalone page that loads nothing (a CSP forbids it), with the store's text escaped by callers."""
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}"><title>{html.escape(title)}</title>'
        f"</head><body>{body}</body></html>\n"
    )


def diff_html(d: RunDiff) -> str:
    """The diff as a page: each section a table; each control whose status changed with its two runs
    on a timeline."""
    e = html.escape
    parts = [
        f"<h1>From run <code>{e(d.a.id)}</code> to run <code>{e(d.b.id)}</code></h1>",
        f"<p>{e(d.a.evaluated_at.isoformat())} to {e(d.b.evaluated_at.isoformat())}</p>",
        "<h2>Controls whose status changed</h2>",
    ]
    for c in d.controls:
        points = [
            ControlPoint(d.a.id, d.a.evaluated_at, c.before or "not_assessed", 0),
            ControlPoint(d.b.id, d.b.evaluated_at, c.after or "not_assessed", 0),
        ]
        parts.append(f"<h3>{e(c.key)}: {e(c.before or '(absent)')} to {e(c.after or '(absent)')}</h3>")
        parts.append(timeline_svg(points))
    tables = [
        ("Requirements whose status changed", [(c.key, f"{c.before} to {c.after}") for c in d.requirements]),
        ("Resources that started failing", [(k, ", ".join(v)) for k, v in d.started_failing.items()]),
        ("Resources that stopped failing", [(k, ", ".join(v)) for k, v in d.stopped_failing.items()]),
        ("Evidence whose hash changed", [(c.key, f"{c.before} to {c.after}") for c in d.evidence]),
    ]
    for title, rows in tables:
        cells = "".join(f"<tr><td>{e(key)}</td><td>{e(value)}</td></tr>" for key, value in rows)
        parts.append(f"<h2>{e(title)}: {len(rows) or 'none'}</h2><table><tbody>{cells}</tbody></table>")
    return _page(f"assay diff {d.a.id} {d.b.id}", "".join(parts))


def history_text(control: str, points: Sequence[ControlPoint]) -> str:
    lines = [f"{control}: {len(points)} recorded runs"]
    lines += [
        f"  {p.at.isoformat()}  {p.run}  {p.status:<12} failing resources {p.failing_resources}"
        for p in points
    ]
    return "\n".join(lines) + "\n"


def history_json(control: str, points: Sequence[ControlPoint]) -> str:
    runs = [{**dataclasses.asdict(p), "at": p.at.isoformat()} for p in points]
    return json.dumps({"control": control, "runs": runs}, indent=2) + "\n"


def timeline_svg(points: Sequence[ControlPoint]) -> str:
    """One mark per run along a time axis, coloured by status, each with a tooltip."""
    if not points:
        return ""
    first, last = points[0].at, points[-1].at
    span = (last - first).total_seconds() or 1.0
    marks = []
    for p in points:
        x = MARGIN + (WIDTH - 2 * MARGIN) * (p.at - first).total_seconds() / span
        colour = COLOURS.get(p.status, "#000000")
        tip = html.escape(f"{p.at.isoformat()} {p.run}: {p.status}, {p.failing_resources} failing")
        marks.append(
            f'<rect x="{x - 3:.1f}" y="{MARGIN}" width="6" height="{HEIGHT - 2 * MARGIN}" fill="{colour}">'
            f"<title>{tip}</title></rect>"
        )
    axis = f'<line x1="{MARGIN}" y1="{HEIGHT - 6}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - 6}" stroke="#999"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>timeline of {len(points)} runs</title>'
        f"{axis}{''.join(marks)}</svg>"
    )


def history_html(control: str, points: Sequence[ControlPoint]) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(p.at.isoformat())}</td><td><code>{e(p.run)}</code></td><td>{e(p.status)}</td>"
        f"<td>{p.failing_resources}</td></tr>"
        for p in points
    )
    return _page(
        f"{control} history",
        f"<h1>{e(control)}</h1>{timeline_svg(points)}<table><thead><tr><th>Evaluated</th><th>Run</th>"
        f"<th>Status</th><th>Failing resources</th></tr></thead><tbody>{rows}</tbody></table>",
    )
