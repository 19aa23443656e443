"""Time ``assay check`` as a whole process on synthetic evidence of 10,000 and 100,000 cloud resources.

The bundled example evidence is copied and its resource lists (EBS volumes, EC2 instances, security
groups, IAM users in the credential report, S3 buckets) are replaced by N synthetic resources in the
AWS CLI's own shapes, split evenly across the kinds present. Every measurement is a fresh process
run by a small wrapper that reports its child's peak RSS, and each size is compared with a baseline
run on the unchanged example in the same invocation, so the ratios hold across machines.

Usage: python benchmarks/check_scale.py [--sizes 10000 100000] [--repeat 1] [--markdown]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-25T12:00:00Z"
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "print(code, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def volume(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "Attachments": [],
        "AvailabilityZone": "eu-west-1a",
        "CreateTime": "2026-03-02T09:14:51.112000+00:00",
        "Encrypted": rng.random() > 0.01,
        "Size": 100,
        "SnapshotId": "",
        "State": "in-use",
        "VolumeId": f"vol-{i:017x}",
        "Iops": 3000,
        "Tags": [{"Key": "Name", "Value": f"vol-{i}"}],
        "VolumeType": "gp3",
        "MultiAttachEnabled": False,
    }


def instance(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "InstanceId": f"i-{i:017x}",
        "InstanceType": "m6i.large",
        "ImageId": "ami-0a1b2c3d4e5f60718",
        "State": {"Code": 16, "Name": "running"},
        "MetadataOptions": {
            "HttpTokens": "required" if rng.random() > 0.01 else "optional",
            "HttpEndpoint": "enabled",
        },
        "PublicIpAddress": None,
        "SecurityGroups": [{"GroupId": f"sg-{i % 97:017x}", "GroupName": "app"}],
        "Tags": [{"Key": "Name", "Value": f"app-{i}"}],
    }


def security_group(i: int, rng: random.Random) -> dict[str, Any]:
    cidr = "0.0.0.0/0" if rng.random() < 0.01 else "10.0.0.0/8"
    return {
        "GroupId": f"sg-{i:017x}",
        "GroupName": f"app-{i}",
        "Description": "application tier",
        "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]},
        ],
        "VpcId": "vpc-0a1b2c3d",
    }


def scale_json(path: Path, key: str, make: Any, count: int, rng: random.Random) -> bool:
    if not path.is_file():
        return False
    document = json.loads(path.read_text(encoding="utf-8"))
    if key == "Reservations":
        document[key] = [{"Instances": [make(i, rng)]} for i in range(count)]
    else:
        document[key] = [make(i, rng) for i in range(count)]
    path.write_text(json.dumps(document), encoding="utf-8")
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


def make_evidence(target: Path, resources: int) -> list[str]:
    """Copy the example evidence into ``target`` and scale its resource lists to ``resources`` in total."""
    shutil.copytree(ROOT / "evidence", target)
    rng = random.Random(resources)  # noqa: S311 - seeded synthetic data for the benchmark, not security
    kinds = [
        ("aws/ec2/volumes.json", "Volumes", volume),
        ("aws/ec2/instances.json", "Reservations", instance),
        ("aws/ec2/security_groups.json", "SecurityGroups", security_group),
    ]
    present = [k for k in kinds if (target / k[0]).is_file()]
    has_report = (target / "aws/iam/credential_report.csv").is_file()
    share = resources // (len(present) + (1 if has_report else 0))
    scaled = [path for path, key, make in present if scale_json(target / path, key, make, share, rng)]
    if has_report and scale_credential_report(target / "aws/iam/credential_report.csv", share, rng):
        scaled.append("aws/iam/credential_report.csv")
    return scaled


def measure(evidence: Path | None, backend: str = "native") -> tuple[int, float, int]:
    command = [
        sys.executable,
        "-m",
        "assay.cli",
        "check",
        "--format",
        "json",
        "--now",
        NOW,
        "--max-evidence-mb",
        "512",
        "--backend",
        backend,
    ]
    if evidence is not None:
        command += ["--evidence", str(evidence)]
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
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
    baseline = min((measure(None) for _ in range(args.repeat)), key=lambda m: m[1])
    rows.append(("bundled example, native", 0, *baseline))
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            evidence = Path(scratch) / f"evidence-{size}"
            scaled = make_evidence(evidence, size)
            for backend in args.backends:
                best = min((measure(evidence, backend) for _ in range(args.repeat)), key=lambda m: m[1])
                label = f"{size:,} resources ({len(scaled)} files scaled), {backend}"
                rows.append((label, size, *best))
    if args.markdown:
        print("| evidence | exit | wall s | x baseline | peak RSS MiB | x baseline |")
        print("|---|---|---|---|---|---|")
    for label, _size, code, wall, rss in rows:
        ratio_t = wall / baseline[1]
        ratio_m = rss / baseline[2]
        if args.markdown:
            print(f"| {label} | {code} | {wall:.2f} | {ratio_t:.1f} | {rss / 1024:.0f} | {ratio_m:.1f} |")
        else:
            memory = f"{rss / 1024:7.0f} MiB ({ratio_m:4.1f}x)"
            print(f"{label:40} exit {code}  {wall:7.2f} s ({ratio_t:5.1f}x)  {memory}")


if __name__ == "__main__":
    main()
