"""Time ``assay check`` as a whole process on synthetic evidence of 10,000 to 1,000,000 cloud resources.

The bundled example evidence is copied and its resource lists (EBS volumes, EC2 instances, security
groups, IAM users in the credential report) are replaced by N synthetic resources, split evenly across
the four kinds. Each resource has the shape the AWS CLI writes (``tests/data/real/`` holds real
exports): fields the CLI omits are omitted, never ``null``. The copy is made whole so that every
control evaluates on it: the GitHub rate-limit bodies of the example become branch protections, the
restore-test attestation is dated inside its control's ``max_age``, an empty ``aws ec2 describe-hosts``
export is added, and every run reads the example's parameters, waivers and scope, with the default CEL
budgets (they grow with the evidence an expression reads, so one expression over every resource fits).

Every measurement is a fresh process run by a small wrapper that reports its child's peak RSS, and
each size is compared with a baseline run on the unchanged example in the same invocation, so the
ratios hold across machines. After each run the script lists the controls whose status is ``error``
or ``not_assessed`` on the synthetic evidence and exits 1 when there is one: a control that stops
early is a part of the catalog no longer timed.

``--joins`` also gives every synthetic instance its Systems Manager patch state, as a real account
has: VULN-06 then joins two lists of N/4 entries with ``exists``, which is quadratic until the
compiler turns such joins into hashed lookups. Without it the patch states stay the example's four.

Usage: python benchmarks/check_scale.py [--sizes 10000 100000 1000000] [--repeat 1] [--joins] [--markdown]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example"
NOW = "2026-11-25T12:00:00Z"
COLLECTED = "2026-11-24T06:00:00Z"
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n"
)
Maker = Callable[[int, random.Random], dict[str, Any]]


def volume(i: int, rng: random.Random) -> dict[str, Any]:
    """``aws ec2 describe-volumes``: a gp3 volume attached to the instance of the same number."""
    return {
        "Attachments": [
            {
                "AttachTime": "2026-03-02T09:14:51+00:00",
                "Device": "/dev/xvda",
                "InstanceId": f"i-{i:017x}",
                "State": "attached",
                "VolumeId": f"vol-{i:017x}",
                "DeleteOnTermination": True,
            }
        ],
        "AvailabilityZone": "eu-west-1a",
        "CreateTime": "2026-03-02T09:14:51.112000+00:00",
        "Encrypted": rng.random() > 0.01,
        "Size": 100,
        "SnapshotId": "",
        "State": "in-use",
        "VolumeId": f"vol-{i:017x}",
        "Iops": 3000,
        "Tags": [{"Key": "Name", "Value": f"vol-{i}"}, {"Key": "aws-backup", "Value": "daily"}],
        "VolumeType": "gp3",
        "MultiAttachEnabled": False,
        "Throughput": 125,
    }


def instance(i: int, rng: random.Random) -> dict[str, Any]:
    """``aws ec2 describe-instances``: a running instance in a private subnet (no public address)."""
    ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    group = {"GroupName": "app", "GroupId": f"sg-{i % 97:017x}"}
    tenancy = "dedicated" if rng.random() > 0.01 else "default"  # VENDOR-04 fails for 1%, like the rest
    return {
        "AmiLaunchIndex": 0,
        "ImageId": "ami-0a1b2c3d4e5f60718",
        "InstanceId": f"i-{i:017x}",
        "InstanceType": "m6i.large",
        "LaunchTime": "2026-01-10T09:00:00+00:00",
        "Monitoring": {"State": "disabled"},
        "Placement": {"AvailabilityZone": "eu-west-1a", "GroupName": "", "Tenancy": tenancy},
        "PrivateIpAddress": ip,
        "PublicDnsName": "",
        "State": {"Code": 16, "Name": "running"},
        "SubnetId": "subnet-0a1b2c3d4e5f60718",
        "VpcId": "vpc-0a9b8c7d6e5f4a3b2",
        "NetworkInterfaces": [
            {
                "Groups": [group],
                "NetworkInterfaceId": f"eni-{i:017x}",
                "OwnerId": "111122223333",
                "PrivateIpAddress": ip,
                "Status": "in-use",
                "SubnetId": "subnet-0a1b2c3d4e5f60718",
                "VpcId": "vpc-0a9b8c7d6e5f4a3b2",
                "InterfaceType": "interface",
            }
        ],
        "SecurityGroups": [group],
        "MetadataOptions": {
            "State": "applied",
            "HttpTokens": "required" if rng.random() > 0.01 else "optional",
            "HttpPutResponseHopLimit": 2,
            "HttpEndpoint": "enabled",
        },
        "Tags": [{"Key": "Name", "Value": f"app-{i}"}],
    }


def security_group(i: int, rng: random.Random) -> dict[str, Any]:
    """``aws ec2 describe-security-groups``: HTTPS from the VPC, SSH from the VPC or (1%) the world."""
    cidr = "0.0.0.0/0" if rng.random() < 0.01 else "10.0.0.0/8"
    return {
        "GroupId": f"sg-{i:017x}",
        "IpPermissionsEgress": [
            {
                "IpProtocol": "-1",
                "UserIdGroupPairs": [],
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
            }
        ],
        "VpcId": "vpc-0a9b8c7d6e5f4a3b2",
        "OwnerId": "111122223333",
        "GroupName": f"app-{i}",
        "Description": "application tier",
        "IpPermissions": [
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "UserIdGroupPairs": [],
                "IpRanges": [{"CidrIp": source}],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
            }
            for port, source in ((443, "10.0.0.0/8"), (22, cidr))
        ],
    }


def patch_state(i: int, rng: random.Random) -> dict[str, Any]:
    """``aws ssm describe-instance-patch-states``: the instance of the same number, patched last night."""
    return {
        "InstanceId": f"i-{i:017x}",
        "PatchGroup": "prod-linux",
        "BaselineId": "pb-0f3a9c1e7d2b4a6c8",
        "InstalledCount": 418,
        "MissingCount": 0,
        "FailedCount": 0,
        "NotApplicableCount": 1893,
        "OperationStartTime": "2026-11-23T02:10:04.312000+00:00",
        "OperationEndTime": "2026-11-23T02:14:51.907000+00:00",
        "Operation": "Install",
        "RebootOption": "RebootIfNeeded",
        "CriticalNonCompliantCount": 0 if rng.random() > 0.01 else 1,
        "SecurityNonCompliantCount": 0,
        "OtherNonCompliantCount": 0,
    }


def scale_json(path: Path, key: str, make: Maker, count: int, rng: random.Random) -> bool:
    if not path.is_file():
        return False
    document = json.loads(path.read_text(encoding="utf-8"))
    if key == "Reservations":
        document[key] = [
            {
                "Groups": [],
                "Instances": [make(i, rng)],
                "OwnerId": "111122223333",
                "ReservationId": f"r-{i:017x}",
            }
            for i in range(count)
        ]
    else:
        document[key] = [make(i, rng) for i in range(count)]
    with path.open("w", encoding="utf-8") as out:
        json.dump(document, out)
    return True


def scale_credential_report(path: Path, count: int, rng: random.Random) -> bool:
    if not path.is_file():
        return False
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    template = rows[-1]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(template))
    writer.writeheader()
    writer.writerow(rows[0])
    for i in range(count):
        row = dict(template, user=f"user-{i}", arn=f"arn:aws:iam::111122223333:user/user-{i}")
        if "mfa_active" in row:
            row["mfa_active"] = "true" if rng.random() > 0.01 else "false"
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return True


def make_whole(target: Path) -> None:
    """Mend what keeps part of the catalog from evaluating on the example's evidence (see the docstring)."""
    protection_path = target / "github/branch_protection.json"
    protections = json.loads(protection_path.read_text(encoding="utf-8"))
    model = next(value for value in protections.values() if value and "url" in value)
    for repo, value in protections.items():
        if not value or "url" not in value:  # a rate-limit error body in the example
            protections[repo] = json.loads(json.dumps(model).replace(next(iter(protections)), repo))
    protection_path.write_text(json.dumps(protections, indent=2), encoding="utf-8")
    (target / "aws/ec2/hosts.json").write_text('{\n    "Hosts": []\n}\n', encoding="utf-8")
    manifest = (target / "assay-manifest.yaml").read_text(encoding="utf-8")
    manifest = re.sub(
        r"(  attestations/restore_test\.yaml:\n    collected_at: )\S+(\n    as_of: )\S+",
        r"\g<1>2026-10-08T10:10:00Z\g<2>2026-10-08T00:00:00Z",
        manifest,
    )
    manifest += f"  aws/ec2/hosts.json:\n    collected_at: {COLLECTED}\n    source: aws ec2 describe-hosts\n"
    (target / "assay-manifest.yaml").write_text(manifest, encoding="utf-8")


def make_evidence(target: Path, resources: int, *, joins: bool = False) -> list[str]:
    """Copy the example evidence into ``target`` and scale its resource lists to ``resources`` in total."""
    shutil.copytree(ROOT / "evidence", target)
    make_whole(target)
    rng = random.Random(resources)  # noqa: S311 - seeded synthetic data for the benchmark, not security
    kinds: list[tuple[str, str, Maker]] = [
        ("aws/ec2/volumes.json", "Volumes", volume),
        ("aws/ec2/instances.json", "Reservations", instance),
        ("aws/ec2/security_groups.json", "SecurityGroups", security_group),
    ]
    share = resources // (len(kinds) + 1)
    scaled = [path for path, key, make in kinds if scale_json(target / path, key, make, share, rng)]
    if scale_credential_report(target / "aws/iam/credential_report.csv", share, rng):
        scaled.append("aws/iam/credential_report.csv")
    if joins and scale_json(
        target / "aws/ssm/patch_states.json", "InstancePatchStates", patch_state, share, rng
    ):
        scaled.append("aws/ssm/patch_states.json")
    return scaled


def command(evidence: Path | None, report: Path, backend: str = "native") -> list[str]:
    """The ``assay check`` command line of one measurement, writing its JSON report to ``report``."""
    line = [sys.executable, "-m", "assay.cli", "check", "--format", "json", "--output", str(report)]
    line += ["--now", NOW, "--max-evidence-mb", "1024", "--backend", backend]
    if evidence is not None:
        line += ["--evidence", str(evidence)]
        for kind in ("parameters", "waivers", "scope"):
            line += [f"--{kind}", str(EXAMPLE / f"{kind}.yaml")]
    return line


def measure(evidence: Path | None, report: Path, backend: str = "native") -> tuple[int, float, int, float]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command(evidence, report, backend)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]), float(out[3])


def unevaluated(report: Path) -> list[str]:
    """The controls of a JSON report whose status is ``error`` or ``not_assessed``, with the reason."""
    if not report.is_file():
        return ["(no report written)"]
    controls = json.loads(report.read_text(encoding="utf-8"))["controls"]
    return [
        f"{c['control']} {c['status']}: {c.get('reason') or ''}"
        for c in controls
        if c["status"] in ("error", "not_assessed")
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--joins", action="store_true", help="a patch state per instance (VULN-06's join)")
    parser.add_argument(
        "--backends",
        nargs="+",
        default=["native"],
        choices=["native", "reference"],
        help="CEL backends to time",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table for RESULTS.md")
    args = parser.parse_args()
    rows = []
    stopped: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        baseline = min((measure(None, report) for _ in range(args.repeat)), key=lambda m: m[1])
        rows.append(("bundled example, native", *baseline))
        for size in args.sizes:
            evidence = Path(scratch) / f"evidence-{size}"
            scaled = make_evidence(evidence, size, joins=args.joins)
            for backend in args.backends:
                best = min(
                    (measure(evidence, report, backend) for _ in range(args.repeat)), key=lambda m: m[1]
                )
                rows.append((f"{size:,} resources ({len(scaled)} files scaled), {backend}", *best))
                stopped += [f"{size:,} {backend}: {line}" for line in unevaluated(report)]
            shutil.rmtree(evidence)
    print_rows(rows, baseline, markdown=args.markdown)
    for line in stopped:
        print(f"not evaluated: {line}", file=sys.stderr)
    return 1 if stopped else 0


def print_rows(
    rows: list[tuple[str, int, float, int, float]], baseline: tuple[int, float, int, float], *, markdown: bool
) -> None:
    """Wall time, CPU time (user and system: steadier on a shared machine) and peak RSS, each also as a
    ratio to the baseline run."""
    if markdown:
        print("| evidence | exit | wall s | x baseline | CPU s | x baseline | peak RSS MiB | x baseline |")
        print("|---|---|---|---|---|---|---|---|")
    for label, code, wall, rss, cpu in rows:
        ratios = (wall / baseline[1], cpu / baseline[3], rss / baseline[2])
        if markdown:
            print(
                f"| {label} | {code} | {wall:.2f} | {ratios[0]:.1f} | {cpu:.2f} | {ratios[1]:.1f} "
                f"| {rss / 1024:.0f} | {ratios[2]:.1f} |"
            )
        else:
            times = f"{wall:7.2f} s wall ({ratios[0]:5.1f}x)  {cpu:7.2f} s CPU ({ratios[1]:5.1f}x)"
            print(f"{label:48} exit {code}  {times}  {rss / 1024:7.0f} MiB ({ratios[2]:4.1f}x)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
