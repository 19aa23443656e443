"""``assay trust-page``: the public security page, from the controls that pass, and security.txt."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assay.commands._common import Streams, add_output_option, output_path, write_atomically
from assay.commands._options import (
    CATALOG_OPTIONS,
    EVIDENCE_OPTIONS,
    FRAMEWORK_OPTION,
    add_project_options,
    project_from,
)
from assay.errors import ConfigError

if TYPE_CHECKING:
    from assay.trust import TrustConfig

NAME = "trust-page"
HELP = "write the public trust page from the controls that pass, and security.txt"
DEFAULT_FOLDER = Path("trust-page")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, EVIDENCE_OPTIONS, (FRAMEWORK_OPTION,))
    add_output_option(parser, "DIR", "write here (default: trust.output, else ./trust-page)")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="trust page config (default: trust.config, else ./trust.yaml)",
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.pipeline import run as run_project
    from assay.project import display
    from assay.render.trust_page import render_html, render_markdown, render_withheld
    from assay.trust import build_trust_page, load_trust_config, trust_config_path

    project = project_from(args)
    folder = output_path(args, streams, project.trust.output or DEFAULT_FOLDER) or DEFAULT_FOLDER
    if args.config is not None:
        project = project.with_values({"trust.config": args.config}, "--config")
    config_path = trust_config_path(project)
    if config_path is None:
        raise ConfigError("no trust page config: give --config FILE or trust.config (see example/trust.yaml)")
    if not config_path.is_file():
        origin = project.origin("trust.config")
        where = origin if origin.startswith("--") else f"trust page config ({origin})"
        raise ConfigError(f"{where} {config_path}: no such file")
    config_path = Path(display(config_path))
    config = load_trust_config(config_path, str(config_path))
    outcome = run_project(project)
    for notice in outcome.notices:
        streams.warn(notice)
    page = build_trust_page(outcome.report, config, project.trust)
    files = {
        "index.html": render_html(page),
        "trust.md": render_markdown(page),
        "withheld.md": render_withheld(page),
    }
    status = _security_txt(config, config_path, outcome.run.now, files, streams)
    for name, content in files.items():
        target = folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot write {folder}: {exc.strerror or exc}") from None
        write_atomically(target, content)
    published = sum(len(s.claims) for s in page.sections) + len(page.attestations)
    streams.warn(
        f"assay trust-page: wrote {', '.join(files)} to {folder}: "
        f"{published} claim(s) published, {len(page.withheld)} withheld (see withheld.md)"
    )
    return status


def _security_txt(
    config: TrustConfig, config_path: Path, now: datetime, files: dict[str, str], streams: Streams
) -> int:
    """Add ``.well-known/security.txt`` when it is valid; 1 when it is expired or malformed."""
    from assay.durations import format_duration
    from assay.securitytxt import check_security_txt, expires_at, format_expires, render_security_txt

    if config.security_txt is None:
        streams.warn(f"{config_path}: no security_txt section; .well-known/security.txt was not written")
        return 0
    expires, cut = expires_at(config.security_txt, now)
    if cut:
        streams.warn(
            f"{config_path}: security_txt: expires is more than "
            f"{format_duration(config.security_txt.expires_in)} ahead; Expires is {format_expires(expires)}"
        )
    text = render_security_txt(config.security_txt, config.canonical_url, now=now)
    problems = check_security_txt(text, now)
    for problem in problems:
        streams.warn(f"{config_path}: security_txt: {problem}")
    if any(p.severity == "error" for p in problems):
        streams.warn("assay trust-page: security.txt is expired or malformed; it was not written")
        return 1
    files[".well-known/security.txt"] = text
    return 0
