"""The command line's parser lays out help exactly as argparse's own formatter does, at every width."""

from __future__ import annotations

import argparse
import shutil

import pytest

from assay.commands._common import HelpFormatter, Parser, terminal_columns


def described(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--project", metavar="DIR", help="the project folder " * 6)
    parser.add_argument("--format", choices=["terminal", "json", "sarif", "markdown", "oscal"], help="format")
    parser.add_argument("paths", nargs="*", help="files to look at, which may be many and have long names")
    return parser


@pytest.mark.parametrize("columns", [None, "", "0", "-3", "abc", " 70", "+60", "1_000", "15", "9", "100000"])
def test_help_is_laid_out_as_argparse_lays_it_out(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    description = "Compliance as code: controls, evidence and gap reports. " * 4
    ours = described(Parser(prog="assay check", description=description))
    theirs = described(argparse.ArgumentParser(prog="assay check", description=description))
    assert ours.formatter_class is HelpFormatter
    assert ours.format_help() == theirs.format_help()
    assert terminal_columns() == shutil.get_terminal_size().columns


def test_a_formatter_class_given_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    text = "line one\n  indented line two, which is long enough to be wrapped by a formatter that wraps"
    ours = described(Parser(prog="assay", description=text, formatter_class=argparse.RawTextHelpFormatter))
    theirs = described(
        argparse.ArgumentParser(prog="assay", description=text, formatter_class=argparse.RawTextHelpFormatter)
    )
    assert ours.formatter_class is argparse.RawTextHelpFormatter
    assert ours.format_help() == theirs.format_help()
    assert "  indented line two, which is long enough" in ours.format_help()
