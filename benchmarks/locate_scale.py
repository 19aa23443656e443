"""Time placing a large run's findings in their evidence files (``assay.locate``), tree against tree.

Each tree (``--tree NAME=SRC``, the first being the baseline) runs in its own process over the same
evidence (``benchmarks/check_scale.py`` makes it: ``--resources N`` into a temporary folder, or
``--evidence DIR``): the project is loaded and evaluated once (with ``--jobs``), then
``locate_results`` is timed ``--repeat`` times and the best is kept. The trees take turns, round
after round, so a busy machine slows them alike; the output is each tree's best time, its ratio to
the baseline's, the processor time (all threads) and page faults of the best repetition, the peak resident
memory after the first, and whether its places are the baseline's (every finding's location,
compared as JSON).

Usage: python benchmarks/locate_scale.py --tree old=/work/main/src --tree new=src
       [--resources 100000 | --evidence DIR] [--jobs 1] [--repeat 3] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import hashlib, json, os, resource, sys, tempfile, time
from pathlib import Path
from assay.commands import main
import assay.pipeline as P

evidence, jobs, repeat, example = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
located = P.locate_results


def faults():
    return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])


def timed(run, loaded):
    best, out, peak = None, None, None
    for _ in range(repeat):
        out = None
        before, start, cpu = faults(), time.perf_counter(), time.process_time()
        out = located(run, loaded)
        took, faulted = time.perf_counter() - start, faults() - before
        if best is None or took < best[0]:
            best = (took, faulted, time.process_time() - cpu)
        peak = peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # after the first
    places = hashlib.sha256()
    for result in out.results:
        places.update(json.dumps(result.location and result.location.model_dump()).encode())
        for finding in result.findings:
            places.update(json.dumps(finding.location and finding.location.model_dump()).encode())
    findings = sum(len(result.findings) for result in out.results)
    measured = {"seconds": best[0], "faults": best[1], "cpu": best[2], "peak": peak}
    print(json.dumps({**measured, "findings": findings, "places": places.hexdigest()}), file=sys.stderr)
    return out


P.locate_results = timed
# a file of its own, not /dev/null: an older tree's atomic write would rename a file over the device
output = os.path.join(tempfile.mkdtemp(prefix="locate-scale-"), "report.json")
args = ["check", "--jobs", jobs, "--format", "json", "--output", output, "--now", "2026-11-25T12:00:00Z",
        "--max-evidence-mb", "1024", "--evidence", evidence]
for kind in ("parameters", "waivers", "scope"):
    args += ["--" + kind, f"{example}/{kind}.yaml"]
try:
    main(args)
except SystemExit:
    pass
"""


def measure(source: str, evidence: Path, jobs: int, repeat: int) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": str(Path(source).resolve())}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(evidence), str(jobs), str(repeat), str(ROOT / "example")],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in reversed(done.stderr.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise SystemExit(f"{source}: no measurement\n{done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", required=True, help="NAME=SRC (the first is the baseline)")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument(
        "--evidence", type=Path, help="evidence made already (else made in a temporary folder)"
    )
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    trees = [tuple(tree.split("=", 1)) for tree in options.tree]
    with tempfile.TemporaryDirectory() as folder:
        evidence = options.evidence
        if evidence is None:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from check_scale import make_evidence

            evidence = Path(folder) / "evidence"
            make_evidence(evidence, options.resources)
        best: dict[str, dict[str, object]] = {}
        for _ in range(options.rounds):
            for name, source in trees:
                got = measure(source, evidence, options.jobs, options.repeat)
                if name not in best or float(got["seconds"]) < float(best[name]["seconds"]):  # type: ignore[arg-type]
                    best[name] = got
    base = best[trees[0][0]]
    for name, _ in trees:
        got = best[name]
        same = "same places" if got["places"] == base["places"] else "PLACES DIFFER"
        ratio = float(got["seconds"]) / float(base["seconds"])  # type: ignore[arg-type]
        print(
            f"{name:8} locate {float(got['seconds']):7.3f} s  x{ratio:5.2f}  cpu {float(got['cpu']):7.3f} s  "  # type: ignore[arg-type]
            f"faults {got['faults']:>8}  peak {got['peak']:>5} MiB  "
            f"findings {got['findings']}  {same}"
        )
    return 0 if all(best[name]["places"] == base["places"] for name, _ in trees) else 1


if __name__ == "__main__":
    sys.exit(main())
