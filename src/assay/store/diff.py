"""Drift between two recorded runs: statuses that changed, resources that started or stopped failing,
evidence whose hash changed."""

from __future__ import annotations

from collections.abc import Mapping

from assay.store.records import RunDiff, StatusChange, StoredRun


def diff_runs(a: StoredRun, b: StoredRun) -> RunDiff:
    controls = _changes(
        {k: v.status for k, v in a.controls.items()}, {k: v.status for k, v in b.controls.items()}
    )
    requirements = _changes(
        {f"{fw}:{req}": s for (fw, req), s in a.requirements.items()},
        {f"{fw}:{req}": s for (fw, req), s in b.requirements.items()},
    )
    started: dict[str, tuple[str, ...]] = {}
    stopped: dict[str, tuple[str, ...]] = {}
    for control in sorted(set(a.controls) | set(b.controls)):
        before = a.controls[control].failing_resources if control in a.controls else frozenset()
        after = b.controls[control].failing_resources if control in b.controls else frozenset()
        if after - before:
            started[control] = tuple(sorted(after - before))
        if before - after:
            stopped[control] = tuple(sorted(before - after))
    evidence = _changes(
        {k: v.sha256 or "" for k, v in a.evidence.items()}, {k: v.sha256 or "" for k, v in b.evidence.items()}
    )
    return RunDiff(a.info, b.info, controls, requirements, started, stopped, evidence)


def _changes(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[StatusChange, ...]:
    return tuple(
        StatusChange(key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    )
