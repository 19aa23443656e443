"""A small project of its own for the command tests: three controls, two frameworks, dated evidence.

Every control passes on the evidence as written (``assay check`` exits 0); a test changes a file to
make something fail, go unused or be misnamed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ASSAY_TOML = """\
controls = "controls"
mappings = "mappings"
evidence = "evidence"
now = 2026-11-25T00:00:00Z
"""

CONTROLS = """\
controls:
  - id: DISK-01
    title: Disks are encrypted
    claim: Data on our server disks is encrypted at rest.
    description: Every volume has encryption enabled.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: volume-encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
        message: '"volume " + item.VolumeId + " is not encrypted"'
    remediation: Encrypt the volume.
  - id: KEYS-01
    title: Keys are rotated
    claim: Our encryption keys are rotated every year.
    description: Every key has rotation enabled.
    severity: medium
    domain: cryptography
    evidence:
      - name: aws.kms.rotation
    rules:
      - id: rotated
        for_each: aws.kms.rotation.Keys
        resource_id: item.KeyId
        assert: item.Rotation == true
        message: '"key " + item.KeyId + " is not rotated"'
    remediation: Turn rotation on.
  - id: NET-01
    title: The firewall is on
    claim: Every server sits behind a firewall.
    description: The firewall is enabled.
    severity: medium
    domain: network
    evidence:
      - name: aws.ec2.firewall
    rules:
      - id: enabled
        assert: aws.ec2.firewall.Enabled == true
    remediation: Turn the firewall on.
"""

SOC2_MAPPING = """\
framework: soc2
mappings:
  - requirement: CC6.1
    controls:
      - {control: DISK-01, coverage: partial, rationale: Volumes are encrypted.}
      - {control: KEYS-01, coverage: partial, rationale: Keys rotate.}
    together:
      coverage: full
      rationale: Encrypted volumes with rotating keys are all the test requirement asks.
  - requirement: CC6.6
    controls: [{control: NET-01, coverage: full, rationale: The firewall is the requirement.}]
"""

ISO_MAPPING = """\
framework: iso27001
mappings:
  - requirement: A.8.24
    controls:
      - {control: DISK-01, coverage: partial, rationale: Volumes are encrypted.}
      - {control: KEYS-01, coverage: partial, rationale: Keys rotate.}
    together:
      coverage: full
      rationale: Encrypted volumes with rotating keys are all the test requirement asks.
  - requirement: A.8.20
    controls: [{control: NET-01, coverage: full, rationale: The firewall is the requirement.}]
"""

EVIDENCE = {
    "aws/ec2/volumes.json": (
        '{"Volumes": [{"VolumeId": "vol-001", "Encrypted": true}, '
        '{"VolumeId": "vol-002", "Encrypted": true}]}'
    ),
    "aws/kms/rotation.json": '{"Keys": [{"KeyId": "key-1", "Rotation": true}]}',
    "aws/ec2/firewall.json": '{"Enabled": true}',
}

# A control of the company's own, for the tests that run one beside (or instead of) the built-ins.
OWN_CONTROL = """\
controls:
  - id: OWN-01
    title: Default disk encryption is on
    claim: New disks are encrypted, in our own words.
    description: The account default is on.
    severity: medium
    domain: cryptography
    evidence:
      - name: aws.ec2.ebs_encryption_by_default
    rules:
      - id: on
        assert: aws.ec2.ebs_encryption_by_default.EbsEncryptionByDefault == true
    remediation: Turn it on.
"""

TRUST_YAML = "company: Acme\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_evidence(folder: Path, files: dict[str, str]) -> None:
    manifest = ["evidence:"]
    for name, text in files.items():
        write(folder / name, text)
        manifest += [f"  {name}:", "    collected_at: 2026-11-20T06:00:00Z"]
    write(folder / "assay-manifest.yaml", "\n".join(manifest) + "\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small project in ``tmp_path``, which is the working directory."""
    root = tmp_path / "project"
    write(root / "assay.toml", ASSAY_TOML)
    write(root / "controls" / "controls.yaml", CONTROLS)
    write(root / "mappings" / "soc2.yaml", SOC2_MAPPING)
    write(root / "mappings" / "iso27001.yaml", ISO_MAPPING)
    write_evidence(root / "evidence", EVIDENCE)
    write(root / "trust.yaml", TRUST_YAML)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: the built-in catalog and the bundled example company."""
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder
