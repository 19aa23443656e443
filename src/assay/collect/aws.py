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

The services are described as data, one row per file above, in :mod:`assay.collect.aws_services`;
this module runs every row with the same loop (:func:`collect_row`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from assay.collect import EvidenceWriter
from assay.collect.aws_services import NO_ARGS, SERVICES, Listing, Remember, Row
from assay.errors import ConfigError

_TOKEN_KEYS = {"NextToken", "nextToken", "Marker", "NextMarker", "ContinuationToken", "IsTruncated"}

Remembered = dict[str, tuple[str, dict[str, Any]]]  # item name -> (region, item)
Items = list[tuple[str, dict[str, Any]]]  # (item name, item)
Responses = list[tuple[str, Any]]  # (region, the response of a list call)


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
        if options.endpoint_url is not None and "@" in urlsplit(options.endpoint_url).netloc:
            raise ConfigError("assay collect aws: --endpoint-url must not hold credentials")
        session = make_session(options.profile)
        credentials = session.get_credentials()
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            for value in (frozen.access_key, frozen.secret_key, frozen.token):
                if value:
                    writer.add_secret(value)
        regions: list[str] = options.region or [session.region_name or "us-east-1"]
        run = Run(session, regions, options.endpoint_url)
        for row in SERVICES:
            collect_row(run, row, writer)


class Run:
    """One collection: the regions, one client per service and region, and the lists rows remembered
    for later rows (or why they could not be read)."""

    def __init__(self, session: Any, regions: list[str], endpoint: str | None) -> None:
        self.regions = regions
        self.home = regions[0]
        self.lists: dict[str, Remembered] = {}
        self.failed: dict[str, str] = {}
        self._session = session
        self._endpoint = endpoint
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        made = self._clients.get((service, region))
        if made is None:
            made = self._clients[service, region] = _client(self._session, service, region, self._endpoint)
        return made

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
        """One operation in one region; ``absent_as`` when AWS answers with an error code in ``absent``."""
        try:
            return _call(self.client(service, region), operation, **args)
        except Exception as exc:
            if _error_code(exc) not in absent:
                raise
            return absent_as

    def remembered(self, name: str) -> Remembered:
        return self.lists[name]

    def source(self, row: Row) -> str:
        """The row's source, with the regions filled in."""
        template = row.source or _cli(row.service, row.call, "{per_region}")
        return template.format(
            per_region=f"for each region ({', '.join(self.regions)}), merged",
            where=f"--region {' '.join(self.regions)}" if len(self.regions) > 1 else f"--region {self.home}",
            regions=", ".join(self.regions),
        )


def _client(session: Any, service: str, region: str, endpoint: str | None) -> Any:
    if endpoint is None:
        return session.client(service, region_name=region)
    from botocore.config import Config

    # an emulator at one address: no account-id host prefix (s3control) in front of it
    config = Config(inject_host_prefix=False)
    made = session.client(service, region_name=region, endpoint_url=endpoint, config=config)
    made.meta.events.register("before-send", _to_endpoint(endpoint))
    return made


# --- the loop: one row, one evidence file ---------------------------------------------------------


def collect_row(run: Run, row: Row, writer: EvidenceWriter) -> None:
    """Write the row's file, or fail it: when its call fails, or the list it needs could not be read."""
    if row.needs and row.needs not in run.lists:
        _fail(run, row, writer, run.failed[row.needs])
        return
    source = run.source(row)
    writer.progress(source)
    try:
        output, listed = _produce(run, row)
    except Exception as exc:
        if not _is_aws_error(exc):
            raise
        _fail(run, row, writer, f"{source}: {_describe(exc)}")
        return
    if row.remember is not None:
        key = row.each.key if isinstance(row.each, Listing) else ""
        run.lists[row.remember.name] = _remember(row.remember, key, listed)
    if row.text:
        writer.write_text(row.path, output, source)
    else:
        writer.write_json(row.path, cli_json(output), source)


def _fail(run: Run, row: Row, writer: EvidenceWriter, reason: str) -> None:
    writer.fail(row.path, reason)
    if row.remember is not None:
        run.failed[row.remember.name] = row.remember.failed


def _produce(run: Run, row: Row) -> tuple[Any, Responses]:
    """The row's output, and the responses of the lists it read, to remember items from."""
    if row.produce is not None:
        output = row.produce(run, row)
        return output, [(run.home, output)]
    if row.each is not None:
        return _for_each(run, row, row.each)
    regions = [run.home] if row.scope == "home" else run.regions
    pairs = [(region, _call_row(run, row, region, row.args)) for region in regions]
    if row.scope == "home":
        return pairs[0][1], pairs
    if row.scope == "by_region":
        return dict(pairs), pairs
    merged: dict[str, list[Any]] = {key: [] for key in row.keys}
    for _, response in pairs:
        _extend(merged, row.keys, response)
    return merged, pairs


def _call_row(run: Run, row: Row, region: str, args: Mapping[str, Any]) -> Any:
    return run.call(row.service, region, row.call, args, absent=row.absent, absent_as=row.absent_as)


def _for_each(run: Run, row: Row, each: Listing | str) -> tuple[Any, Responses]:
    """The row's call for every item of ``each``, in the item's region."""
    listed: Responses = []
    output: dict[str, Any] = {key: [] for key in row.keys} if row.batch else {}
    for region, items in _items(run, each, listed):
        if row.batch:
            _call_in_batches(run, row, region, items, output)
            continue
        for name, item in items:
            args = {**row.args, **{arg: item[field] for arg, field in row.item_args.items()}}
            response = _call_row(run, row, region, args)
            if not row.keys:
                output[name] = response
                continue
            _extend(output.setdefault(name, {key: [] for key in row.keys}), row.keys, response)
    return output, listed


def _items(run: Run, each: Listing | str, listed: Responses) -> Iterator[tuple[str, Items]]:
    """The items of ``each``, a group per list call (for a remembered list, per item) with its region; the
    list responses are added to ``listed``. A generator: the calls for the items of one list are made
    before the next list is read."""
    if isinstance(each, str):
        for name, (region, item) in run.remembered(each).items():
            yield region, [(name, item)]
        return
    parents = list(run.remembered(each.within).values()) if each.within else [(r, {}) for r in run.regions]
    for region, parent in parents:
        linked = {arg: parent[field] for arg, field in each.item_args.items()}
        args = {**each.args, **linked}
        if each.by_marker:
            response: Any = {
                each.key: _list_by_marker(run.client(each.service, region), each.call, each.key, **args)
            }
        else:
            response = run.call(each.service, region, each.call, args)
        listed.append((region, response))
        entries = response.get(each.key, [])
        if each.inner:
            entries = [inner for outer in entries for inner in outer[each.inner]]
        named = [{**_entry(entry, each.named_by), **linked} for entry in entries]
        yield region, [(entry[each.named_by], entry) for entry in named]


def _call_in_batches(run: Run, row: Row, region: str, items: Items, output: dict[str, Any]) -> None:
    """The row's call with the items' values of its one item argument, ``row.batch`` at a time."""
    [(arg, field)] = row.item_args.items()
    values = [item[field] for _, item in items]
    for start in range(0, len(values), row.batch):
        batch = values[start : start + row.batch]
        _extend(output, row.keys, run.call(row.service, region, row.call, {**row.args, arg: batch}))


def _extend(merged: dict[str, Any], keys: tuple[str, ...], response: Any) -> None:
    """Add the lists under ``keys`` of ``response`` to those of ``merged``."""
    for key in keys:
        merged[key].extend(response.get(key, []))


def _remember(remember: Remember, listing_key: str, listed: Responses) -> Remembered:
    """The items to remember from the list responses a row read; see :class:`Remember`."""
    found: Remembered = {}
    for region, response in listed:
        for entry in response.get(remember.key or listing_key, []):
            item = _entry(entry, remember.named_by)
            home = item.get(remember.region_field) if remember.region_field else None
            found[item[remember.named_by]] = (home or region, item)
    return found


def _entry(entry: Any, named_by: str) -> dict[str, Any]:
    """A list entry as a mapping: a plain string (an id) becomes ``{named_by: entry}``."""
    return entry if isinstance(entry, dict) else {named_by: entry}


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
    from urllib.parse import urlunsplit

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
