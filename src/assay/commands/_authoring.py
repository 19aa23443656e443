"""What the commands that edit people's YAML files share: where they may write, and how.

Every write goes through :mod:`assay.roundtrip`: the file is checked by the safe reader, edited as a
ruamel.yaml tree, written back with only the edited lines changed, atomically, and never over a file
that changed on disk since it was read.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from assay.errors import ConfigError
from assay.project import Project

if TYPE_CHECKING:  # ruamel.yaml is imported by the commands that edit, when they run
    from assay.roundtrip import RoundTripDocument


def inside_project(path: Path, project: Project) -> Path:
    """``path``, refused when it lies outside the project's folder (links resolved)."""
    root = project.root.resolve()
    resolved = (project.root / path).resolve() if not path.is_absolute() else path.resolve()
    if not resolved.is_relative_to(root):
        raise ConfigError(f"{path}: outside the project folder {root}; assay writes only inside its project")
    return path if path.is_absolute() else project.root / path


def shown_path(path: Path, project: Project) -> str:
    """``path`` as messages print it: relative to the project folder when inside it."""
    try:
        return str(path.resolve().relative_to(project.root.resolve()))
    except ValueError:
        return str(path)


def open_for_edit(path: Path, project: Project) -> RoundTripDocument:
    """Read a file the user owns for editing, inside the project only."""
    from assay.roundtrip import read_document

    target = inside_project(path, project)
    return read_document(target, shown=shown_path(target, project))


def unified_diff(document: RoundTripDocument, new: bytes) -> str:
    """The change from the file on disk to ``new``, as ``diff -u`` prints it."""
    before = document.original.decode("utf-8").splitlines(keepends=True)
    after = new.decode("utf-8").splitlines(keepends=True)
    name = document.shown
    return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


def save(document: RoundTripDocument) -> bool:
    """Write the edited tree back; False when nothing changed."""
    from assay.roundtrip import render, write_document

    return write_document(document, render(document))
