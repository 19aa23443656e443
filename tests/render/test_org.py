"""The organisation report's renderers: account names and findings are untrusted text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import jsonschema

from assay.model import ControlStatus, Severity
from assay.org import (
    AccountControl,
    AccountEntry,
    ControlSummary,
    FrameworkSummary,
    OrgReport,
    RequirementSummary,
)
from assay.render import org
from assay.results import Finding
from assay.schemas import shipped_path

HOSTILE_ACCOUNT = "acct|<img src=x onerror=alert(1)>\x1b[2J\u202e[link](http://evil)\nforged line"
HOSTILE_MESSAGE = "volume \x1b]0;owned\x07 | <b>bold</b> [x](http://evil)\r\nFAKE: all passing"


def hostile_report() -> OrgReport:
    failing = AccountEntry(
        account=HOSTILE_ACCOUNT,
        evidence=f"org/{HOSTILE_ACCOUNT}",
        evaluated=True,
        failing=True,
        summary={"pass": 1, "fail": 1},
        controls=(
            AccountControl(
                control="DISK-01",
                status=ControlStatus.FAIL,
                findings=tuple(
                    Finding(rule="r", resource=f"vol-{i}\x1b[31m", message=HOSTILE_MESSAGE) for i in range(25)
                ),
                findings_total=2500,
            ),
        ),
    )
    broken = AccountEntry(
        account="broken\x1b[31m", evidence="org/broken", evaluated=False, failing=True, error=HOSTILE_MESSAGE
    )
    return OrgReport(
        assay_version="0.1.0",
        generated_at=datetime(2026, 11, 25, tzinfo=UTC),
        backend="native",
        root="org",
        summary={"accounts": 2, "evaluated": 1, "passing": 0, "failing": 1, "not_evaluated": 1},
        controls=(
            ControlSummary(
                control="DISK-01",
                title=HOSTILE_MESSAGE,
                severity=Severity.HIGH,
                domain="cryptography",
                counts={"pass": 0, "fail": 1, "not_evaluated": 1},
                failing_accounts=(HOSTILE_ACCOUNT,),
            ),
        ),
        frameworks=(
            FrameworkSummary(
                key="soc2",
                name="SOC 2",
                version="2017",
                requirements=(
                    RequirementSummary(
                        id="CC6.1",
                        title=HOSTILE_MESSAGE,
                        met=0,
                        counts={"not_met": 1, "not_evaluated": 1},
                        not_met_accounts=(HOSTILE_ACCOUNT,),
                    ),
                ),
            ),
        ),
        accounts=(failing, broken),
    )


def test_terminal_text_cannot_steer_the_terminal_or_forge_lines() -> None:
    text = org.render_terminal(hostile_report())
    assert "\x1b" not in text
    assert "\r" not in text
    assert "\u202e" not in text
    assert "\x07" not in text
    assert not any(line.startswith(("forged line", "FAKE")) for line in text.splitlines())
    assert "\\x1b[2J" in text  # shown, not obeyed


def test_markdown_escapes_tables_links_html_and_controls() -> None:
    text = org.render_markdown(hostile_report())
    assert "\x1b" not in text
    assert "<img" not in text
    assert "<b>" not in text
    assert not re.search(r"(?<!\\)\]\(http://evil\)", text)  # no link: its bracket is escaped
    assert not any(line.startswith(("forged line", "FAKE")) for line in text.splitlines())
    table_rows = [line for line in text.splitlines() if line.startswith("| acct")]
    assert table_rows
    for row in table_rows:  # a pipe in the name never adds a column
        assert row.replace("\\|", "").count("|") == table_rows[0].replace("\\|", "").count("|")
    assert "… and 2480 more" in text  # findings are listed up to a limit, then counted


def test_json_round_trips_and_validates_against_the_shipped_schema() -> None:
    report = hostile_report()
    data = json.loads(org.render_json(report))
    jsonschema.Draft202012Validator(
        json.loads(shipped_path("org-report").read_text(encoding="utf-8"))
    ).validate(data)
    assert OrgReport.model_validate(data) == report


def test_formats_follow_the_name_or_the_extension() -> None:
    assert org.format_for(None, None) == "terminal"
    assert org.format_for(None, "out/org.json") == "json"
    assert org.format_for(None, "org.md") == "markdown"
    assert org.format_for(None, "org.sarif") is None
    assert org.format_for("markdown", "org.json") == "markdown"
    assert org.format_for("html", None) is None
