"""What ``assay collect aws`` reads: one row per evidence file, in the order the files are written.

Split from :mod:`assay.collect.aws` along the seam between *what* is collected (this table) and *how*
a row is run (boto3 clients, paging, errors and the one loop, in ``aws.py``): covering another
service is adding rows here, and the loop does not change.

A :class:`Row` makes one boto3 operation (``service``, ``call``, constant ``args``):

- once in every region, the lists under ``keys`` merged (``scope="regions"``, the default); once in
  every region, kept as region -> output (``"by_region"``); or once, in the first region (``"home"``);
- or, with ``each``, once for every item of a list: a :class:`Listing` the row reads itself, or the
  list an earlier row remembered (the name of its :class:`Remember`). ``item_args`` maps call
  arguments to fields of the item, and the call is made in the item's region. The output maps the
  item's name -> the call's output (with ``keys``: only those lists, merged over items of the same
  name); with ``batch``, the one ``item_args`` argument gets the items' values ``batch`` at a time,
  and the lists under ``keys`` are merged.

Error codes in ``absent`` mean "nothing is configured": the output is then ``absent_as``. A row whose
list could not be read fails with the reason its :class:`Remember` gives, without a call. ``produce``
is a hook for the few rows a table cannot say (a credential report to wait for, trails seen from
several regions ...); it is handed the row, so the call it makes is still the row's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, Literal, Protocol

from assay.lean_dataclasses import frozen

Scope = Literal["regions", "by_region", "home"]

NO_ARGS: Mapping[str, Any] = MappingProxyType({})
_REPORT_WAIT_SECONDS = 60.0
_WAF_RESOURCE_TYPES = ("APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL")
_SSM_IDS_PER_CALL = 50  # describe-instance-patch-states takes at most 50 instance ids
_MACIE_IDS_PER_CALL = 50  # get-findings takes at most 50 finding ids


class Context(Protocol):
    """What a ``produce`` hook may use of the collection under way."""

    @property
    def regions(self) -> list[str]: ...

    @property
    def home(self) -> str: ...

    def call(
        self,
        service: str,
        region: str,
        operation: str,
        args: Mapping[str, Any] = NO_ARGS,
        *,
        absent: tuple[str, ...] = (),
        absent_as: Any = None,
    ) -> Any:
        """One operation in one region, through its paginator when it has one; ``absent_as`` when
        AWS answers with an error code in ``absent``."""
        ...

    def remembered(self, name: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """The list an earlier row remembered as ``name``: item name -> (region, item)."""
        ...


Produce = Callable[[Context, "Row"], Any]


@frozen
class Remember:
    """Keep the items a row read for later rows: the entries under ``key`` (by default the key of the
    row's :class:`Listing`) of every list response, named by their ``named_by`` field (a plain string
    entry is that field; the last of equal names wins), each in the region it was read in, or the one
    its ``region_field`` names. Rows needing them fail with ``failed`` when the row failed."""

    name: str
    named_by: str
    failed: str
    key: str = ""
    region_field: str = ""


@frozen
class Listing:
    """The entries under ``key`` (with ``inner``: the lists under that field of each entry, merged)
    of ``call`` made in every region, or, with ``within``, once for every item an earlier row remembered,
    in its region, with ``item_args`` from its fields (which are then added to every entry). An entry
    is named by its ``named_by`` field; a plain string entry becomes ``{named_by: entry}``."""

    service: str
    call: str
    key: str
    named_by: str
    args: Mapping[str, Any] = field(default_factory=dict)
    inner: str = ""
    within: str = ""
    item_args: Mapping[str, str] = field(default_factory=dict)
    by_marker: bool = False  # no boto3 paginator: follow NextMarker (WAFv2)


@frozen
class Row:
    """One evidence file; see the module docstring. ``source`` is the AWS CLI command that prints
    the same, as evidence metadata: ``{per_region}``, ``{where}`` and ``{regions}`` are filled in,
    and the default is the call in every region, merged."""

    path: str
    service: str
    call: str
    source: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    scope: Scope = "regions"
    each: Listing | str | None = None
    item_args: Mapping[str, str] = field(default_factory=dict)
    batch: int = 0
    absent: tuple[str, ...] = ()
    absent_as: Any = None
    remember: Remember | None = None
    produce: Produce | None = field(default=None, compare=False)
    text: bool = False

    @property
    def needs(self) -> str:
        """The name of the remembered list this row cannot do without, or ``""``."""
        if isinstance(self.each, Listing):
            return self.each.within
        return self.each or ""


# --- the hooks ------------------------------------------------------------------------------------


def _encrypted_everywhere(run: Context, row: Row) -> Any:
    """One region: its output. Several: true only if it is in every region, and region -> output."""
    outputs = {region: run.call(row.service, region, row.call) for region in run.regions}
    if len(run.regions) == 1:
        return outputs[run.home]
    return {
        "EbsEncryptionByDefault": all(o.get("EbsEncryptionByDefault") for o in outputs.values()),
        "Regions": outputs,
    }


def _account_public_access_block(run: Context, row: Row) -> Any:
    account = run.call("sts", run.home, "get_caller_identity")["Account"]
    return run.call(row.service, run.home, row.call, {"AccountId": account}, absent=row.absent)


def _credential_report(run: Context, row: Row) -> str:
    """Generate the report, wait until it is complete, and return its CSV content as text."""
    deadline = time.monotonic() + _REPORT_WAIT_SECONDS
    while run.call(row.service, run.home, "generate_credential_report").get("State") != "COMPLETE":
        if time.monotonic() > deadline:
            raise TimeoutError(f"the credential report was not ready after {_REPORT_WAIT_SECONDS:.0f}s")
        time.sleep(1)
    content = run.call(row.service, run.home, row.call)["Content"]
    return content.decode("utf-8") if isinstance(content, bytes) else str(content)


def _trails_by_arn(run: Context, row: Row) -> Any:
    """Every region's trails (shadow trails included), each trail once: the first seen of an ARN."""
    seen: dict[str, Any] = {}
    for region in run.regions:
        for trail in run.call(row.service, region, row.call, row.args).get("trailList", []):
            seen.setdefault(trail.get("TrailARN"), trail)
    return {"trailList": list(seen.values())}


def _web_acl_resources(run: Context, row: Row) -> Any:
    """Web ACL ARN -> the resources it protects, of every resource type, each ARN once."""
    result: dict[str, Any] = {}
    for arn, (region, _) in run.remembered(row.needs).items():
        arns: list[str] = []
        for resource_type in _WAF_RESOURCE_TYPES:
            listed = run.call(
                row.service, region, row.call, {"WebACLArn": arn, "ResourceType": resource_type}
            )
            arns.extend(a for a in listed.get("ResourceArns", []) if a not in arns)
        result[arn] = {"ResourceArns": arns}
    return result


# --- the table ------------------------------------------------------------------------------------

_BUCKET_CALLS = (  # file, s3api command, the error codes that mean "not configured"
    ("bucket_encryption", "get-bucket-encryption", ("ServerSideEncryptionConfigurationNotFoundError",)),
    ("public_access_block", "get-public-access-block", ("NoSuchPublicAccessBlockConfiguration",)),
    ("bucket_versioning", "get-bucket-versioning", ()),
    ("bucket_tagging", "get-bucket-tagging", ("NoSuchTagSet",)),
    ("bucket_lifecycle", "get-bucket-lifecycle-configuration", ("NoSuchLifecycleConfiguration",)),
    ("bucket_locations", "get-bucket-location", ()),
)


def _bucket_row(name: str, command: str, absent: tuple[str, ...]) -> Row:
    null = f" (null on {', '.join(sorted(absent))})" if absent else ""
    return Row(
        f"aws/s3/{name}.json",
        "s3",
        command.replace("-", "_"),
        f"aws s3api {command} --bucket <name> --output json, for each bucket of list-buckets;"
        f" map bucket -> output{null}",
        each="buckets",
        item_args={"Bucket": "Name"},
        absent=absent,
    )


SERVICES: tuple[Row, ...] = (
    # --- EC2 and S3 ------------------------------------------------------------------------------
    Row("aws/ec2/volumes.json", "ec2", "describe_volumes", keys=("Volumes",)),
    Row(
        "aws/ec2/ebs_encryption_by_default.json",
        "ec2",
        "get_ebs_encryption_by_default",
        "aws ec2 get-ebs-encryption-by-default {where} --output json",
        produce=_encrypted_everywhere,
    ),
    Row("aws/ec2/security_groups.json", "ec2", "describe_security_groups", keys=("SecurityGroups",)),
    Row("aws/ec2/instances.json", "ec2", "describe_instances", keys=("Reservations",)),
    Row(
        "aws/s3/buckets.json",
        "s3",
        "list_buckets",
        "aws s3api list-buckets --output json",
        scope="home",
        remember=Remember("buckets", "Name", "aws s3api list-buckets failed", key="Buckets"),
    ),
    *(_bucket_row(*bucket_call) for bucket_call in _BUCKET_CALLS),
    Row(
        "aws/s3/account_public_access_block.json",
        "s3control",
        "get_public_access_block",
        "aws s3control get-public-access-block --account-id <id of aws sts get-caller-identity>"
        " --output json (null on NoSuchPublicAccessBlockConfiguration)",
        absent=("NoSuchPublicAccessBlockConfiguration",),
        produce=_account_public_access_block,
    ),
    # --- KMS -------------------------------------------------------------------------------------
    Row(
        "aws/kms/keys.json",
        "kms",
        "describe_key",
        "aws kms describe-key --key-id <id> --output json, for each key of aws kms list-keys {per_region};"
        " map key-id -> output",
        each=Listing("kms", "list_keys", "Keys", "KeyId"),
        item_args={"KeyId": "KeyId"},
        remember=Remember("keys", "KeyId", "aws kms list-keys / describe-key failed"),
    ),
    Row(
        "aws/kms/key_rotation.json",
        "kms",
        "get_key_rotation_status",
        "aws kms get-key-rotation-status --key-id <id> --output json, for each key of aws kms list-keys;"
        " map key-id -> output (null where the key type does not support rotation)",
        each="keys",
        item_args={"KeyId": "KeyId"},
        absent=("UnsupportedOperationException",),
    ),
    Row(
        "aws/kms/key_policies.json",
        "kms",
        "get_key_policy",
        "aws kms get-key-policy --key-id <id> --policy-name default --output json, for each key"
        " of aws kms list-keys; map key-id -> output",
        args={"PolicyName": "default"},
        each="keys",
        item_args={"KeyId": "KeyId"},
    ),
    # --- IAM and CloudTrail ----------------------------------------------------------------------
    Row(
        "aws/iam/password_policy.json",
        "iam",
        "get_account_password_policy",
        "aws iam get-account-password-policy --output json",
        scope="home",
        absent=("NoSuchEntity",),
        absent_as={},
    ),
    Row(
        "aws/iam/credential_report.csv",
        "iam",
        "get_credential_report",
        "aws iam generate-credential-report; aws iam get-credential-report --query Content --output text"
        " | base64 --decode",
        produce=_credential_report,
        text=True,
    ),
    Row(
        "aws/cloudtrail/trails.json",
        "cloudtrail",
        "describe_trails",
        "aws cloudtrail describe-trails --include-shadow-trails --output json {per_region} (by TrailARN)",
        args={"includeShadowTrails": True},
        remember=Remember(
            "trails",
            "TrailARN",
            "aws cloudtrail describe-trails failed",
            key="trailList",
            region_field="HomeRegion",
        ),
        produce=_trails_by_arn,
    ),
    Row(
        "aws/cloudtrail/trail_status.json",
        "cloudtrail",
        "get_trail_status",
        "aws cloudtrail get-trail-status --name <TrailARN> --output json, for each trail of"
        " describe-trails; map trail ARN -> output",
        each="trails",
        item_args={"Name": "TrailARN"},
    ),
    # --- RDS and AWS Backup ----------------------------------------------------------------------
    Row("aws/rds/db_instances.json", "rds", "describe_db_instances", keys=("DBInstances",)),
    Row("aws/rds/db_clusters.json", "rds", "describe_db_clusters", keys=("DBClusters",)),
    Row(
        "aws/rds/db_cluster_snapshots.json",
        "rds",
        "describe_db_cluster_snapshots",
        keys=("DBClusterSnapshots",),
    ),
    Row(
        "aws/backup/plans.json",
        "backup",
        "get_backup_plan",
        "aws backup get-backup-plan --backup-plan-id <id> --output json, for each plan of"
        " aws backup list-backup-plans {per_region}; map plan-id -> output",
        each=Listing("backup", "list_backup_plans", "BackupPlansList", "BackupPlanId"),
        item_args={"BackupPlanId": "BackupPlanId"},
        remember=Remember("plans", "BackupPlanId", "aws backup list-backup-plans / get-backup-plan failed"),
    ),
    Row(
        "aws/backup/selections.json",
        "backup",
        "get_backup_selection",
        "aws backup get-backup-selection --backup-plan-id <plan> --selection-id <id> --output json,"
        " for each selection of aws backup list-backup-selections of each plan;"
        " map selection-id -> output",
        each=Listing(
            "backup",
            "list_backup_selections",
            "BackupSelectionsList",
            "SelectionId",
            within="plans",
            item_args={"BackupPlanId": "BackupPlanId"},
        ),
        item_args={"BackupPlanId": "BackupPlanId", "SelectionId": "SelectionId"},
    ),
    Row(
        "aws/backup/recovery_points.json",
        "backup",
        "list_recovery_points_by_backup_vault",
        "aws backup list-recovery-points-by-backup-vault --backup-vault-name <name> --output json,"
        " for each vault of aws backup list-backup-vaults {per_region}; map vault name -> output",
        keys=("RecoveryPoints",),
        each=Listing("backup", "list_backup_vaults", "BackupVaultList", "BackupVaultName"),
        item_args={"BackupVaultName": "BackupVaultName"},
    ),
    # --- CloudWatch Logs and alarms, GuardDuty ---------------------------------------------------
    Row("aws/logs/log_groups.json", "logs", "describe_log_groups", keys=("logGroups",)),
    Row(
        "aws/cloudwatch/alarms.json",
        "cloudwatch",
        "describe_alarms",
        "aws cloudwatch describe-alarms --alarm-types MetricAlarm CompositeAlarm --output json {per_region}",
        args={"AlarmTypes": ["MetricAlarm", "CompositeAlarm"]},
        keys=("MetricAlarms", "CompositeAlarms"),
    ),
    Row(
        "aws/guardduty/detectors.json",
        "guardduty",
        "list_detectors",
        "aws guardduty list-detectors --region <region> --output json, for each region ({regions});"
        " map region -> output",
        scope="by_region",
        remember=Remember(
            "detectors", "DetectorId", "aws guardduty list-detectors failed", key="DetectorIds"
        ),
    ),
    Row(
        "aws/guardduty/detector_status.json",
        "guardduty",
        "get_detector",
        "aws guardduty get-detector --detector-id <id> --output json, for each detector of"
        " list-detectors; map detector-id -> output",
        each="detectors",
        item_args={"DetectorId": "DetectorId"},
    ),
    # --- VPCs: flow logs, network ACLs, dedicated hosts ------------------------------------------
    Row("aws/ec2/vpcs.json", "ec2", "describe_vpcs", keys=("Vpcs",)),
    Row("aws/ec2/flow_logs.json", "ec2", "describe_flow_logs", keys=("FlowLogs",)),
    Row("aws/ec2/network_acls.json", "ec2", "describe_network_acls", keys=("NetworkAcls",)),
    Row("aws/ec2/hosts.json", "ec2", "describe_hosts", keys=("Hosts",)),
    # --- WAFv2 (regional web ACLs), ELBv2 listeners, EventBridge rules (default bus) -------------
    Row(
        "aws/wafv2/web_acls.json",
        "wafv2",
        "get_web_acl",
        "aws wafv2 get-web-acl --scope REGIONAL --name <name> --id <id> --output json, for each"
        " web ACL of aws wafv2 list-web-acls --scope REGIONAL {per_region}; map name -> output",
        args={"Scope": "REGIONAL"},
        each=Listing("wafv2", "list_web_acls", "WebACLs", "Name", args={"Scope": "REGIONAL"}, by_marker=True),
        item_args={"Name": "Name", "Id": "Id"},
        remember=Remember("web_acls", "ARN", "aws wafv2 list-web-acls / get-web-acl failed"),
    ),
    Row(
        "aws/wafv2/web_acl_resources.json",
        "wafv2",
        "list_resources_for_web_acl",
        "aws wafv2 list-resources-for-web-acl --web-acl-arn <arn> --resource-type <type>"
        f" --output json, for each web ACL and each type ({', '.join(_WAF_RESOURCE_TYPES)}),"
        " ResourceArns merged; map web-ACL ARN -> output",
        each="web_acls",
        produce=_web_acl_resources,
    ),
    Row(
        "aws/elbv2/listeners.json",
        "elbv2",
        "describe_listeners",
        "aws elbv2 describe-listeners --load-balancer-arn <arn> --output json, for each load"
        " balancer of aws elbv2 describe-load-balancers {per_region}; map load-balancer ARN -> output",
        each=Listing("elbv2", "describe_load_balancers", "LoadBalancers", "LoadBalancerArn"),
        item_args={"LoadBalancerArn": "LoadBalancerArn"},
    ),
    Row(
        "aws/events/rules.json",
        "events",
        "list_rules",
        keys=("Rules",),
        remember=Remember("rules", "Name", "aws events list-rules failed", key="Rules"),
    ),
    Row(
        "aws/events/targets.json",
        "events",
        "list_targets_by_rule",
        "aws events list-targets-by-rule --rule <name> --output json, for each rule of"
        " list-rules; map rule name -> output",
        each="rules",
        item_args={"Rule": "Name"},
    ),
    # --- Systems Manager patch states (running instances), Macie ---------------------------------
    Row(
        "aws/ssm/patch_states.json",
        "ssm",
        "describe_instance_patch_states",
        "aws ssm describe-instance-patch-states --instance-ids <every running instance of"
        " aws ec2 describe-instances> --output json {per_region}",
        keys=("InstancePatchStates",),
        each=Listing(
            "ec2",
            "describe_instances",
            "Reservations",
            "InstanceId",
            args={"Filters": [{"Name": "instance-state-name", "Values": ["running"]}]},
            inner="Instances",
        ),
        item_args={"InstanceIds": "InstanceId"},
        batch=_SSM_IDS_PER_CALL,
    ),
    Row(
        "aws/macie/findings.json",
        "macie2",
        "get_findings",
        "aws macie2 get-findings --finding-ids <ids of aws macie2 list-findings> --output json {per_region}",
        keys=("findings",),
        each=Listing("macie2", "list_findings", "findingIds", "findingId"),
        item_args={"findingIds": "findingId"},
        batch=_MACIE_IDS_PER_CALL,
    ),
    Row("aws/macie/classification_jobs.json", "macie2", "list_classification_jobs", keys=("items",)),
)
