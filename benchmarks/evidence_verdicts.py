"""Time reading the example's evidence on a warm run, A/B between source trees (issue #17).

What a warm ``assay check`` does with the evidence folder before its rules run: import the evidence
modules, :func:`assay.evidence.load_evidence_dir` (the manifest and sidecars validated), and the four
checks that read each attestation (``check_attestations``, ``artefact_files``, ``artefact_problems``,
``attested_in_future``). Each measurement is a fresh process per tree, with a cache folder of the
tree's own that an untimed first run has filled. It reports

- ``first``: in that fresh process, importing the evidence modules and the first load with its
  attestation checks (what a warm run pays: imports, validators built, verdicts);
- ``again``: the best of ``--inner`` further loads in the same process, each as a new run would
  make it (the verdicts given in the process forgotten, the cache's bundle read again).

Trees run interleaved, best of ``--repeat`` processes each; ratios are against the first tree.

``--preload MODULE`` imports a module before the clock starts: ``--preload assay.model`` leaves out
the catalog's records (and, while they are pydantic models, pydantic), to see what the evidence
modules themselves cost.

Usage: python benchmarks/evidence_verdicts.py [--tree NAME=SRC ...] [--repeat 7] [--inner 20]
       [--preload MODULE ...]
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
EVIDENCE = ROOT / "examples" / "acme" / "evidence"
CHILD = r"""
import importlib, json, sys, time
for preloaded in sys.argv[3:]:
    importlib.import_module(preloaded)
start = time.perf_counter()
from datetime import UTC, datetime
from pathlib import Path
import assay.cache
from assay import attestations as A
from assay.evidence import CLOCK_SKEW, load_evidence_dir
imported = time.perf_counter()

def once():
    store = load_evidence_dir(Path(sys.argv[1]))
    now = datetime(2026, 11, 25, tzinfo=UTC)
    items = [item for item in store.items() if item.name.startswith("attestations.")]
    for item in items:
        A.attestation_diagnostics(item.data, None, item.path, ["C"])
        A.artefact_files(item.data)
        A.artefact_problems(item.data, store.digest)
        A.attested_in_future(item.data, now, CLOCK_SKEW)
    return store

def new_run():
    memo = getattr(sys.modules.get("assay.evidence_verdicts"), "_memo", None)
    if memo is not None:
        memo.clear()
    assay.cache._opened.clear()

store = once()
first = time.perf_counter() - start
again = []
for _ in range(int(sys.argv[2])):
    new_run()
    begin = time.perf_counter()
    once()
    again.append(time.perf_counter() - begin)
heavy = sorted(m for m in ("pydantic", "jsonschema_rs", "email") if m in sys.modules)
print(json.dumps({"first": first, "imports": imported - start, "again": min(again), "heavy": heavy,
                  "items": len(list(store.items())), "problems": len(list(store.problems()))}))
"""


def measure(src: Path, cache: Path, inner: int, preload: list[str]) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src), "ASSAY_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ASSAY_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(EVIDENCE), str(inner), *preload],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[], help="NAME=SRC (repeatable)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--inner", type=int, default=20)
    parser.add_argument(
        "--preload",
        action="append",
        default=[],
        help="a module imported before the clock starts (repeatable): --preload assay.model leaves out "
        "the catalog's records, which other branches make pydantic-free",
    )
    args = parser.parse_args()
    trees = dict(tree.split("=", 1) for tree in args.tree) or {"here": str(ROOT / "src")}
    best: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as base:
        caches = {name: Path(base, name) for name in trees}
        for name, src in trees.items():
            measure(
                Path(src), caches[name], 1, args.preload
            )  # fills the tree's cache: the runs below are warm
        for _ in range(args.repeat):
            for name, src in trees.items():
                result = measure(Path(src), caches[name], args.inner, args.preload)
                kept = best.setdefault(name, result)
                for key in ("first", "imports", "again"):
                    kept[key] = min(float(kept[key]), float(result[key]))  # type: ignore[arg-type]
    first = next(iter(best.values()))
    for name, result in best.items():
        seconds = {key: float(result[key]) for key in ("first", "imports", "again")}  # type: ignore[arg-type]
        ratios = {key: seconds[key] / float(first[key]) for key in ("first", "again")}  # type: ignore[arg-type]
        heavy = ", ".join(result["heavy"]) or "-"  # type: ignore[arg-type]
        print(
            f"{name:8} first load (imports included) {seconds['first'] * 1000:7.1f} ms "
            f"({ratios['first']:.2f}x)   of which imports {seconds['imports'] * 1000:6.1f} ms   "
            f"later load {seconds['again'] * 1000:6.2f} ms ({ratios['again']:.2f}x)   "
            f"items {result['items']} problems {result['problems']}   imported: {heavy}"
        )


if __name__ == "__main__":
    main()
