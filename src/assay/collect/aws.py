"""``assay collect aws``: what the AWS controls of the built-in catalog read, with read-only calls.

Needs boto3 (``pip install 'assay[aws]'``). Every list is read through boto3's paginators and the
pages merged as the AWS CLI merges them; datetimes are written as ISO 8601 strings, as the CLI prints
them, and ``ResponseMetadata`` is dropped. Regional lists (volumes, security groups, instances) are
merged over every ``--region``. Per-resource calls are saved as maps resource id -> output, ``null``
where AWS says nothing is configured (see ``controls/README.md``). Written:

==========================================  =================================================
``aws/ec2/volumes.json``                    ``ec2 describe-volumes`` (every region)
``aws/ec2/ebs_encryption_by_default.json``  ``ec2 get-ebs-encryption-by-default``; with several
                                            regions, ``EbsEncryptionByDefault`` is true only if it
                                            is in every region, and ``Regions`` maps region -> output
``aws/ec2/security_groups.json``            ``ec2 describe-security-groups`` (every region)
``aws/ec2/instances.json``                  ``ec2 describe-instances`` (every region)
``aws/s3/buckets.json``                     ``s3api list-buckets``
``aws/s3/bucket_encryption.json``           bucket -> ``s3api get-bucket-encryption`` or null
``aws/s3/public_access_block.json``         bucket -> ``s3api get-public-access-block`` or null
``aws/kms/keys.json``                       key id -> ``kms describe-key`` (every region)
``aws/kms/key_rotation.json``               key id -> ``kms get-key-rotation-status``, null where
                                            the key cannot rotate (asymmetric, HMAC, imported)
``aws/iam/password_policy.json``            ``iam get-account-password-policy``, ``{}`` if none
``aws/iam/credential_report.csv``           ``iam generate-credential-report`` then
                                            ``get-credential-report``, the CSV content
``aws/cloudtrail/trails.json``              ``cloudtrail describe-trails`` (every region, by ARN)
``aws/cloudtrail/trail_status.json``        trail ARN -> ``cloudtrail get-trail-status``
``aws/ec2/vpcs.json``, ``flow_logs.json``,  ``ec2 describe-vpcs`` / ``describe-flow-logs`` /
``network_acls.json``, ``hosts.json``       ``describe-network-acls`` / ``describe-hosts`` (every region)
``aws/s3/bucket_versioning.json``,          bucket -> ``s3api get-bucket-versioning`` /
``bucket_tagging.json``,                    ``get-bucket-tagging`` (null on NoSuchTagSet) /
``bucket_lifecycle.json``,                  ``get-bucket-lifecycle-configuration`` (null when none) /
``bucket_locations.json``                   ``get-bucket-location``
``aws/s3/account_public_access_block.json`` ``s3control get-public-access-block``, null if none
``aws/kms/key_policies.json``               key id -> ``kms get-key-policy --policy-name default``
``aws/rds/db_instances.json``,              ``rds describe-db-instances`` / ``describe-db-clusters`` /
``db_clusters.json``,                       ``describe-db-cluster-snapshots`` (every region)
``db_cluster_snapshots.json``
``aws/backup/plans.json``                   plan id -> ``backup get-backup-plan`` (every region)
``aws/backup/selections.json``              selection id -> ``backup get-backup-selection``
``aws/backup/recovery_points.json``         vault name -> ``backup list-recovery-points-by-backup-vault``
``aws/logs/log_groups.json``                ``logs describe-log-groups`` (every region)
``aws/cloudwatch/alarms.json``              ``cloudwatch describe-alarms``, metric and composite
                                            alarms (every region)
``aws/guardduty/detectors.json``            region -> ``guardduty list-detectors``
``aws/guardduty/detector_status.json``      detector id -> ``guardduty get-detector``
``aws/wafv2/web_acls.json``                 web ACL name -> ``wafv2 get-web-acl --scope REGIONAL``
``aws/wafv2/web_acl_resources.json``        web ACL ARN -> ``wafv2 list-resources-for-web-acl``,
                                            ``ResourceArns`` merged over the resource types
``aws/elbv2/listeners.json``                load balancer ARN -> ``elbv2 describe-listeners``
``aws/events/rules.json``                   ``events list-rules`` (default bus, every region)
``aws/events/targets.json``                 rule name -> ``events list-targets-by-rule``
``aws/ssm/patch_states.json``               ``ssm describe-instance-patch-states`` for the running
                                            instances of ``ec2 describe-instances`` (every region)
``aws/macie/findings.json``                 ``macie2 get-findings`` for every id of ``list-findings``
                                            (every region)
``aws/macie/classification_jobs.json``      ``macie2 list-classification-jobs`` (every region)
==========================================  =================================================

Not collected yet: CloudFront-scope web ACLs.

A call that fails (``AccessDenied`` ...) fails the evidence item it belongs to, with the error code
and message; the other items are still collected. The session's credentials are never written.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from assay.collect import EvidenceWriter
from assay.errors import ConfigError

_REPORT_WAIT_SECONDS = 60.0
_WAF_RESOURCE_TYPES = ("APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL")
_SSM_IDS_PER_CALL = 50  # describe-instance-patch-states takes at most 50 instance ids
_MACIE_IDS_PER_CALL = 50  # get-findings takes at most 50 finding ids
_TOKEN_KEYS = {"NextToken", "nextToken", "Marker", "NextMarker", "ContinuationToken", "IsTruncated"}


def cli_json(value: Any) -> Any:
    """A boto3 response as the AWS CLI prints it: datetimes as ISO strings, no ResponseMetadata."""
    if isinstance(value, dict):
        return {k: cli_json(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [cli_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _merge_pages(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """Pages merged as the CLI merges them: lists concatenated, paging tokens dropped."""
    merged: dict[str, Any] = {}
    for page in pages:
        for key, value in page.items():
            if key in _TOKEN_KEYS or key == "ResponseMetadata":
                continue
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged.setdefault(key, value)
    return merged


def _cli(service: str, operation: str, suffix: str) -> str:
    """The AWS CLI command that prints what boto3's ``operation`` returns, as evidence metadata."""
    return f"aws {service} {operation.replace('_', '-')} --output json {suffix}"


def _call(client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
    """One operation, through its paginator when it has one."""
    if client.can_paginate(operation):
        return _merge_pages(list(client.get_paginator(operation).paginate(**kwargs)))
    result: dict[str, Any] = getattr(client, operation)(**kwargs)
    return result


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _describe(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        error = response["Error"]
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}"


def make_session(profile: str | None) -> Any:
    """A boto3 session (tests wrap this to add botocore event hooks)."""
    try:
        import boto3
    except ImportError:
        raise ConfigError("assay collect aws needs boto3: pip install 'assay[aws]'") from None
    return boto3.Session(profile_name=profile)


class AwsCollector:
    name = "aws"
    description = (
        "EC2, VPC, S3, KMS, IAM, CloudTrail, RDS, Backup, CloudWatch, GuardDuty, WAF, ELB, EventBridge"
        ", SSM patch state and Macie evidence from AWS (read-only calls; needs boto3)"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--profile", metavar="NAME", help="AWS profile (default: the usual chain)")
        parser.add_argument(
            "--region",
            action="append",
            metavar="R",
            help="region to collect (repeatable; default: the profile's)",
        )
        parser.add_argument(
            "--endpoint-url", metavar="URL", help="send every call here (a local AWS emulator, for tests)"
        )

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        session = make_session(options.profile)
        credentials = session.get_credentials()
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            for value in (frozen.access_key, frozen.secret_key, frozen.token):
                if value:
                    writer.add_secret(value)
        regions: list[str] = options.region or [session.region_name or "us-east-1"]
        endpoint: str | None = options.endpoint_url
        home = regions[0]

        def client(service: str, region: str = home) -> Any:
            if endpoint is None:
                return session.client(service, region_name=region)
            from botocore.config import Config

            # an emulator at one address: no account-id host prefix (s3control) in front of it
            config = Config(inject_host_prefix=False)
            made = session.client(service, region_name=region, endpoint_url=endpoint, config=config)
            made.meta.events.register("before-send", _to_endpoint(endpoint))
            return made

        def item(path: str, source: str, produce: Callable[[], Any], *, text: bool = False) -> Any:
            writer.progress(source)
            try:
                data = produce()
            except Exception as exc:
                if not _is_aws_error(exc):
                    raise
                writer.fail(path, f"{source}: {_describe(exc)}")
                return None
            if text:
                writer.write_text(path, data, source)
            else:
                writer.write_json(path, cli_json(data), source)
            return data

        where = f"--region {' '.join(regions)}" if len(regions) > 1 else f"--region {home}"
        per_region = f"for each region ({', '.join(regions)}), merged"

        def regional_list(service: str, operation: str, *keys: str, **kwargs: Any) -> Callable[[], Any]:
            def produce() -> Any:
                merged: dict[str, Any] = {key: [] for key in keys}
                for region in regions:
                    output = _call(client(service, region), operation, **kwargs)
                    for key in keys:
                        merged[key].extend(output.get(key, []))
                return merged

            return produce

        item(
            "aws/ec2/volumes.json",
            f"aws ec2 describe-volumes --output json {per_region}",
            regional_list("ec2", "describe_volumes", "Volumes"),
        )

        def ebs_default() -> Any:
            outputs = {r: client("ec2", r).get_ebs_encryption_by_default() for r in regions}
            if len(regions) == 1:
                return outputs[home]
            return {
                "EbsEncryptionByDefault": all(o.get("EbsEncryptionByDefault") for o in outputs.values()),
                "Regions": outputs,
            }

        item(
            "aws/ec2/ebs_encryption_by_default.json",
            f"aws ec2 get-ebs-encryption-by-default {where} --output json",
            ebs_default,
        )
        item(
            "aws/ec2/security_groups.json",
            f"aws ec2 describe-security-groups --output json {per_region}",
            regional_list("ec2", "describe_security_groups", "SecurityGroups"),
        )
        item(
            "aws/ec2/instances.json",
            f"aws ec2 describe-instances --output json {per_region}",
            regional_list("ec2", "describe_instances", "Reservations"),
        )

        s3 = client("s3")
        buckets = item(
            "aws/s3/buckets.json", "aws s3api list-buckets --output json", lambda: _call(s3, "list_buckets")
        )
        names = [b["Name"] for b in (buckets or {}).get("Buckets", [])]

        def per_bucket(operation: str, absent: set[str]) -> Callable[[], Any]:
            def produce() -> Any:
                result: dict[str, Any] = {}
                for name in names:
                    try:
                        result[name] = getattr(s3, operation)(Bucket=name)
                    except Exception as exc:
                        if _error_code(exc) not in absent:
                            raise
                        result[name] = None
                return result

            return produce

        per_bucket_items = [
            (
                "bucket_encryption",
                "get-bucket-encryption",
                {"ServerSideEncryptionConfigurationNotFoundError"},
            ),
            ("public_access_block", "get-public-access-block", {"NoSuchPublicAccessBlockConfiguration"}),
            ("bucket_versioning", "get-bucket-versioning", set()),
            ("bucket_tagging", "get-bucket-tagging", {"NoSuchTagSet"}),
            ("bucket_lifecycle", "get-bucket-lifecycle-configuration", {"NoSuchLifecycleConfiguration"}),
            ("bucket_locations", "get-bucket-location", set()),
        ]
        for name, command, absent in per_bucket_items:
            path = f"aws/s3/{name}.json"
            if buckets is None:
                writer.fail(path, "aws s3api list-buckets failed")
                continue
            null = f" (null on {', '.join(sorted(absent))})" if absent else ""
            item(
                path,
                f"aws s3api {command} --bucket <name> --output json, for each bucket of list-buckets;"
                f" map bucket -> output{null}",
                per_bucket(command.replace("-", "_"), absent),
            )

        def account_public_access_block() -> Any:
            account = client("sts").get_caller_identity()["Account"]
            try:
                return client("s3control").get_public_access_block(AccountId=account)
            except Exception as exc:
                if _error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
                    raise
                return None

        item(
            "aws/s3/account_public_access_block.json",
            "aws s3control get-public-access-block --account-id <id of aws sts get-caller-identity>"
            " --output json (null on NoSuchPublicAccessBlockConfiguration)",
            account_public_access_block,
        )

        key_regions: dict[str, str] = {}

        def kms_keys() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                kms = client("kms", region)
                for key in _call(kms, "list_keys").get("Keys", []):
                    result[key["KeyId"]] = kms.describe_key(KeyId=key["KeyId"])
                    key_regions[key["KeyId"]] = region
            return result

        keys = item(
            "aws/kms/keys.json",
            f"aws kms describe-key --key-id <id> --output json, for each key of"
            f" aws kms list-keys {per_region};"
            " map key-id -> output",
            kms_keys,
        )

        def rotation() -> Any:
            result: dict[str, Any] = {}
            for key_id, region in key_regions.items():
                try:
                    result[key_id] = client("kms", region).get_key_rotation_status(KeyId=key_id)
                except Exception as exc:
                    if _error_code(exc) != "UnsupportedOperationException":
                        raise
                    result[key_id] = None
            return result

        if keys is None:
            writer.fail("aws/kms/key_rotation.json", "aws kms list-keys / describe-key failed")
        else:
            item(
                "aws/kms/key_rotation.json",
                "aws kms get-key-rotation-status --key-id <id> --output json, for each key of"
                " aws kms list-keys;"
                " map key-id -> output (null where the key type does not support rotation)",
                rotation,
            )

        def key_policies() -> Any:
            return {
                key_id: client("kms", region).get_key_policy(KeyId=key_id, PolicyName="default")
                for key_id, region in key_regions.items()
            }

        if keys is None:
            writer.fail("aws/kms/key_policies.json", "aws kms list-keys / describe-key failed")
        else:
            item(
                "aws/kms/key_policies.json",
                "aws kms get-key-policy --key-id <id> --policy-name default --output json, for each key"
                " of aws kms list-keys; map key-id -> output",
                key_policies,
            )

        iam = client("iam")

        def password_policy() -> Any:
            try:
                return iam.get_account_password_policy()
            except Exception as exc:
                if _error_code(exc) != "NoSuchEntity":
                    raise
                return {}

        item(
            "aws/iam/password_policy.json",
            "aws iam get-account-password-policy --output json",
            password_policy,
        )

        def credential_report() -> str:
            deadline = time.monotonic() + _REPORT_WAIT_SECONDS
            while iam.generate_credential_report().get("State") != "COMPLETE":
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"the credential report was not ready after {_REPORT_WAIT_SECONDS:.0f}s"
                    )
                time.sleep(1)
            content = iam.get_credential_report()["Content"]
            return content.decode("utf-8") if isinstance(content, bytes) else str(content)

        item(
            "aws/iam/credential_report.csv",
            "aws iam generate-credential-report; aws iam get-credential-report --query Content --output text"
            " | base64 --decode",
            credential_report,
            text=True,
        )

        def trails() -> Any:
            seen: dict[str, Any] = {}
            for region in regions:
                for trail in (
                    client("cloudtrail", region)
                    .describe_trails(includeShadowTrails=True)
                    .get("trailList", [])
                ):
                    seen.setdefault(trail.get("TrailARN"), trail)
            return {"trailList": list(seen.values())}

        trail_list = item(
            "aws/cloudtrail/trails.json",
            f"aws cloudtrail describe-trails --include-shadow-trails --output json"
            f" {per_region} (by TrailARN)",
            trails,
        )

        def trail_status() -> Any:
            result: dict[str, Any] = {}
            for trail in (trail_list or {}).get("trailList", []):
                region = trail.get("HomeRegion") or home
                result[trail["TrailARN"]] = client("cloudtrail", region).get_trail_status(
                    Name=trail["TrailARN"]
                )
            return result

        if trail_list is None:
            writer.fail("aws/cloudtrail/trail_status.json", "aws cloudtrail describe-trails failed")
        else:
            item(
                "aws/cloudtrail/trail_status.json",
                "aws cloudtrail get-trail-status --name <TrailARN> --output json, for each trail of"
                " describe-trails; map trail ARN -> output",
                trail_status,
            )

        # --- RDS ---------------------------------------------------------------------------------
        for path, operation, key in (
            ("aws/rds/db_instances.json", "describe_db_instances", "DBInstances"),
            ("aws/rds/db_clusters.json", "describe_db_clusters", "DBClusters"),
            ("aws/rds/db_cluster_snapshots.json", "describe_db_cluster_snapshots", "DBClusterSnapshots"),
        ):
            item(path, _cli("rds", operation, per_region), regional_list("rds", operation, key))

        # --- AWS Backup --------------------------------------------------------------------------
        plan_regions: dict[str, str] = {}

        def backup_plans() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                backup = client("backup", region)
                for plan in _call(backup, "list_backup_plans").get("BackupPlansList", []):
                    result[plan["BackupPlanId"]] = backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])
                    plan_regions[plan["BackupPlanId"]] = region
            return result

        plans = item(
            "aws/backup/plans.json",
            f"aws backup get-backup-plan --backup-plan-id <id> --output json, for each plan of"
            f" aws backup list-backup-plans {per_region}; map plan-id -> output",
            backup_plans,
        )

        def backup_selections() -> Any:
            result: dict[str, Any] = {}
            for plan_id, region in plan_regions.items():
                backup = client("backup", region)
                listed = _call(backup, "list_backup_selections", BackupPlanId=plan_id)
                for selection in listed.get("BackupSelectionsList", []):
                    result[selection["SelectionId"]] = backup.get_backup_selection(
                        BackupPlanId=plan_id, SelectionId=selection["SelectionId"]
                    )
            return result

        if plans is None:
            writer.fail("aws/backup/selections.json", "aws backup list-backup-plans / get-backup-plan failed")
        else:
            item(
                "aws/backup/selections.json",
                "aws backup get-backup-selection --backup-plan-id <plan> --selection-id <id> --output json,"
                " for each selection of aws backup list-backup-selections of each plan;"
                " map selection-id -> output",
                backup_selections,
            )

        def recovery_points() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                backup = client("backup", region)
                for vault in _call(backup, "list_backup_vaults").get("BackupVaultList", []):
                    name = vault["BackupVaultName"]
                    points = _call(backup, "list_recovery_points_by_backup_vault", BackupVaultName=name)
                    entry = result.setdefault(name, {"RecoveryPoints": []})
                    entry["RecoveryPoints"].extend(points.get("RecoveryPoints", []))
            return result

        item(
            "aws/backup/recovery_points.json",
            f"aws backup list-recovery-points-by-backup-vault --backup-vault-name <name> --output json,"
            f" for each vault of aws backup list-backup-vaults {per_region}; map vault name -> output",
            recovery_points,
        )

        # --- CloudWatch Logs and alarms ----------------------------------------------------------
        item(
            "aws/logs/log_groups.json",
            f"aws logs describe-log-groups --output json {per_region}",
            regional_list("logs", "describe_log_groups", "logGroups"),
        )
        item(
            "aws/cloudwatch/alarms.json",
            f"aws cloudwatch describe-alarms --alarm-types MetricAlarm CompositeAlarm --output json"
            f" {per_region}",
            regional_list(
                "cloudwatch",
                "describe_alarms",
                "MetricAlarms",
                "CompositeAlarms",
                AlarmTypes=["MetricAlarm", "CompositeAlarm"],
            ),
        )

        # --- GuardDuty ---------------------------------------------------------------------------
        detector_regions: dict[str, str] = {}

        def detectors() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                result[region] = _call(client("guardduty", region), "list_detectors")
                for detector_id in result[region].get("DetectorIds", []):
                    detector_regions[detector_id] = region
            return result

        detector_list = item(
            "aws/guardduty/detectors.json",
            f"aws guardduty list-detectors --region <region> --output json, for each region"
            f" ({', '.join(regions)}); map region -> output",
            detectors,
        )

        def detector_status() -> Any:
            return {
                detector_id: client("guardduty", region).get_detector(DetectorId=detector_id)
                for detector_id, region in detector_regions.items()
            }

        if detector_list is None:
            writer.fail("aws/guardduty/detector_status.json", "aws guardduty list-detectors failed")
        else:
            item(
                "aws/guardduty/detector_status.json",
                "aws guardduty get-detector --detector-id <id> --output json, for each detector of"
                " list-detectors; map detector-id -> output",
                detector_status,
            )

        # --- VPCs: flow logs, network ACLs, dedicated hosts --------------------------------------
        for path, operation, key in (
            ("aws/ec2/vpcs.json", "describe_vpcs", "Vpcs"),
            ("aws/ec2/flow_logs.json", "describe_flow_logs", "FlowLogs"),
            ("aws/ec2/network_acls.json", "describe_network_acls", "NetworkAcls"),
            ("aws/ec2/hosts.json", "describe_hosts", "Hosts"),
        ):
            item(path, _cli("ec2", operation, per_region), regional_list("ec2", operation, key))

        # --- WAFv2 (regional web ACLs) -----------------------------------------------------------
        acl_regions: dict[str, str] = {}

        def web_acls() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                waf = client("wafv2", region)
                for acl in _list_by_marker(waf, "list_web_acls", "WebACLs", Scope="REGIONAL"):
                    result[acl["Name"]] = waf.get_web_acl(Name=acl["Name"], Scope="REGIONAL", Id=acl["Id"])
                    acl_regions[acl["ARN"]] = region
            return result

        acls = item(
            "aws/wafv2/web_acls.json",
            f"aws wafv2 get-web-acl --scope REGIONAL --name <name> --id <id> --output json, for each"
            f" web ACL of aws wafv2 list-web-acls --scope REGIONAL {per_region}; map name -> output",
            web_acls,
        )

        def web_acl_resources() -> Any:
            result: dict[str, Any] = {}
            for arn, region in acl_regions.items():
                waf = client("wafv2", region)
                arns: list[str] = []
                for resource_type in _WAF_RESOURCE_TYPES:
                    listed = waf.list_resources_for_web_acl(WebACLArn=arn, ResourceType=resource_type)
                    arns.extend(a for a in listed.get("ResourceArns", []) if a not in arns)
                result[arn] = {"ResourceArns": arns}
            return result

        if acls is None:
            writer.fail("aws/wafv2/web_acl_resources.json", "aws wafv2 list-web-acls / get-web-acl failed")
        else:
            item(
                "aws/wafv2/web_acl_resources.json",
                f"aws wafv2 list-resources-for-web-acl --web-acl-arn <arn> --resource-type <type>"
                f" --output json, for each web ACL and each type ({', '.join(_WAF_RESOURCE_TYPES)}),"
                f" ResourceArns merged; map web-ACL ARN -> output",
                web_acl_resources,
            )

        # --- ELBv2 listeners ---------------------------------------------------------------------
        def listeners() -> Any:
            result: dict[str, Any] = {}
            for region in regions:
                elb = client("elbv2", region)
                for balancer in _call(elb, "describe_load_balancers").get("LoadBalancers", []):
                    arn = balancer["LoadBalancerArn"]
                    result[arn] = _call(elb, "describe_listeners", LoadBalancerArn=arn)
            return result

        item(
            "aws/elbv2/listeners.json",
            f"aws elbv2 describe-listeners --load-balancer-arn <arn> --output json, for each load"
            f" balancer of aws elbv2 describe-load-balancers {per_region}; map load-balancer ARN -> output",
            listeners,
        )

        # --- EventBridge rules (default event bus) -----------------------------------------------
        rule_regions: dict[str, str] = {}

        def rules() -> Any:
            merged: dict[str, Any] = {"Rules": []}
            for region in regions:
                for rule in _call(client("events", region), "list_rules").get("Rules", []):
                    merged["Rules"].append(rule)
                    rule_regions[rule["Name"]] = region
            return merged

        rule_list = item(
            "aws/events/rules.json",
            f"aws events list-rules --output json {per_region}",
            rules,
        )

        def targets() -> Any:
            return {
                name: _call(client("events", region), "list_targets_by_rule", Rule=name)
                for name, region in rule_regions.items()
            }

        if rule_list is None:
            writer.fail("aws/events/targets.json", "aws events list-rules failed")
        else:
            item(
                "aws/events/targets.json",
                "aws events list-targets-by-rule --rule <name> --output json, for each rule of"
                " list-rules; map rule name -> output",
                targets,
            )

        # --- Systems Manager patch states (running instances) ------------------------------------
        def patch_states() -> Any:
            merged: dict[str, Any] = {"InstancePatchStates": []}
            running = [{"Name": "instance-state-name", "Values": ["running"]}]
            for region in regions:
                reservations = _call(client("ec2", region), "describe_instances", Filters=running)
                ids = [i["InstanceId"] for r in reservations.get("Reservations", []) for i in r["Instances"]]
                ssm = client("ssm", region)
                for start in range(0, len(ids), _SSM_IDS_PER_CALL):
                    chunk = ids[start : start + _SSM_IDS_PER_CALL]
                    output = _call(ssm, "describe_instance_patch_states", InstanceIds=chunk)
                    merged["InstancePatchStates"].extend(output.get("InstancePatchStates", []))
            return merged

        item(
            "aws/ssm/patch_states.json",
            f"aws ssm describe-instance-patch-states --instance-ids <every running instance of"
            f" aws ec2 describe-instances> --output json {per_region}",
            patch_states,
        )

        # --- Macie (sensitive-data discovery) ----------------------------------------------------
        def macie_findings() -> Any:
            merged: dict[str, Any] = {"findings": []}
            for region in regions:
                macie = client("macie2", region)
                ids = _call(macie, "list_findings").get("findingIds", [])
                for start in range(0, len(ids), _MACIE_IDS_PER_CALL):
                    chunk = ids[start : start + _MACIE_IDS_PER_CALL]
                    merged["findings"].extend(macie.get_findings(findingIds=chunk).get("findings", []))
            return merged

        item(
            "aws/macie/findings.json",
            f"aws macie2 get-findings --finding-ids <ids of aws macie2 list-findings> --output json"
            f" {per_region}",
            macie_findings,
        )
        item(
            "aws/macie/classification_jobs.json",
            f"aws macie2 list-classification-jobs --output json {per_region}",
            regional_list("macie2", "list_classification_jobs", "items"),
        )


def _list_by_marker(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """A list operation without a boto3 paginator (WAFv2): follow ``NextMarker`` by hand."""
    items: list[Any] = []
    marker: str | None = None
    while True:
        page = getattr(client, operation)(**kwargs, **({"NextMarker": marker} if marker else {}))
        items.extend(page.get(key, []))
        marker = page.get("NextMarker")
        if not marker or not page.get(key):
            return items


def _to_endpoint(endpoint: str) -> Callable[..., None]:
    """A before-send hook that sends a request whose host got an ``<account-id>.`` prefix to ``endpoint``."""
    from urllib.parse import urlsplit, urlunsplit

    host = urlsplit(endpoint).netloc

    def rewrite(request: Any, **kwargs: Any) -> None:
        parts = urlsplit(request.url)
        if parts.netloc != host and parts.netloc.endswith("." + host):
            request.url = urlunsplit(parts._replace(netloc=host))

    return rewrite


def _is_aws_error(exc: Exception) -> bool:
    """botocore's errors (ClientError, NoCredentialsError, EndpointConnectionError ...), or a timeout."""
    if isinstance(exc, TimeoutError):
        return True
    return any(cls.__module__.startswith("botocore") for cls in type(exc).__mro__)
