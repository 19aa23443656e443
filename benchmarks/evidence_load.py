"""Time loading an evidence folder the way ``assay check`` loads it (pruned), file by file, A/B.

Each measurement is a fresh process that reads the built-in catalog, then times
:func:`assay.evidence.load_evidence_dir` with the pruning a run with the example's waivers uses (what
the catalog's rules read, the catalog's evidence schemas, the evidence the waivers watch), and
reports the whole load, each file's share and the peak RSS the load added. ``--against SRC`` runs
the same measurement with another tree's ``src`` (for example ``/work/main/src``) interleaved with
this one, so the ratio compares two trees on the same machine at the same moment; best of
``--repeat`` runs each.

``--phases`` instead splits each large JSON file of the folder into its steps, in this process:
reading, hashing, the ASCII and depth scans, the whole decode, the schema check on it, freeing it,
the pruned decode, and the one decode pruned to what the rules and the schema read with its check.

Usage: python benchmarks/evidence_load.py EVIDENCE_DIR [--against SRC] [--repeat 3] [--phases]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import gc, json, resource, sys, time
from pathlib import Path
import assay.evidence as E
from assay.cel.readpaths import evidence_read_paths
from assay.loaded_project import load_project, pruning_for
import dataclasses

project = load_project(evidence=False)  # the example's waivers: the evidence they watch, as a run does
pruning = pruning_for(project.config, project.catalog, project.waivers, evidence_read_paths)
limits = dataclasses.replace(E.EVIDENCE_LIMITS, max_bytes=1024 * 1024 * 1024)
files = {}
parse = E._DirectoryReader.parse
def timed(self, name, display, meta, relative):
    start = time.perf_counter()
    parse(self, name, display, meta, relative)
    files[relative] = time.perf_counter() - start
E._DirectoryReader.parse = timed
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
store = E.load_evidence_dir(Path(sys.argv[1]), limits=limits, pruning=pruning)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
problems = sorted(p.name for p in store.problems())
pruned = sorted(i.name for i in store.items() if i.pruned)
watched = sorted(pruning.watched)
print(json.dumps({"wall": wall, "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
                  "files": files, "problems": problems, "pruned": pruned, "watched": watched}))
"""


def measure(src: Path, evidence: Path) -> dict[str, object]:
    """One load of ``evidence`` in a fresh process running the tree ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": ""}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(evidence)], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def compare(evidence: Path, trees: dict[str, Path], repeat: int) -> None:
    """Best of ``repeat`` interleaved loads per tree, with each tree's wall time against the first's."""
    best: dict[str, dict[str, object]] = {}
    for _ in range(repeat):
        for label, src in trees.items():
            result = measure(src, evidence)
            if label not in best or float(result["wall"]) < float(best[label]["wall"]):  # type: ignore[arg-type]
                best[label] = result
    base = float(best[next(iter(trees))]["wall"])  # type: ignore[arg-type]
    for label, result in best.items():
        wall = float(result["wall"])  # type: ignore[arg-type]
        peak, added = float(result["peak_mb"]), float(result["added_mb"])  # type: ignore[arg-type]
        print(
            f"{label:10} load {wall:6.2f} s  ({wall / base:4.2f}x)  "
            f"peak {peak:6.0f} MiB  load added {added:6.0f} MiB"
        )
        files: dict[str, float] = result["files"]  # type: ignore[assignment]
        for relative, seconds in sorted(files.items(), key=lambda kv: -kv[1])[:5]:
            print(f"    {seconds:6.2f} s  {relative}")
    print("evidence watched by the example's waivers:", ", ".join(best[next(iter(trees))]["watched"]))  # type: ignore[arg-type]
    verdicts = {label: (r["problems"], r["pruned"]) for label, r in best.items()}
    if len({json.dumps(v) for v in verdicts.values()}) != 1:
        print("the trees disagree on which documents are problems or pruned:", verdicts)
        raise SystemExit(1)


def phases(evidence: Path) -> None:
    """Each large JSON file's load split into its steps (seconds), in this process."""
    import gc

    from assay.cel.readpaths import evidence_read_paths
    from assay.evidence import name_for
    from assay.loaded_project import load_project_catalog
    from assay.project import resolve_project

    catalog = load_project_catalog(resolve_project(config=None))
    reads = evidence_read_paths(catalog)
    gc.disable()
    for path in sorted(evidence.rglob("*.json")):
        if path.stat().st_size >= 1024 * 1024:
            name = name_for(path.relative_to(evidence).as_posix())
            steps = file_phases(path, reads.get(name), catalog.evidence_schemas.get(name))
            print(f"{name} ({path.stat().st_size / 2**20:.0f} MiB)")
            for label, seconds in steps.items():
                print(f"    {label:30} {seconds:6.2f} s")


def file_phases(path: Path, trie: Any, schema: Any) -> dict[str, float]:
    """The steps of loading one file: the old way (whole decode, check, pruned decode) and the new
    (one decode pruned to what the rules and the schema read, checked, cut down to the rules' reads)."""
    import hashlib
    import time

    import jsonschema_rs
    import msgspec

    from assay.evidence_json import text_depth
    from assay.evidence_prune import decoded_type, prune

    steps: dict[str, float] = {}

    def step(label: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = work()
        steps[label] = time.perf_counter() - start
        return value

    raw = step("read", path.read_bytes)
    step("sha256", lambda: hashlib.sha256(raw).hexdigest())
    step("isascii", raw.isascii)
    step("text_depth", lambda: text_depth(raw, 256))
    whole = step("whole decode", lambda: msgspec.json.decode(raw))
    validator = jsonschema_rs.Draft202012Validator(schema) if schema is not None else None
    if validator is not None:
        step("schema check (whole)", lambda: validator.is_valid(whole))
    step("free whole", whole.clear if isinstance(whole, dict) else list)
    if trie is None:
        return steps
    pruned = step("pruned decode", lambda: msgspec.json.Decoder(type=decoded_type(trie)).decode(raw))
    step("free pruned", pruned.clear if isinstance(pruned, dict) else list)
    if validator is not None:
        from assay.evidence_schema_reads import merge, schema_reads

        both = merge(trie, schema_reads(schema))
        if both is not None:
            wider = step(
                "decode pruned (rules+schema)",
                lambda: msgspec.json.Decoder(type=decoded_type(both)).decode(raw),
            )
            step("schema check (pruned)", lambda: validator.is_valid(wider))
            if both != trie:
                step("prune to the rules' reads", lambda: prune(wider, trie))
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("evidence", type=Path)
    parser.add_argument("--against", type=Path, help="another tree's src, measured interleaved")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    if args.phases:
        phases(args.evidence)
        return 0
    trees = {"this tree": ROOT / "src"}
    if args.against is not None:
        trees = {"baseline": args.against, **trees}
    compare(args.evidence, trees, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
