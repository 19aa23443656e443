"""``assay export``: its arguments, its output and its errors."""

from __future__ import annotations

import json
from pathlib import Path


def test_export_writes_to_stdout_without_output(cli) -> None:
    result = cli("export", "component-definition", "--framework", "soc2")
    assert result.code == 0
    document = json.loads(result.out)["component-definition"]
    implementations = document["components"][0]["control-implementations"]
    assert [p["value"] for i in implementations for p in i["props"]] == ["soc2"]


def test_an_unknown_kind_or_framework_is_a_usage_error(cli) -> None:
    assert cli("export", "ssp").code == 2
    unknown = cli("export", "component-definition", "--framework", "soc3")
    assert unknown.code == 2
    assert "unknown framework 'soc3'" in unknown.err
    assert "soc2" in unknown.err  # did you mean


def test_a_folder_that_cannot_be_written_leaves_nothing(cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "component.json"
    result = cli("export", "component-definition", "--output", str(target))
    assert result.code == 2
    assert "cannot write" in result.err
    assert not target.parent.exists()


def test_an_existing_file_is_replaced_whole(cli, tmp_path: Path) -> None:
    target = tmp_path / "component.json"
    target.write_text("old", encoding="utf-8")
    assert cli("export", "component-definition", "--output", str(target)).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["component-definition"]["uuid"]
    assert [p.name for p in tmp_path.iterdir()] == ["component.json"]
