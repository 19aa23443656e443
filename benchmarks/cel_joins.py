"""VULN-06's join, hashed against looped: `patch_states.exists(p, p.InstanceId == item.InstanceId)` per
running instance, on synthetic evidence of N instances and N patch states (shuffled, every instance
reported), in one process.

For each size: the engine's whole VULN-06 control, joined (the default), wall seconds; the join rule's
assert alone over every instance, joined; and the same assert looped (joins off), timed on a sample of
instances and scaled to all N (the loop is quadratic: at 250,000 instances it would take about an
hour). The ratio is looped over joined, both per instance, measured in the same run. At sizes up to
--verify (default 10,000) the whole control also runs looped and its verdicts must equal the joined.

Usage: python benchmarks/cel_joins.py [--sizes 10000 100000 250000] [--sample 200] [--markdown]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def evidence(size: int, seed: int = 17) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 - synthetic evidence, not secrets
    ids = [f"i-{n:017x}" for n in range(size)]
    instances = [{"InstanceId": i, "State": {"Name": "running"}} for i in ids]
    states = [
        {
            "InstanceId": i,
            "CriticalNonCompliantCount": 0,
            "SecurityNonCompliantCount": 0,
            "FailedCount": 0,
            "OperationEndTime": "2026-11-20T08:00:00Z",
        }
        for i in ids
    ]
    rng.shuffle(states)
    return {
        "aws.ec2.instances": {"Reservations": [{"Instances": instances}]},
        "aws.ssm.patch_states": {"InstancePatchStates": states},
    }


def _control_seconds(size: int, verify: bool) -> tuple[float, bool | None]:
    import assay
    from assay.cel.native import joins
    from assay.engine import Engine
    from assay.evidence import InMemoryEvidence

    engine = Engine(assay.builtin_catalog())
    store = InMemoryEvidence.from_values(evidence(size), collected_at=NOW)
    start = time.perf_counter()
    joined = engine.evaluate(store, now=NOW, controls=["VULN-06"])
    seconds = time.perf_counter() - start
    if not verify:
        return seconds, None
    saved, joins.JOIN_MIN = joins.JOIN_MIN, 10**12
    try:
        looped = engine.evaluate(store, now=NOW, controls=["VULN-06"])
    finally:
        joins.JOIN_MIN = saved
    return seconds, joined.results == looped.results


def _assert_seconds(size: int, sample: int) -> tuple[float, float]:
    """Per instance: the join rule's assert joined over every instance, and looped over a sample."""
    from assay.cel import index_scope, make_backend

    data = evidence(size)
    program = make_backend("native", qualified_names=False).compile(
        "aws.ssm.patch_states.InstancePatchStates.exists(p, p.InstanceId == item.InstanceId)"
    )
    aws = {"ssm": {"patch_states": data["aws.ssm.patch_states"]}}
    instances = data["aws.ec2.instances"]["Reservations"][0]["Instances"]
    start = time.perf_counter()
    with index_scope():
        assert all(program.run({"aws": aws, "item": item, "now": NOW}) for item in instances)
    joined = (time.perf_counter() - start) / size
    chosen = random.Random(1).sample(instances, min(sample, size))  # noqa: S311 - a sample, not a secret
    start = time.perf_counter()
    assert all(program.run({"aws": aws, "item": item, "now": NOW}) for item in chosen)
    looped = (time.perf_counter() - start) / len(chosen)
    return joined, looped


def rows(sizes: list[int], sample: int, verify: int) -> list[dict[str, Any]]:
    result = []
    for size in sizes:
        control, same = _control_seconds(size, size <= verify)
        joined, looped = _assert_seconds(size, sample)
        result.append(
            {
                "instances": size,
                "control s": control,
                "joined µs/instance": joined * 1e6,
                "looped µs/instance": looped * 1e6,
                "looped s (scaled)": looped * size,
                "x joined": looped / joined,
                "same verdicts": "n/a" if same is None else ("yes" if same else "NO"),
            }
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 250_000])
    parser.add_argument("--sample", type=int, default=200, help="instances the looped assert is timed on")
    parser.add_argument("--verify", type=int, default=10_000, help="largest size also run looped in full")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    table = rows(args.sizes, args.sample, args.verify)
    print(render(table) if args.markdown else "\n".join(map(str, table)))
    if any(row["same verdicts"] == "NO" for row in table):
        raise SystemExit("joined and looped verdicts differ")


def render(table: list[dict[str, Any]]) -> str:
    head = list(table[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in table:
        cells = [
            f"{v:,}" if isinstance(v, int) else f"{v:,.2f}" if isinstance(v, float) else v
            for v in row.values()
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
