"""``assay fmt [PATHS] [--check]``: canonical key order and indentation for the files people write.

Controls, mappings, waivers, scope and parameters files get their keys in the order of
:mod:`assay.commands._layout` and assay's indentation (mappings by 2, list items by 4 with the dash
at 2); comments, quoting, folding and line endings are kept (:mod:`assay.roundtrip`). ``--check``
writes nothing, prints a unified diff and exits 1 when a file would change, for CI and pre-commit.
Without PATHS it formats the project's files.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assay.commands._authoring import open_for_edit, unified_diff
from assay.commands._common import Streams
from assay.commands._layout import KINDS, kind_of, reorder
from assay.commands._options import add_project_options, project_from
from assay.errors import Diagnostic, LoadError, Severity
from assay.project import Project

if TYPE_CHECKING:  # ruamel.yaml is imported when the command runs
    from assay.roundtrip import RoundTripDocument

NAME = "fmt"
HELP = "format controls, mappings, waivers, scope and parameters files (--check: report, write nothing)"
SUFFIXES = (".yaml", ".yml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the project's)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; print a diff and exit 1 if any file would change"
    )
    parser.add_argument(
        "--skip-other",
        action="store_true",
        help="skip files that are not assay's, or not YAML it reads, instead of refusing them (pre-commit)",
    )
    add_project_options(parser)


def project_files(project: Project) -> list[Path]:
    """The files the project names: its controls, mappings, waivers, scope and parameters."""
    named = [*project.controls, *project.mappings]
    named += [p for p in (project.waivers, project.scope, project.parameters) if p is not None]
    return named


def expand(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Each YAML file to format, and whether it was named itself (a folder's other files are skipped)."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            files += [(f, False) for f in sorted(path.rglob("*")) if f.suffix in SUFFIXES and f.is_file()]
        else:
            files.append((path, True))
    return files


def formatted(document: RoundTripDocument, named: bool) -> bytes | None:
    """The file's formatted bytes; None for a file of another kind found in a folder."""
    from assay.roundtrip import render

    kind = kind_of(document.data)
    if kind is None:
        if not named:
            return None
        raise LoadError(
            [
                Diagnostic(
                    document.shown,
                    1,
                    1,
                    Severity.ERROR,
                    "not an assay file that fmt formats: expected one top-level key of " + ", ".join(KINDS),
                )
            ]
        )
    reorder(document.data, KINDS[kind])
    return render(document, reindent=True)


def _read(
    files: list[tuple[Path, bool]], project: Project, streams: Streams, *, skip_other: bool
) -> list[tuple[RoundTripDocument, bool]]:
    """Every file read for editing; with ``skip_other``, one that is not readable YAML is skipped."""
    documents = []
    for path, named in files:
        try:
            documents.append((open_for_edit(path, project), named))
        except LoadError as exc:
            if not skip_other:
                raise
            streams.warn(f"assay fmt: skipped {exc.diagnostics[0]}")
    return documents


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.roundtrip import write_document

    project = project_from(args)
    files = expand(list(args.paths) or project_files(project))
    changed = 0
    # Every file is read and formatted before any is written: one bad file leaves all of them as they were.
    results = [
        (d, formatted(d, named and not args.skip_other))
        for d, named in _read(files, project, streams, skip_other=args.skip_other)
    ]
    for document, new in results:
        if new is None or new == document.original:
            continue
        changed += 1
        if args.check:
            streams.out.write(unified_diff(document, new))
        else:
            write_document(document, new)
            streams.say(f"formatted {document.shown}")
    verb = "would be reformatted" if args.check else "reformatted"
    streams.say(f"{changed} of {len(files)} file(s) {verb}")
    return 1 if args.check and changed else 0
