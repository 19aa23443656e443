"""assay collect aws against moto in server mode on a loopback port (never real AWS)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import assay
from assay.cli import main
from assay.collect import aws as aws_collector
from assay.evidence import load_evidence_dir

from .conftest import AWS_KEY_ID, AWS_SECRET

boto3 = pytest.importorskip("boto3")


def client(service: str, url: str, region: str = "eu-west-1") -> Any:
    return boto3.client(service, region_name=region, endpoint_url=url)


def seed(url: str) -> dict[str, str]:
    """An account with one encrypted and one unencrypted volume, SSH open to the world, a bucket, a key."""
    ec2 = client("ec2", url)
    plain = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=8, Encrypted=False)["VolumeId"]
    secure = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=8, Encrypted=True)["VolumeId"]
    client("ec2", url, "us-east-1").create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=True)
    group = ec2.create_security_group(GroupName="ssh-open", Description="bad")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    client("s3", url).create_bucket(
        Bucket="acme-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    kms = client("kms", url)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key)
    client("iam", url).update_account_password_policy(
        MinimumPasswordLength=16, PasswordReusePrevention=24, AllowUsersToChangePassword=True
    )
    return {"plain": plain, "secure": secure, "group": group, "key": key}


def collect(out: Path, url: str, *extra: str) -> tuple[int, str]:
    stdout = io.StringIO()
    args = ["collect", "aws", "--out", str(out), "--endpoint-url", url, "--region", "eu-west-1", *extra]
    return main(args, stdout=stdout, stderr=io.StringIO()), stdout.getvalue()


def read(out: Path, path: str) -> Any:
    return json.loads((out / path).read_text())


def test_writes_the_cli_json_shapes_across_regions(out: Path, moto_url: str) -> None:
    ids = seed(moto_url)
    code, summary = collect(out, moto_url, "--region", "us-east-1")
    assert code == 0, summary
    volumes = read(out, "aws/ec2/volumes.json")["Volumes"]
    assert len(volumes) == 3  # both regions, merged
    assert isinstance(volumes[0]["CreateTime"], str)
    datetime.fromisoformat(volumes[0]["CreateTime"])
    assert "ResponseMetadata" not in read(out, "aws/ec2/volumes.json")
    groups = {g["GroupId"]: g for g in read(out, "aws/ec2/security_groups.json")["SecurityGroups"]}
    assert groups[ids["group"]]["IpPermissions"][0]["FromPort"] == 22
    assert read(out, "aws/kms/key_rotation.json")[ids["key"]]["KeyRotationEnabled"] is True
    assert read(out, "aws/kms/keys.json")[ids["key"]]["KeyMetadata"]["KeyId"] == ids["key"]
    assert read(out, "aws/s3/bucket_encryption.json") == {"acme-data": None}  # no default encryption set
    assert [b["Name"] for b in read(out, "aws/s3/buckets.json")["Buckets"]] == ["acme-data"]
    assert read(out, "aws/iam/password_policy.json")["PasswordPolicy"]["MinimumPasswordLength"] == 16
    assert (out / "aws" / "iam" / "credential_report.csv").read_text().startswith("user,arn,")
    assert "trailList" in read(out, "aws/cloudtrail/trails.json")
    by_default = read(out, "aws/ec2/ebs_encryption_by_default.json")
    assert set(by_default["Regions"]) == {"eu-west-1", "us-east-1"}
    sidecar = (out / "aws" / "ec2" / "volumes.json.meta.yaml").read_text()
    assert "source: aws ec2 describe-volumes" in sidecar

    store = load_evidence_dir(out)
    run = assay.evaluate(assay.builtin_catalog(), store, now=datetime.now(UTC))
    crypto01 = run.result("CRYPTO-01")
    assert crypto01.status.value == "fail"
    assert [f.resource for f in crypto01.findings] == [ids["plain"]]
    assert run.result("CRYPTO-02").status.value == "fail"
    assert run.result("IAM-04").status.value == "pass"


def test_no_credential_is_written(out: Path, moto_url: str) -> None:
    seed(moto_url)
    code, summary = collect(out, moto_url)
    assert code == 0, summary
    for file in out.rglob("*"):
        if file.is_file():
            text = file.read_text()
            assert AWS_SECRET not in text
            assert AWS_KEY_ID not in text


def test_access_denied_fails_one_item_and_the_rest_is_collected(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(moto_url)
    real = aws_collector.make_session

    def deny(**kwargs: Any) -> Any:
        response = {"Error": {"Code": "AccessDenied", "Message": "not authorized to perform kms:ListKeys"}}
        response["ResponseMetadata"] = {"HTTPStatusCode": 403}
        return type("Http", (), {"status_code": 403, "headers": {}, "content": b""})(), response

    def session_with_denial(profile: str | None) -> Any:
        session = real(profile)
        session.events.register("before-call.kms.ListKeys", deny)
        return session

    monkeypatch.setattr(aws_collector, "make_session", session_with_denial)
    code, summary = collect(out, moto_url)
    assert code == 1
    assert "FAILED  aws/kms/keys.json: " in summary
    assert "AccessDenied: not authorized to perform kms:ListKeys" in summary
    assert "FAILED  aws/kms/key_rotation.json" in summary
    assert not (out / "aws" / "kms" / "keys.json").exists()
    assert (out / "aws" / "ec2" / "volumes.json").exists()
    assert (out / "aws" / "iam" / "password_policy.json").exists()


def test_pages_are_merged_as_the_cli_merges_them() -> None:
    pages = [
        {"Volumes": [{"VolumeId": "vol-1"}], "NextToken": "t1", "ResponseMetadata": {}},
        {"Volumes": [{"VolumeId": "vol-2"}]},
    ]

    class Paginator:
        def paginate(self, **kwargs: Any) -> list[dict[str, Any]]:
            return pages

    class Client:
        def can_paginate(self, operation: str) -> bool:
            return True

        def get_paginator(self, operation: str) -> Paginator:
            return Paginator()

    assert aws_collector._call(Client(), "describe_volumes") == {
        "Volumes": [{"VolumeId": "vol-1"}, {"VolumeId": "vol-2"}]
    }
