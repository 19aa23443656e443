from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay import __version__

ROOT = Path(__file__).resolve().parents[1]


def test_builtin_catalog_lints_clean(cli) -> None:
    result = cli("lint", "--now", "2026-06-01")
    assert (result.code, result.out) == (0, "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint", "--controls", "no/such/dir"], "no/such/dir: no such file or directory"),
        (["lint", "--waivers", "missing.yaml"], "--waivers missing.yaml: no such file"),
        (["lint", "--now", "yesterday"], "not an ISO 8601 timestamp"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(cli, argv: list[str], message: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*argv)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""


def test_version(cli, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("--version")
    assert result.code == 0
    assert __version__ in capsys.readouterr().out


def test_only_the_process_command_line_freezes_what_it_made_before_the_exit() -> None:
    """main() reading sys.argv is the console script or python -m assay, ending when it returns: it
    freezes the heap so the exit does not walk it. Called with arguments (a program, these tests), it
    leaves the collector alone."""
    import gc
    import subprocess
    import sys

    from assay.cli import main

    before = gc.get_freeze_count()
    assert main(["--version"]) == 0
    assert gc.get_freeze_count() == before
    code = "import gc, sys; from assay.cli import main; sys.argv = ['assay', '--version']; c = main(); "
    code += "print(c, gc.get_freeze_count() > 0)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 True"


PROGRAM = """
import atexit, os, sys, threading, time
class Noisy:
    def __del__(self, write=os.write):
        write(2, b"torn down\\n")
keep = Noisy()
atexit.register(lambda: sys.stderr.write("exit handler\\n"))
def late(path=sys.argv[1]):
    time.sleep(0.3)
    with open(path, "w") as handle:
        handle.write("done")
if sys.argv[2] == "thread":
    threading.Thread(target=late).start()
sys.argv = ["assay", "check", "--format", "json"]
from assay.cli import run
run()
"""


def _program(marker: Path, mode: str) -> subprocess.CompletedProcess[str]:
    """PROGRAM run on the example: ``mode`` "thread" leaves a thread writing ``marker`` as it ends."""
    command = [sys.executable, "-c", PROGRAM, str(marker), mode]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_the_program_runs_exit_handlers_and_flushes_but_frees_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "late.txt"
    done = _program(marker, "-")
    assert done.returncode == 1  # the example has failing controls
    assert json.loads(done.stdout)["summary"]  # all of a large report, flushed
    assert "exit handler" in done.stderr
    assert "torn down" not in done.stderr  # the interpreter's teardown was skipped
    assert not marker.exists()


def test_the_program_waits_for_a_thread_still_working(tmp_path: Path) -> None:
    marker = tmp_path / "late.txt"
    done = _program(marker, "thread")
    assert done.returncode == 1
    assert marker.read_text() == "done"
    assert "exit handler" in done.stderr
