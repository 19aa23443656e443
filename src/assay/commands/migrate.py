"""``assay migrate [PATHS] [--dry-run]``: upgrade files written for an earlier schema, in place.

A file's ``schema_version`` says which format it was written for (absent: 1). Version 2 gave every
mapped control a ``coverage`` and a ``rationale``: an entry without them (a bare control id, or a
mapping with no coverage) gets ``coverage: supporting``, the value that can never make a requirement
``met`` on its own, a rationale that says it is unreviewed, and a comment asking for review, which
``assay lint`` warns about until it is deleted. Everything else in the file is kept
(:mod:`assay.roundtrip`). ``--dry-run`` prints the diff and writes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.commands._authoring import open_for_edit, unified_diff
from assay.commands._common import Streams
from assay.commands._layout import kind_of
from assay.commands._options import add_project_options, project_from
from assay.commands.fmt import expand, project_files
from assay.errors import Diagnostic, LoadError, Severity

if TYPE_CHECKING:  # ruamel.yaml and the loaders (pydantic) are imported when the command runs
    from ruamel.yaml.comments import CommentedMap

    from assay.roundtrip import RoundTripDocument

NAME = "migrate"
HELP = "upgrade controls, mappings and policy files to the current schema, keeping comments"
REVIEW_COMMENT = "coverage and rationale, then delete this comment"  # after the REVIEW_MARKER
UNREVIEWED = "Not reviewed yet, mapped before coverage existed, so it counts as supporting only."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the project's)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    add_project_options(parser)


def upgraded_control(mapped: Any) -> CommentedMap | None:
    """The mapped control with a coverage and rationale; None when it already has its coverage."""
    from ruamel.yaml.comments import CommentedMap

    from assay.loading.documents import REVIEW_MARKER

    upgraded: CommentedMap
    if isinstance(mapped, CommentedMap):
        if "coverage" in mapped:
            return None
        upgraded = mapped
        upgraded.fa.set_block_style()  # a comment cannot follow a key of a flow mapping
        upgraded.insert(1, "coverage", "supporting")
    elif isinstance(mapped, str):
        upgraded = CommentedMap([("control", mapped), ("coverage", "supporting")])
    else:
        return None  # not a control: the loader reports it
    if "rationale" not in upgraded:
        upgraded.insert(2, "rationale", UNREVIEWED)
    upgraded.yaml_add_eol_comment(f"{REVIEW_MARKER} {REVIEW_COMMENT}", "coverage")
    return upgraded


def migrate_mappings(data: Any) -> int:
    """Give each mapped control without a coverage its ``supporting`` coverage; how many were changed."""
    from ruamel.yaml.comments import CommentedSeq

    changed = 0
    for entry in data.get("mappings") or ():
        controls = entry.get("controls") if isinstance(entry, dict) else None
        if not isinstance(controls, list):
            continue
        for index, mapped in enumerate(controls):
            upgraded = upgraded_control(mapped)
            if upgraded is not None:
                controls[index] = upgraded
                changed += 1
        if changed and isinstance(controls, CommentedSeq):
            controls.fa.set_block_style()  # comments cannot follow entries of a flow list
    return changed


def migrate(document: RoundTripDocument) -> bytes:
    """The file at the current schema version."""
    from assay.loading.documents import SCHEMA_VERSION_KEY
    from assay.model import SCHEMA_VERSION
    from assay.roundtrip import render

    data = document.data
    kind = kind_of(data)
    if kind is None:
        message = "not an assay controls, mappings, waivers, scope or parameters file; nothing to migrate"
        raise LoadError([Diagnostic(document.shown, 1, 1, Severity.ERROR, message)])
    version = data.get(SCHEMA_VERSION_KEY, 1)
    if version == SCHEMA_VERSION:
        return document.original
    if kind == "mappings":
        migrate_mappings(data)
    if SCHEMA_VERSION_KEY in data:
        data[SCHEMA_VERSION_KEY] = SCHEMA_VERSION
    else:
        data.insert(0, SCHEMA_VERSION_KEY, SCHEMA_VERSION)
    return render(document)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.loading.documents import REVIEW_MARKER
    from assay.model import SCHEMA_VERSION
    from assay.roundtrip import write_document

    project = project_from(args)
    files = expand(list(args.paths) or project_files(project))
    documents = [open_for_edit(path, project) for path, _named in files]  # every file checked first
    for document in documents:
        new = migrate(document)
        to_review = new.decode("utf-8").count(f"# {REVIEW_MARKER}")
        if new == document.original:
            state = "already at the current schema"
        elif args.dry_run:
            streams.out.write(unified_diff(document, new))
            state = f"would be migrated to schema_version {SCHEMA_VERSION}"
        else:
            write_document(document, new)
            state = f"migrated to schema_version {SCHEMA_VERSION}"
        streams.say(
            f"{document.shown}: {state}; {to_review} entr{'y' if to_review == 1 else 'ies'} left to review"
        )
    return 0
