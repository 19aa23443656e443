"""``assay check --evidence-root DIR``: every account's evidence folder in DIR, one organisation report."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams, UsageError, output_path, write_atomically
from assay.commands._options import project_from
from assay.commands._progress import Progress


def run_organisation(args: argparse.Namespace, streams: Streams) -> int:
    """Evaluate the accounts under ``--evidence-root``; 1 when any account fails or was not evaluated."""
    from assay.executor import make_executor
    from assay.org import run_organisation as evaluate_organisation
    from assay.render import org as org_render

    refused = [flag for flag, given in _single_run_options(args) if given]
    if refused:
        raise UsageError(f"assay check: error: {', '.join(refused)} cannot be used with --evidence-root")
    output = output_path(args, streams)
    name = org_render.format_for(args.format, str(output) if output is not None else None)
    if name is None:
        known = ", ".join(f"{key} ({extension})" for key, (extension, _) in org_render.FORMATS.items())
        raise UsageError(f"assay check: error: the organisation report is written as {known}")
    config = project_from(args)
    executor = make_executor(args.executor or "local", jobs=config.jobs, scheduler=args.scheduler)
    try:
        with Progress(streams.err) as progress:
            report = evaluate_organisation(
                config, args.evidence_root, executor, selectors=args.selectors, progress=progress.update
            )
    finally:
        executor.close()
    text = org_render.render(report, name)
    if output is not None:
        write_atomically(output, text)
        streams.warn(f"assay check: wrote {name} organisation report to {output}")
    else:
        streams.out.write(text if name == "terminal" else _shown(text, streams))
    for account in report.accounts:
        if account.error is not None:
            streams.warn(f"assay check: account {account.account} not evaluated: {account.error}")
    return 1 if report.failing else 0


def _single_run_options(args: argparse.Namespace) -> list[tuple[str, bool]]:
    return [
        ("--evidence", args.setting_evidence is not None),
        ("--baseline", args.baseline is not None),
        ("--record", bool(args.setting_record)),
        ("--record-evidence", bool(args.setting_record_evidence)),
    ]


def _shown(text: str, streams: Streams) -> str:
    from assay.safe_text import terminal_safe

    return terminal_safe(text, multiline=True) if streams.out.isatty() else text
