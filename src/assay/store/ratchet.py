"""The baseline ratchet: is a run less compliant than a baseline run?

Less compliant means any of: a control that passed now fails (or errs); a requirement that was met is
not; a control fails on more resources than it did. Failures the baseline already had are known and
allowed, so a team can adopt assay on an estate that is not compliant yet and only get better.

A baseline is a recorded run (:meth:`assay.store.Store.get`) or a JSON gap report
(``assay check --format json``), both read as a :class:`StoredRun`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assay.gaps import Report
from assay.store.connect import StoreError
from assay.store.records import RunInfo, StoredControl, StoredFinding, StoredRun

MAX_REPORT_BYTES = 512 * 1024 * 1024
FAILING = frozenset({"fail", "error"})


def snapshot(report: Report, run_id: str = "report") -> StoredRun:
    """A gap report as a stored run: its control statuses with findings, and its requirement statuses."""
    info = RunInfo(
        run_id, report.generated_at, report.generated_at, report.assay_version, "", "", report.backend
    )
    controls = {
        c.control: StoredControl(
            c.control,
            c.status.value,
            c.severity.value,
            tuple(StoredFinding(f.rule, f.resource, f.message, f.waived_by) for f in c.findings),
        )
        for c in report.controls
    }
    requirements = {(fw.key, r.id): r.status.value for fw in report.frameworks for r in fw.requirements}
    return StoredRun(info, controls, requirements, {})


def read_report(path: Path) -> StoredRun:
    """A JSON gap report file as a baseline; a :class:`StoreError` naming the file when it is not one."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise StoreError(f"{path}: too large for a baseline report")
        raw = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    try:
        report = Report.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        raise StoreError(f"{path}: not an assay JSON gap report: {where}: {first['msg']}") from None
    return snapshot(report, f"report {path.name}")


def regressions(baseline: StoredRun, current: StoredRun) -> list[str]:
    """Each way ``current`` is less compliant than ``baseline``, in words; empty when it is not."""
    found: list[str] = []
    for control, before in sorted(baseline.controls.items()):
        after = current.controls.get(control)
        if after is None:
            continue
        if before.status == "pass" and after.status in FAILING:
            found.append(f"{control} passed in {baseline.info.id} and now is {after.status}")
        new = sorted(after.failing_resources - before.failing_resources)
        if len(after.failing_resources) > len(before.failing_resources):
            shown = ", ".join(new[:5]) + (", ..." if len(new) > 5 else "")  # noqa: PLR2004
            found.append(
                f"{control} fails on {len(after.failing_resources)} resources, "
                f"{len(before.failing_resources)} in {baseline.info.id}" + (f": new {shown}" if new else "")
            )
    for (framework, requirement), before_status in sorted(baseline.requirements.items()):
        after_status = current.requirements.get((framework, requirement))
        if before_status == "met" and after_status is not None and after_status != "met":
            found.append(f"{framework} {requirement} was met in {baseline.info.id} and now is {after_status}")
    return found
