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
==========================================  =================================================

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
_TOKEN_KEYS = {"NextToken", "Marker", "NextMarker", "ContinuationToken", "IsTruncated"}


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
    description = "EBS, EC2, S3, KMS, IAM and CloudTrail evidence from AWS (read-only calls; needs boto3)"

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
            return session.client(service, region_name=region, endpoint_url=endpoint)

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

        def regional_list(service: str, operation: str, key: str) -> Callable[[], Any]:
            def produce() -> Any:
                merged: dict[str, Any] = {key: []}
                for region in regions:
                    merged[key].extend(_call(client(service, region), operation).get(key, []))
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

        if buckets is None:
            writer.fail("aws/s3/bucket_encryption.json", "aws s3api list-buckets failed")
            writer.fail("aws/s3/public_access_block.json", "aws s3api list-buckets failed")
        else:
            item(
                "aws/s3/bucket_encryption.json",
                "aws s3api get-bucket-encryption --bucket <name> --output json, for each bucket of"
                " list-buckets;"
                " map bucket -> output (null on ServerSideEncryptionConfigurationNotFoundError)",
                per_bucket("get_bucket_encryption", {"ServerSideEncryptionConfigurationNotFoundError"}),
            )
            item(
                "aws/s3/public_access_block.json",
                "aws s3api get-public-access-block --bucket <name> --output json, for each bucket of"
                " list-buckets;"
                " map bucket -> output (null on NoSuchPublicAccessBlockConfiguration)",
                per_bucket("get_public_access_block", {"NoSuchPublicAccessBlockConfiguration"}),
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


def _is_aws_error(exc: Exception) -> bool:
    """botocore's errors (ClientError, NoCredentialsError, EndpointConnectionError ...), or a timeout."""
    if isinstance(exc, TimeoutError):
        return True
    return any(cls.__module__.startswith("botocore") for cls in type(exc).__mro__)
