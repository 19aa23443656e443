"""assay collect aws against moto in server mode on a loopback port (never real AWS)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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
        MinimumPasswordLength=16,
        PasswordReusePrevention=24,
        AllowUsersToChangePassword=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
    )
    return {"plain": plain, "secure": secure, "group": group, "key": key}


def collect(out: Path, url: str, *extra: str) -> tuple[int, str]:
    stdout = io.StringIO()
    args = ["collect", "aws", "--output", str(out), "--endpoint-url", url, "--region", "eu-west-1", *extra]
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
    assert read(out, "aws/s3/bucket_versioning.json") == {"acme-data": {}}  # never enabled
    assert read(out, "aws/s3/bucket_tagging.json") == {"acme-data": None}
    assert read(out, "aws/s3/bucket_lifecycle.json") == {"acme-data": None}
    assert read(out, "aws/s3/bucket_locations.json") == {"acme-data": {"LocationConstraint": "eu-west-1"}}
    assert read(out, "aws/s3/account_public_access_block.json") is None
    policy = json.loads(read(out, "aws/kms/key_policies.json")[ids["key"]]["Policy"])
    assert policy["Statement"]
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
    assert run.result("NET-04").status.value == "fail"  # no public access block anywhere
    assert run.result("CRYPTO-04").status.value == "pass"


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
        session.events.register("before-call.guardduty.ListDetectors", deny)
        return session

    monkeypatch.setattr(aws_collector, "make_session", session_with_denial)
    code, summary = collect(out, moto_url)
    assert code == 1
    assert "FAILED  aws/kms/keys.json: " in summary
    assert "AccessDenied: not authorized to perform kms:ListKeys" in summary
    assert "FAILED  aws/kms/key_rotation.json" in summary
    assert "FAILED  aws/kms/key_policies.json" in summary
    assert "FAILED  aws/guardduty/detectors.json: " in summary
    assert "FAILED  aws/guardduty/detector_status.json" in summary
    assert (out / "aws" / "rds" / "db_instances.json").exists()
    assert (out / "aws" / "events" / "targets.json").exists()
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


def seed_services(url: str) -> dict[str, str]:
    """RDS, AWS Backup, logs, alarms, GuardDuty, VPC, WAF, a load balancer and an EventBridge rule."""
    rds = client("rds", url)
    rds.create_db_instance(
        DBInstanceIdentifier="plain-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        AllocatedStorage=20,
        StorageEncrypted=False,
        BackupRetentionPeriod=7,
        PubliclyAccessible=False,
    )
    key = client("kms", url).create_key()["KeyMetadata"]["Arn"]
    rds.create_db_cluster(
        DBClusterIdentifier="secure-cluster",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        StorageEncrypted=True,
        KmsKeyId=key,
        BackupRetentionPeriod=14,
    )
    rds.create_db_cluster_snapshot(
        DBClusterIdentifier="secure-cluster", DBClusterSnapshotIdentifier="secure-cluster-snap"
    )

    backup = client("backup", url)
    backup.create_backup_vault(BackupVaultName="prod-vault")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": "prod-vault",
                    "ScheduleExpression": "cron(0 3 ? * * *)",
                    "Lifecycle": {"DeleteAfterDays": 35},
                }
            ],
        }
    )["BackupPlanId"]
    logs = client("logs", url)
    logs.create_log_group(logGroupName="/app/kept")
    logs.create_log_group(logGroupName="/app/short")
    logs.put_retention_policy(logGroupName="/app/short", retentionInDays=30)

    client("cloudwatch", url).put_metric_alarm(
        AlarmName="db-cpu",
        Namespace="AWS/RDS",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=3,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=True,
        AlarmActions=["arn:aws:sns:eu-west-1:123456789012:oncall"],
    )
    detector = client("guardduty", url).create_detector(Enable=True)["DetectorId"]

    ec2 = client("ec2", url)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::acme-data",
    )
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 22, "To": 22},
    )
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    elb = client("elbv2", url)
    balancer = elb.create_load_balancer(Name="app", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    group = elb.create_target_group(Name="app", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    elb.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}],
    )

    waf = client("wafv2", url)
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    web_acl = waf.create_web_acl(
        Name="app-acl",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig=visibility,
        Rules=[
            {
                "Name": name,
                "Priority": priority,
                "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
                "OverrideAction": {"None": {}},
                "VisibilityConfig": visibility,
            }
            for priority, name in enumerate(
                [
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesSQLiRuleSet",
                    "AWSManagedRulesKnownBadInputsRuleSet",
                ]
            )
        ],
    )["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=web_acl, ResourceArn=balancer)

    events = client("events", url)
    events.put_rule(
        Name="guardduty-findings",
        EventPattern=json.dumps({"source": ["aws.guardduty"]}),
        State="ENABLED",
    )
    events.put_targets(
        Rule="guardduty-findings",
        Targets=[{"Id": "pager", "Arn": "arn:aws:sns:eu-west-1:123456789012:oncall"}],
    )
    return {
        "plan": plan,
        "detector": detector,
        "vpc": vpc,
        "acl": acl,
        "balancer": balancer,
        "web_acl": web_acl,
    }


SELECTION_ID = "d7a4c9e2-1f58-4b36-a0d3-9c2e7f5b8a14"


def stub_unsupported(session: Any, plan: str, balancer: str) -> None:
    """moto has no backup selections, recovery points nor list-resources-for-web-acl: answer those
    calls as AWS documents them (the balancer for every resource type, which the collector dedupes)."""

    def answer(parsed: dict[str, Any]) -> Callable[..., Any]:
        def respond(**kwargs: Any) -> Any:
            http = type("Http", (), {"status_code": 200, "headers": {}, "content": b""})()
            return http, {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

        return respond

    selection = {"SelectionName": "databases", "IamRoleArn": "arn:aws:iam::123456789012:role/backup"}
    point = {
        "RecoveryPointArn": "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:awsbackup:job-1",
        "BackupVaultName": "prod-vault",
        "Status": "COMPLETED",
        "IsEncrypted": False,
        "CreationDate": datetime(2026, 11, 24, 3, 30, tzinfo=UTC),
    }
    hooks = {
        "backup.ListBackupSelections": {"BackupSelectionsList": [{"SelectionId": SELECTION_ID, **selection}]},
        "backup.GetBackupSelection": {
            "BackupSelection": {**selection, "Resources": ["arn:aws:rds:*:*:cluster:*"]},
            "SelectionId": SELECTION_ID,
            "BackupPlanId": plan,
        },
        "backup.ListRecoveryPointsByBackupVault": {"RecoveryPoints": [point]},
        "wafv2.ListResourcesForWebACL": {"ResourceArns": [balancer]},
    }
    for operation, parsed in hooks.items():
        session.events.register(f"before-call.{operation}", answer(parsed))


def test_collects_the_other_services_in_the_shapes_the_controls_read(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(moto_url)
    ids = seed_services(moto_url)
    real = aws_collector.make_session

    def session_with_stubs(profile: str | None) -> Any:
        session = real(profile)
        stub_unsupported(session, ids["plan"], ids["balancer"])
        return session

    monkeypatch.setattr(aws_collector, "make_session", session_with_stubs)
    code, summary = collect(out, moto_url)
    assert code == 0, summary
    assert [i["DBInstanceIdentifier"] for i in read(out, "aws/rds/db_instances.json")["DBInstances"]] == [
        "plain-db"
    ]
    assert read(out, "aws/rds/db_clusters.json")["DBClusters"][0]["StorageEncrypted"] is True
    snapshots = read(out, "aws/rds/db_cluster_snapshots.json")["DBClusterSnapshots"]
    assert "secure-cluster-snap" in {s["DBClusterSnapshotIdentifier"] for s in snapshots}
    assert read(out, "aws/backup/plans.json")[ids["plan"]]["BackupPlan"]["BackupPlanName"] == "daily"
    selection = read(out, "aws/backup/selections.json")[SELECTION_ID]
    assert selection["BackupSelection"]["Resources"] == ["arn:aws:rds:*:*:cluster:*"]
    points = read(out, "aws/backup/recovery_points.json")["prod-vault"]["RecoveryPoints"]
    assert points[0]["CreationDate"] == "2026-11-24T03:30:00+00:00"
    groups = {g["logGroupName"]: g for g in read(out, "aws/logs/log_groups.json")["logGroups"]}
    assert groups["/app/short"]["retentionInDays"] == 30
    alarms = read(out, "aws/cloudwatch/alarms.json")
    assert [a["AlarmName"] for a in alarms["MetricAlarms"]] == ["db-cpu"]
    assert alarms["CompositeAlarms"] == []
    assert read(out, "aws/guardduty/detectors.json") == {"eu-west-1": {"DetectorIds": [ids["detector"]]}}
    assert read(out, "aws/guardduty/detector_status.json")[ids["detector"]]["Status"] == "ENABLED"
    assert ids["vpc"] in {v["VpcId"] for v in read(out, "aws/ec2/vpcs.json")["Vpcs"]}
    assert [f["ResourceId"] for f in read(out, "aws/ec2/flow_logs.json")["FlowLogs"]] == [ids["vpc"]]
    nacls = {a["NetworkAclId"]: a for a in read(out, "aws/ec2/network_acls.json")["NetworkAcls"]}
    assert any(e["RuleNumber"] == 100 for e in nacls[ids["acl"]]["Entries"])
    assert read(out, "aws/ec2/hosts.json") == {"Hosts": []}
    assert read(out, "aws/wafv2/web_acls.json")["app-acl"]["WebACL"]["ARN"] == ids["web_acl"]
    assert read(out, "aws/wafv2/web_acl_resources.json") == {
        ids["web_acl"]: {"ResourceArns": [ids["balancer"]]}
    }
    listeners = read(out, "aws/elbv2/listeners.json")[ids["balancer"]]["Listeners"]
    assert [(lst["Protocol"], lst["Port"]) for lst in listeners] == [("HTTP", 80)]
    assert [r["Name"] for r in read(out, "aws/events/rules.json")["Rules"]] == ["guardduty-findings"]
    assert read(out, "aws/events/targets.json")["guardduty-findings"]["Targets"][0]["Id"] == "pager"

    store = load_evidence_dir(out)
    run = assay.evaluate(assay.builtin_catalog(), store, now=datetime.now(UTC))

    def failing(control: str) -> list[str]:
        result = run.result(control)
        assert result.status.value == "fail", result
        return [f.resource for f in result.findings]

    assert failing("CRYPTO-06") == ["plain-db"]  # the cluster is encrypted with a KMS key
    assert [r.rsplit("/", 3)[1] for r in failing("CRYPTO-08")] == ["app"]  # plain HTTP, no redirect
    assert failing("LOG-02") == ["/app/short"]
    assert ids["acl"] in failing("NET-01")
    assert ids["vpc"] not in failing("NET-03")  # moto's default VPC has no flow log, ours has
    assert failing("BACKUP-04") == ["arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:awsbackup:job-1"]
    for control in ("LOG-03", "LOG-04", "LOG-05", "NET-05", "BACKUP-01", "BACKUP-02", "PRIV-05"):
        assert run.result(control).status.value == "pass", run.result(control)


def fake(parsed: dict[str, Any], status: int = 200) -> Callable[..., Any]:
    """A before-call hook answering with ``parsed`` (an error when ``status`` is 4xx), without moto."""

    def respond(**kwargs: Any) -> Any:
        http = type("Http", (), {"status_code": status, "headers": {}, "content": b""})()
        return http, {**parsed, "ResponseMetadata": {"HTTPStatusCode": status}}

    return respond


def access_denied(action: str) -> Callable[..., Any]:
    message = f"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {action}"
    return fake({"Error": {"Code": "AccessDeniedException", "Message": message}}, 400)


def run_instances(url: str, count: int, region: str = "eu-west-1") -> list[str]:
    ec2 = client("ec2", url, region)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    made = ec2.run_instances(ImageId=image, MinCount=count, MaxCount=count, InstanceType="t3.micro")
    return [i["InstanceId"] for i in made["Instances"]]


def patch_state(instance: str, *, critical: int = 0, failed: int = 0, age_days: int = 1) -> dict[str, Any]:
    ended = datetime.now(UTC) - timedelta(days=age_days)
    return {
        "InstanceId": instance,
        "PatchGroup": "prod-linux",
        "BaselineId": "pb-0f3a9c1e7d2b4a6c8",
        "OwnerInformation": "",
        "InstalledCount": 418,
        "MissingCount": critical,
        "FailedCount": failed,
        "NotApplicableCount": 1893,
        "OperationStartTime": ended - timedelta(minutes=5),
        "OperationEndTime": ended,
        "Operation": "Install",
        "CriticalNonCompliantCount": critical,
        "SecurityNonCompliantCount": 0,
        "OtherNonCompliantCount": 0,
    }


def with_hooks(monkeypatch: pytest.MonkeyPatch, hooks: dict[str, Callable[..., Any]]) -> None:
    real = aws_collector.make_session

    def session_with_hooks(profile: str | None) -> Any:
        session = real(profile)
        for operation, hook in hooks.items():
            session.events.register(f"before-call.{operation}", hook)
        return session

    monkeypatch.setattr(aws_collector, "make_session", session_with_hooks)


def patch_states_answer(states: dict[str, dict[str, Any]], asked: list[list[str]]) -> Callable[..., Any]:
    """moto has no describe-instance-patch-states: answer with the known states of the ids asked for."""

    def respond(params: dict[str, Any], **kwargs: Any) -> Any:
        ids = json.loads(params["body"])["InstanceIds"]
        asked.append(ids)
        found = [states[i] for i in ids if i in states]
        return fake({"InstancePatchStates": found})()

    return respond


@pytest.mark.parametrize("good", [True, False], ids=["patched", "unpatched"])
def test_patch_states_of_the_running_instances_feed_vuln06(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch, good: bool
) -> None:
    first, second, stopped = run_instances(moto_url, 3)
    client("ec2", moto_url).stop_instances(InstanceIds=[stopped])
    if good:
        states = {first: patch_state(first), second: patch_state(second, age_days=3)}
    else:  # missing critical patches, and no state at all for the second instance
        states = {first: patch_state(first, critical=2)}
    asked: list[list[str]] = []
    with_hooks(monkeypatch, {"ssm.DescribeInstancePatchStates": patch_states_answer(states, asked)})
    code, summary = collect(out, moto_url)
    assert code == 0, summary
    assert [sorted(ids) for ids in asked] == [sorted([first, second])]  # the stopped one is not asked
    written = read(out, "aws/ssm/patch_states.json")["InstancePatchStates"]
    assert {s["InstanceId"] for s in written} == set(states)
    datetime.fromisoformat(written[0]["OperationEndTime"])
    assert (
        "source: aws ssm describe-instance-patch-states"
        in (out / "aws" / "ssm" / "patch_states.json.meta.yaml").read_text()
    )

    run = assay.evaluate(assay.builtin_catalog(), load_evidence_dir(out), now=datetime.now(UTC))
    vuln06 = run.result("VULN-06")
    if good:
        assert vuln06.status.value == "pass", vuln06
    else:
        assert vuln06.status.value == "fail", vuln06
        assert sorted(f.resource for f in vuln06.findings) == sorted([first, second])


def test_patch_states_access_denied_fails_that_item_only(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_instances(moto_url, 1)
    denied = access_denied("ssm:DescribeInstancePatchStates")
    with_hooks(monkeypatch, {"ssm.DescribeInstancePatchStates": denied})
    code, summary = collect(out, moto_url)
    assert code == 1
    assert "FAILED  aws/ssm/patch_states.json: " in summary
    assert "AccessDeniedException: User: arn:aws:iam::123456789012:user/auditor is not authorized" in summary
    assert not (out / "aws" / "ssm" / "patch_states.json").exists()
    assert (out / "aws" / "ec2" / "instances.json").exists()
    run = assay.evaluate(assay.builtin_catalog(), load_evidence_dir(out), now=datetime.now(UTC))
    assert run.result("VULN-06").status.value == "not_assessed"  # its evidence is missing


def macie_finding(finding: str, detection: str, *, archived: bool = False) -> dict[str, Any]:
    return {
        "id": finding,
        "accountId": "123456789012",
        "archived": archived,
        "sample": False,
        "category": "CLASSIFICATION",
        "type": "SensitiveData:S3Object/Financial",
        "createdAt": datetime(2026, 11, 19, 3, 41, 9, tzinfo=UTC),
        "classificationDetails": {
            "jobId": "b7d3e91f4c2a46e08f5a1c6d2e9b3f70",
            "result": {
                "sensitiveData": [
                    {
                        "category": "FINANCIAL_INFORMATION",
                        "totalCount": 3,
                        "detections": [{"type": detection, "count": 3}],
                    }
                ],
                "status": {"code": "COMPLETE"},
            },
        },
        "resourcesAffected": {
            "s3Bucket": {"name": "support-attachments"},
            "s3Object": {"key": f"{finding}/note.txt"},
        },
    }


def macie_answers(
    findings: list[dict[str, Any]], jobs: list[dict[str, Any]], asked: list[list[str]]
) -> dict[str, Callable[..., Any]]:
    """moto has no Macie findings: list-findings in two pages, get-findings by id, the jobs."""
    by_id = {f["id"]: f for f in findings}
    ids = list(by_id)

    def list_findings(params: dict[str, Any], **kwargs: Any) -> Any:
        token = json.loads(params["body"] or b"{}").get("nextToken")
        if token is None:
            return fake({"findingIds": ids[:1], "nextToken": "page-2"})()
        return fake({"findingIds": ids[1:]})()

    def get_findings(params: dict[str, Any], **kwargs: Any) -> Any:
        wanted = json.loads(params["body"])["findingIds"]
        asked.append(wanted)
        return fake({"findings": [by_id[i] for i in wanted]})()

    return {
        "macie2.ListFindings": list_findings,
        "macie2.GetFindings": get_findings,
        "macie2.ListClassificationJobs": fake({"items": jobs}),
    }


SCHEDULED_JOB = {
    "jobId": "b7d3e91f4c2a46e08f5a1c6d2e9b3f70",
    "name": "prod-daily-discovery",
    "jobType": "SCHEDULED",
    "jobStatus": "IDLE",
    "lastRunErrorStatus": {"code": "NONE"},
    "createdAt": datetime(2024, 3, 4, 10, 12, 55, tzinfo=UTC),
}


@pytest.mark.parametrize("good", [True, False], ids=["no-card-data", "card-data"])
def test_macie_findings_and_jobs_feed_priv06(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch, good: bool
) -> None:
    findings = [
        macie_finding("f-names", "NAME"),
        macie_finding("f-removed", "CREDIT_CARD_NUMBER", archived=True),
        macie_finding("f-card", "NAME" if good else "CREDIT_CARD_NUMBER_(NO_KEYWORD)"),
    ]
    asked: list[list[str]] = []
    with_hooks(monkeypatch, macie_answers(findings, [SCHEDULED_JOB], asked))
    code, summary = collect(out, moto_url)
    assert code == 0, summary
    assert asked == [["f-names", "f-removed", "f-card"]]  # both pages of ids, one get-findings call
    written = read(out, "aws/macie/findings.json")
    assert [f["id"] for f in written["findings"]] == ["f-names", "f-removed", "f-card"]
    assert written["findings"][0]["createdAt"] == "2026-11-19T03:41:09+00:00"
    jobs = read(out, "aws/macie/classification_jobs.json")
    assert jobs == {"items": [{**SCHEDULED_JOB, "createdAt": "2024-03-04T10:12:55+00:00"}]}

    run = assay.evaluate(assay.builtin_catalog(), load_evidence_dir(out), now=datetime.now(UTC))
    priv06 = run.result("PRIV-06")
    if good:
        assert priv06.status.value == "pass", priv06
    else:
        assert priv06.status.value == "fail", priv06
        assert [f.resource for f in priv06.findings] == ["f-card"]


def test_macie_access_denied_fails_that_item_only(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = macie_answers([macie_finding("f-names", "NAME")], [], [])
    hooks["macie2.ListClassificationJobs"] = access_denied("macie2:ListClassificationJobs")
    with_hooks(monkeypatch, hooks)
    code, summary = collect(out, moto_url)
    assert code == 1
    assert "FAILED  aws/macie/classification_jobs.json: " in summary
    assert "not authorized to perform: macie2:ListClassificationJobs" in summary
    assert not (out / "aws" / "macie" / "classification_jobs.json").exists()
    assert [f["id"] for f in read(out, "aws/macie/findings.json")["findings"]] == ["f-names"]
    run = assay.evaluate(assay.builtin_catalog(), load_evidence_dir(out), now=datetime.now(UTC))
    assert run.result("PRIV-06").status.value == "not_assessed"


def test_an_invalid_region_fails_every_item_and_the_run_goes_on(out: Path, moto_url: str) -> None:
    """botocore refuses to make a client for a malformed region name: that fails each item like any
    other AWS error (before, the S3 and IAM clients were made outside any item and stopped the run)."""
    stdout = io.StringIO()
    args = ["collect", "aws", "--out", str(out), "--endpoint-url", moto_url, "--region", "not a region"]
    code = main(args, stdout=stdout, stderr=io.StringIO())
    summary = stdout.getvalue()
    assert code == 1
    assert "FAILED  aws/ec2/volumes.json: " in summary
    assert "FAILED  aws/s3/buckets.json: aws s3api list-buckets --output json: InvalidRegionError" in summary
    assert "FAILED  aws/s3/bucket_encryption.json: aws s3api list-buckets failed" in summary
    assert "FAILED  aws/iam/password_policy.json: " in summary
    assert "FAILED  aws/macie/classification_jobs.json: " in summary
    assert not [file for file in out.rglob("*.json") if not file.name.startswith(".")]
