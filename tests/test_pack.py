"""Evidence packs: assay pack, verify and keygen; determinism, tampering, unsafe archives, redaction."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.pack import MiB, PackError, PackLimits, build_pack, collect, verify_pack

ACME = Path(__file__).resolve().parent / "fixtures" / "acme"
NOW = "2026-11-25T12:00:00Z"
ARGS = [
    "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
    "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", NOW,
]  # fmt: skip
EXPECTED_ENTRIES = [
    "evidence/attestations/security_audit.yaml",
    "evidence/aws/ec2/ebs_encryption_by_default.json",
    "evidence/aws/ec2/security_groups.json",
    "evidence/aws/ec2/volumes.json",
    "evidence/aws/iam/credential_report.csv",
    "index.html",
    "manifest.json",
    "manifest.sig",
    "reports/assessment-results.oscal.json",
    "reports/gap-report.csv",
    "reports/gap-report.html",
    "reports/gap-report.json",
    "reports/gap-report.md",
    "sources/controls/controls.yaml",
    "sources/frameworks/gdpr.yaml",
    "sources/frameworks/hipaa.yaml",
    "sources/frameworks/iso27001.yaml",
    "sources/frameworks/pci-dss.yaml",
    "sources/frameworks/soc2.yaml",
    "sources/mappings/iso27001.yaml",
    "sources/mappings/soc2.yaml",
    "sources/scope.yaml",
    "sources/waivers.yaml",
]


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(ACME, copy)
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def keys(cli, acme: Path) -> tuple[Path, Path]:
    result = cli("keygen", "--output", "keys")
    assert result.code == 0, result.err
    return acme / "keys" / "assay-signing-key.pem", acme / "keys" / "assay-signing-key.pub"


@pytest.fixture
def signed(cli, acme: Path, keys: tuple[Path, Path]) -> Path:
    result = cli("pack", *ARGS, "--framework", "soc2", "--output", "pack.zip", "--sign-key", str(keys[0]))
    assert result.code == 0, result.err
    return acme / "pack.zip"


@pytest.fixture
def unsigned(cli, acme: Path) -> Path:
    result = cli("pack", *ARGS, "--framework", "soc2", "--output", "plain.zip")
    assert result.code == 0, result.err
    assert result.err.endswith(
        "not signed (assay verify passes it only with --allow-unsigned; sign with --sign-key)\n"
    )
    return acme / "plain.zip"


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(entries(path)["manifest.json"])  # type: ignore[no-any-return]


def rewrite(path: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Tamper with a pack: change its entries and zip them again (as an attacker would)."""
    files = entries(path)
    change(files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- building --------------------------------------------------------------------------------------


def test_pack_holds_index_reports_evidence_sources_manifest_and_signature(
    cli, acme: Path, keys: tuple[Path, Path]
) -> None:
    result = cli("pack", *ARGS, "--framework", "soc2", "--output", "pack.zip", "--sign-key", str(keys[0]))
    assert result.code == 0
    key_id = manifest_of(acme / "pack.zip")["signature"]["key_id"]
    assert result.err == (
        "assay pack: wrote pack.zip: 21 files, 5 evidence files (nothing redacted), "
        f"signed by the key with fingerprint {key_id}\n"
    )
    files = entries(acme / "pack.zip")
    assert sorted(files) == EXPECTED_ENTRIES
    for name in EXPECTED_ENTRIES:
        if name.startswith("evidence/"):  # nothing to redact here: the bytes the run read
            assert files[name] == (acme / name).read_bytes()
    assert files["sources/controls/controls.yaml"] == (acme / "controls" / "controls.yaml").read_bytes()
    assert files["sources/waivers.yaml"] == (acme / "waivers.yaml").read_bytes()
    report = json.loads(files["reports/gap-report.json"])
    assert [f["key"] for f in report["frameworks"]] == ["soc2"]
    assert files["reports/gap-report.csv"].startswith(b"framework,requirement,title")
    assert files["reports/gap-report.md"].startswith(b"# ")


def test_manifest_records_version_now_inputs_hashes_and_evidence_metadata(signed: Path) -> None:
    files = entries(signed)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "assay-evidence-pack"
    assert manifest["format_version"] == 1
    assert manifest["assay_version"] == __import__("assay").__version__
    assert manifest["now"] == "2026-11-25T12:00:00Z"
    assert manifest["frameworks"] == ["soc2"]
    assert manifest["inputs"] == {
        "controls": ["controls"],
        "mappings": ["mappings"],
        "evidence": "evidence",
        "waivers": "waivers.yaml",
        "scope": "scope.yaml",
        "parameters": None,
    }
    assert sorted(manifest["files"]) == [n for n in EXPECTED_ENTRIES if not n.startswith("manifest.")]
    for name, entry in manifest["files"].items():
        assert entry == {"sha256": sha256(files[name]), "size": len(files[name])}
    volumes = next(e for e in manifest["evidence"] if e["name"] == "aws.ec2.volumes")
    assert volumes == {
        "name": "aws.ec2.volumes",
        "file": "evidence/aws/ec2/volumes.json",
        "path": "evidence/aws/ec2/volumes.json",
        "format": "json",
        "sha256": sha256(files["evidence/aws/ec2/volumes.json"]),
        "size": len(files["evidence/aws/ec2/volumes.json"]),
        "collected_at": "2026-11-20T06:00:00Z",
        "as_of": None,
        "source": "aws ec2 describe-volumes --output json",
        "redacted": None,
    }
    report = json.loads(files["reports/gap-report.json"])
    assert {e["name"]: e["sha256"] for e in report["evidence"] if e["sha256"]} == {
        e["name"]: e["sha256"] for e in manifest["evidence"]
    }
    assert {(s["kind"], s["file"], s["path"]) for s in manifest["sources"]} == {
        ("controls", "sources/controls/controls.yaml", "controls/controls.yaml"),
        *(
            ("frameworks", f"sources/frameworks/{key}.yaml", f"frameworks/{key}.yaml")
            for key in ("gdpr", "hipaa", "iso27001", "pci-dss", "soc2")
        ),
        ("mappings", "sources/mappings/iso27001.yaml", "mappings/iso27001.yaml"),
        ("mappings", "sources/mappings/soc2.yaml", "mappings/soc2.yaml"),
        ("waivers", "sources/waivers.yaml", "waivers.yaml"),
        ("scope", "sources/scope.yaml", "scope.yaml"),
    }
    assert manifest["signature"]["algorithm"] == "ed25519"
    assert manifest["signature"]["key_id"].startswith("sha256:")
    assert files["manifest.json"].endswith(b"}\n")
    assert files["manifest.json"] == (json.dumps(manifest, sort_keys=True, indent=2) + "\n").encode()


def test_index_links_every_requirement_to_controls_findings_and_packed_evidence(signed: Path) -> None:
    files = entries(signed)
    index = files["index.html"].decode()
    links = set(re.findall(r'href="([^"#][^"]*)"', index))
    assert links <= set(files)  # every relative link resolves inside the pack
    assert {
        "manifest.json",
        "reports/gap-report.html",
        "reports/gap-report.md",
        "reports/gap-report.json",
        "reports/gap-report.csv",
        "reports/assessment-results.oscal.json",
        "evidence/aws/ec2/volumes.json",
        "sources/controls/controls.yaml",
    } <= links
    anchors = set(re.findall(r'id="([^"]+)"', index))
    assert {a.removeprefix("#") for a in re.findall(r'href="(#[^"]+)"', index)} <= anchors
    row = re.search(r'<tr><td><span id="req-soc2:CC6.1">.*?</tr>', index)
    assert row is not None
    assert (
        '<a href="#control-CRYPTO-01">CRYPTO-01</a> <span class="status s-bad">fail</span> covers it fully '
        "(2 findings)" in row[0]
    )
    assert '<a href="evidence/aws/ec2/volumes.json">' in row[0]
    assert '<span class="status s-bad">not_met</span>' in row[0]
    assert "EBS volume vol-002 is not encrypted" in index  # the control's findings
    assert "<script" not in index
    assert 'src="http' not in index


def test_same_inputs_and_now_give_the_same_bytes(cli, acme: Path, tmp_path: Path, monkeypatch) -> None:
    assert cli("keygen", "--output", str(tmp_path / "keys")).code == 0
    key = str(tmp_path / "keys" / "assay-signing-key.pem")
    args = [*ARGS, "--framework", "soc2", "--framework", "iso27001", "--sign-key", key]
    assert cli("pack", *args, "--output", "one.zip").code == 0
    assert cli("pack", *args, "--output", "two.zip").code == 0
    other = tmp_path / "elsewhere" / "acme"
    shutil.copytree(ACME, other)
    monkeypatch.chdir(other)
    assert cli("pack", *args, "--output", "three.zip").code == 0
    one = (acme / "one.zip").read_bytes()
    assert one == (acme / "two.zip").read_bytes()
    assert one == (other / "three.zip").read_bytes()  # no absolute path or clock leaks in
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2026, 11, 25, 12, 0, 0)}
    assert {i.external_attr for i in infos} == {(stat.S_IFREG | 0o644) << 16}
    assert {i.create_system for i in infos} == {3}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert cli("pack", *args, "--output", "later.zip", "--now", "2026-11-26T00:00:00Z").code == 0
    assert (other / "later.zip").read_bytes() != one


@pytest.mark.parametrize(
    ("now", "stamp"),
    [
        ("1975-06-01T00:00:00Z", (1980, 1, 1, 0, 0, 0)),
        ("2026-11-25T13:30:07+01:00", (2026, 11, 25, 12, 30, 6)),
    ],
)
def test_entry_times_are_now_in_utc_clamped_to_what_zip_can_hold(cli, acme: Path, now: str, stamp) -> None:
    assert cli("pack", *ARGS, "--now", now, "--framework", "soc2", "--output", "p.zip").code == 0
    with zipfile.ZipFile(acme / "p.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {stamp}


def test_output_is_written_atomically(cli, acme: Path) -> None:
    (acme / "out").mkdir()
    target = acme / "out" / "pack.zip"
    target.write_bytes(b"previous pack")
    assert cli("pack", *ARGS, "--framework", "soc2", "--output", str(target)).code == 0
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["pack.zip"]  # no temporary left
    missing = cli("pack", *ARGS, "--framework", "soc2", "--output", "nowhere/pack.zip")
    assert missing.code == 2
    assert missing.err.endswith("assay: error: cannot write nowhere/pack.zip: No such file or directory\n")


def test_pack_usage_errors(cli, acme: Path) -> None:
    no_output = cli("pack", *ARGS, "--framework", "soc2")
    assert no_output.code == 2
    assert "the following arguments are required: --output" in no_output.err
    unknown = cli("pack", *ARGS, "--framework", "soc", "--output", "p.zip")
    assert unknown.code == 2
    assert unknown.err == "assay: error: unknown framework 'soc'; did you mean 'soc2'?\n"
    (acme / "not-a-key.pem").write_text("hello\n", encoding="utf-8")
    bad_key = cli("pack", *ARGS, "--framework", "soc2", "--output", "p.zip", "--sign-key", "not-a-key.pem")
    assert bad_key.code == 2
    assert bad_key.err == "assay: error: not-a-key.pem: not a PEM private key\n"
    assert not (acme / "p.zip").exists()


def evaluated(acme: Path):  # type: ignore[no-untyped-def]
    """The example loaded and evaluated in this process, and its report: a pack is built from them."""
    from assay.engine import evaluate
    from assay.gaps import build_report
    from assay.loaded_project import load_project
    from assay.project import Project

    inputs = load_project(
        project=Project(
            controls=(Path("controls"),),
            mappings=(Path("mappings"),),
            evidence=Path("evidence"),
            waivers=Path("waivers.yaml"),
            scope=Path("scope.yaml"),
        )
    )
    run = evaluate(
        inputs.catalog, inputs.evidence, now=datetime(2026, 11, 25, tzinfo=UTC), waivers=inputs.waivers
    )
    return inputs, build_report(inputs.catalog, run, evidence=inputs.evidence, frameworks=["soc2"])


def test_evidence_changed_after_evaluation_is_refused(acme: Path) -> None:
    inputs, report = evaluated(acme)
    volumes = acme / "evidence" / "aws" / "ec2" / "volumes.json"
    before = sha256(volumes.read_bytes())
    volumes.write_bytes(volumes.read_bytes().replace(b"true", b"false"))
    contents = collect(inputs, max_evidence_bytes=MiB)
    with pytest.raises(PackError) as caught:
        build_pack(report, contents)
    assert str(caught.value) == (
        f"evidence/aws/ec2/volumes.json: the file changed after it was evaluated (sha256 {before} then, "
        f"{sha256(volumes.read_bytes())} now); run assay pack again"
    )


def test_evidence_swapped_for_a_link_outside_after_evaluation_is_refused(acme: Path, tmp_path: Path) -> None:
    """Same bytes, so the hash check alone would pass: the no-escape rule applies when packing too."""
    inputs, _report = evaluated(acme)
    volumes = acme / "evidence" / "aws" / "ec2" / "volumes.json"
    outside = tmp_path / "outside.json"
    outside.write_bytes(volumes.read_bytes())
    volumes.unlink()
    volumes.symlink_to(outside)
    with pytest.raises(PackError, match=r"volumes\.json.*points outside the evidence folder"):
        collect(inputs, max_evidence_bytes=MiB)


# --- redaction -------------------------------------------------------------------------------------


def test_secrets_in_evidence_are_redacted_in_the_pack_and_recorded(cli, acme: Path) -> None:
    app = acme / "evidence" / "app"
    app.mkdir()
    config = b'{"database": {"host": "db.internal", "password": "hunter2"}, "replicas": 2}'
    (app / "config.json").write_bytes(config)
    deploy = b"region=eu-west-1\nGITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz\n"
    (app / "deploy.txt").write_bytes(deploy)
    result = cli("pack", *ARGS, "--framework", "soc2", "--output", "p.zip")
    assert result.code == 0
    assert "(2 secret value(s) redacted in 2)" in result.err
    files = entries(acme / "p.zip")
    assert json.loads(files["evidence/app/config.json"]) == {
        "database": {"host": "db.internal", "password": "[REDACTED]"},
        "replicas": 2,
    }
    assert files["evidence/app/deploy.txt"] == b"region=eu-west-1\nGITHUB_TOKEN=[REDACTED]\n"
    assert b"hunter2" not in b"".join(files.values())
    assert b"ghp_0123456789" not in b"".join(files.values())
    manifest = json.loads(files["manifest.json"])
    by_name = {e["name"]: e for e in manifest["evidence"]}
    assert by_name["app.config"]["sha256"] == sha256(config)  # the hash the run (and report) used
    assert by_name["app.config"]["redacted"] == {
        "original_sha256": sha256(config),
        "original_size": len(config),
        "packed_sha256": sha256(files["evidence/app/config.json"]),
        "packed_size": len(files["evidence/app/config.json"]),
        "locations": [{"at": "/database/password", "reason": "key 'password'"}],
    }
    assert by_name["app.deploy"]["redacted"]["locations"] == [
        {"at": "line 2", "reason": "key 'GITHUB_TOKEN'"}
    ]
    assert manifest["files"]["evidence/app/config.json"]["sha256"] == sha256(
        files["evidence/app/config.json"]
    )
    report = json.loads(files["reports/gap-report.json"])
    assert {e["name"]: e["sha256"] for e in report["evidence"]}["app.config"] == sha256(config)
    index = files["index.html"].decode()
    assert "<li><code>/database/password</code>: key &#x27;password&#x27;</li>" in index
    assert "2 evidence file(s) had secrets replaced by <code>[REDACTED]</code>" in index
    verified = cli("verify", "p.zip", "--allow-unsigned")
    assert verified.code == 0
    assert "redacted: 2 value(s) in 2 evidence file(s); manifest.json says where\n" in verified.out


# --- keys ------------------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_can_read(cli, acme: Path) -> None:
    result = cli("keygen", "--output", "keys")
    assert result.code == 0
    private, public = acme / "keys" / "assay-signing-key.pem", acme / "keys" / "assay-signing-key.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", result.out)
    assert result.err == (
        f"assay keygen: wrote {Path('keys/assay-signing-key.pem')} (private: keep it secret) and "
        f"{Path('keys/assay-signing-key.pub')} (give it to auditors)\n"
    )
    old = private.read_bytes()
    again = cli("keygen", "--output", "keys")
    assert again.code == 2
    assert again.err == "assay: error: keys/assay-signing-key.pem exists; refusing to overwrite it\n"
    assert private.read_bytes() == old


def test_keygen_with_explicit_paths_and_usage_errors(cli, acme: Path) -> None:
    assert cli("keygen", "--private", "a.pem", "--public", "a.pub").code == 0
    assert stat.S_IMODE((acme / "a.pem").stat().st_mode) == 0o600
    (acme / "b.pub").write_text("taken", encoding="utf-8")
    taken = cli("keygen", "--private", "b.pem", "--public", "b.pub")
    assert taken.code == 2
    assert taken.err == "assay: error: b.pub exists; refusing to overwrite it\n"
    assert not (acme / "b.pem").exists()
    for argv in (
        ("keygen",),
        ("keygen", "--private", "c.pem"),
        ("keygen", "--output", "k", "--public", "c.pub"),
    ):
        result = cli(*argv)
        assert result.code == 2
        assert result.err == "assay: error: give either --output DIR, or --private FILE and --public FILE\n"


# --- verifying -------------------------------------------------------------------------------------


def test_verify_a_signed_pack_with_its_public_key(cli, signed: Path, keys: tuple[Path, Path]) -> None:
    result = cli("verify", str(signed), "--public-key", str(keys[1]))
    key_id = manifest_of(signed)["signature"]["key_id"]
    assert result.code == 0
    assert result.out == (
        f"signature: valid, made with the trusted key {key_id} ({keys[1]})\n"
        f"assay verify: {signed}: OK: 21 files match manifest.json, signed with the trusted key {key_id}\n"
    )
    without_key = cli("verify", str(signed))  # the key the manifest names is not trusted for being named
    assert without_key.code == 1
    assert without_key.out == (
        f"manifest.sig: signed with key {key_id}, which is not trusted (no key is: give the signer's "
        "public key with --public-key, or list it in trusted_keys)\n"
        f"assay verify: {signed}: FAILED: 1 problem(s)\n"
    )


def test_verify_an_unsigned_pack(cli, unsigned: Path, keys: tuple[Path, Path]) -> None:
    result = cli("verify", str(unsigned))
    assert result.code == 1
    assert result.out == (
        "manifest.sig: missing; the pack is not signed, so who made it cannot be checked "
        "(--allow-unsigned checks its files only)\n"
        f"assay verify: {unsigned}: FAILED: 1 problem(s)\n"
    )
    with_key = cli("verify", str(unsigned), "--public-key", str(keys[1]))
    assert (with_key.code, with_key.out.splitlines()[0]) == (1, result.out.splitlines()[0])
    for argv in ((), ("--public-key", str(keys[1]))):
        allowed = cli("verify", str(unsigned), *argv, "--allow-unsigned")
        assert allowed.code == 0
        assert allowed.out == (
            "signature: none; the pack is not signed (accepted with --allow-unsigned)\n"
            f"assay verify: {unsigned}: UNSIGNED: 21 files match manifest.json, "
            "but no trusted key signed it\n"
        )


def test_changed_evidence_byte_is_caught(cli, signed: Path, keys: tuple[Path, Path]) -> None:
    name = "evidence/aws/ec2/volumes.json"
    original = entries(signed)[name]
    changed = original.replace(b"false", b"true ")

    def tamper(files: dict[str, bytes]) -> None:
        files[name] = changed

    rewrite(signed, tamper)
    result = cli("verify", str(signed), "--public-key", str(keys[1]))
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{name}: modified: sha256 {sha256(changed)} ({len(changed):,} bytes); "
        f"the manifest records {sha256(original)} ({len(original):,} bytes)"
    )
    assert result.out.endswith(f"assay verify: {signed}: FAILED: 1 problem(s)\n")


def test_changed_manifest_breaks_the_signature(cli, signed: Path, keys: tuple[Path, Path]) -> None:
    def tamper(files: dict[str, bytes]) -> None:
        files["manifest.json"] = files["manifest.json"].replace(b'"now": "2026-11-25', b'"now": "2026-11-24')

    rewrite(signed, tamper)
    result = cli("verify", str(signed), "--public-key", str(keys[1]))
    assert result.code == 1
    assert result.out == (
        "manifest.sig: the signature does not match manifest.json; the manifest or the signature "
        "was changed after signing\n"
        f"assay verify: {signed}: FAILED: 1 problem(s)\n"
    )


def test_changed_manifest_hash_in_an_unsigned_pack_shows_as_a_modified_file(cli, unsigned: Path) -> None:
    name = "sources/waivers.yaml"
    real = sha256(entries(unsigned)[name])
    fake = "0" * 64

    def tamper(files: dict[str, bytes]) -> None:
        files["manifest.json"] = files["manifest.json"].replace(real.encode(), fake.encode())

    rewrite(unsigned, tamper)
    result = cli("verify", str(unsigned), "--allow-unsigned")
    assert result.code == 1
    size = len(entries(unsigned)[name])
    assert (
        f"{name}: modified: sha256 {real} ({size:,} bytes); the manifest records {fake} ({size:,} bytes)\n"
        in (result.out)
    )


def test_removed_and_added_files_are_caught(cli, signed: Path, keys: tuple[Path, Path]) -> None:
    def tamper(files: dict[str, bytes]) -> None:
        del files["evidence/aws/iam/credential_report.csv"]
        files["evidence/aws/iam/extra.json"] = b"{}"

    rewrite(signed, tamper)
    result = cli("verify", str(signed), "--public-key", str(keys[1]))
    assert result.code == 1
    assert result.out == (
        "evidence/aws/iam/credential_report.csv: missing (listed in the manifest, not in the archive)\n"
        "evidence/aws/iam/extra.json: extra file (in the archive, not in the manifest)\n"
        f"signature: valid, made with the trusted key {manifest_of(signed)['signature']['key_id']} "
        f"({keys[1]})\n"
        f"assay verify: {signed}: FAILED: 2 problem(s)\n"
    )


def test_bad_signature_is_caught(cli, signed: Path, keys: tuple[Path, Path]) -> None:
    def tamper(files: dict[str, bytes]) -> None:
        signature = bytearray(files["manifest.sig"])
        signature[10] ^= 0x01
        files["manifest.sig"] = bytes(signature)

    rewrite(signed, tamper)
    result = cli("verify", str(signed), "--public-key", str(keys[1]))
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "manifest.sig: the signature does not match manifest.json; the manifest or the signature "
        "was changed after signing"
    )
    unchecked = cli("verify", str(signed), "--allow-unsigned")  # not even when the signer is not checked
    assert (unchecked.code, unchecked.out.splitlines()[0]) == (1, result.out.splitlines()[0])


def test_removed_signature_is_caught(cli, signed: Path) -> None:
    rewrite(signed, lambda files: files.pop("manifest.sig"))  # type: ignore[arg-type,return-value]
    key_id = manifest_of(signed)["signature"]["key_id"]
    for argv in ((), ("--allow-unsigned",)):  # a signature the manifest names must be there
        result = cli("verify", str(signed), *argv)
        assert result.code == 1
        assert (
            result.out.splitlines()[0]
            == f"manifest.sig: missing, but manifest.json says the pack is signed with key {key_id}"
        )


def test_wrong_key_is_caught(cli, signed: Path, acme: Path) -> None:
    other_id = cli("keygen", "--output", "other").out.strip()  # keygen prints the new key's id
    other = acme / "other" / "assay-signing-key.pub"
    result = cli("verify", str(signed), "--public-key", str(other))
    assert result.code == 1
    signer = manifest_of(signed)["signature"]["key_id"]
    assert result.out == (
        f"manifest.sig: signed with key {signer}, which is not trusted; the trusted keys are "
        f"{other_id} ({other})\n"
        f"assay verify: {signed}: FAILED: 1 problem(s)\n"
    )
    allowed = cli("verify", str(signed), "--public-key", str(other), "--allow-unsigned")
    assert (allowed.code, allowed.out) == (1, result.out)  # a signer outside the trusted keys always fails


def test_usage_errors_of_verify(cli, acme: Path, signed: Path) -> None:
    missing = cli("verify", "nope.zip")
    assert missing.code == 2
    assert missing.err == "assay: error: cannot read nope.zip: No such file or directory\n"
    (acme / "junk.pub").write_text("junk", encoding="utf-8")
    bad_key = cli("verify", str(signed), "--public-key", "junk.pub")
    assert bad_key.code == 2
    assert bad_key.err == "assay: error: junk.pub: not a PEM public key\n"


def test_not_a_zip_is_refused(cli, acme: Path) -> None:
    (acme / "fake.zip").write_bytes(b"this is not a zip file")
    result = cli("verify", "fake.zip")
    assert result.code == 1
    assert result.out == (
        "not a zip archive: no end of central directory record\n"
        "assay verify: fake.zip: REFUSED: the archive is not safe to read\n"
    )


def test_a_zip_that_is_not_a_pack(cli, acme: Path) -> None:
    with zipfile.ZipFile(acme / "other.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    result = cli("verify", "other.zip")
    assert result.code == 1
    assert result.out == (
        "manifest.json: missing; this is not an assay evidence pack\n"
        "assay verify: other.zip: FAILED: 1 problem(s)\n"
    )


# --- unsafe archives -------------------------------------------------------------------------------


def raw_zip(members: list[tuple[str, bytes, int, int, int]], external_attr: int = 0o100644 << 16) -> bytes:
    """A zip written by hand, so its headers can say anything: (name, stored bytes, method, crc, size)."""
    local, central = io.BytesIO(), io.BytesIO()
    for name, data, method, crc, size in members:
        offset = local.tell()
        encoded = name.encode()
        local.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        local.write(encoded + data)
        version, unix = 20, 0x0314  # version made by: 3.0 on Unix, so external_attr holds a mode
        fields = (0, method, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, external_attr, offset)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", unix, version, *fields) + encoded)
    start, directory = local.tell(), central.getvalue()
    count = len(members)
    return (
        local.getvalue()
        + directory
        + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    )


def zeros_deflated(mib: int) -> tuple[bytes, int]:
    """Raw deflate of ``mib`` MiB of zeros, made in milliseconds from one repeated block, and its CRC."""
    chunk = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == block  # repeatable
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return block * mib + compressor.flush(), crc


@pytest.fixture
def bomb() -> tuple[bytes, int]:
    return zeros_deflated(600)


def test_zip_bomb_is_refused_from_its_headers(cli, acme: Path, bomb: tuple[bytes, int]) -> None:
    data, crc = bomb
    assert len(data) < 1024 * 1024  # 600 MiB of zeros in well under 1 MiB
    (acme / "bomb.zip").write_bytes(raw_zip([("bomb.bin", data, zipfile.ZIP_DEFLATED, crc, 600 * MiB)]))
    result = cli("verify", "bomb.zip")
    assert result.code == 1
    assert result.out == (
        f"unsafe entry 'bomb.bin': {600 * MiB:,} bytes uncompressed; the limit is {512 * MiB:,}\n"
        "assay verify: bomb.zip: REFUSED: the archive is not safe to read\n"
    )


def test_zip_bomb_with_lying_headers_is_not_inflated(bomb: tuple[bytes, int]) -> None:
    data, crc = bomb
    liar = raw_zip([("small.json", data, zipfile.ZIP_DEFLATED, crc, 1000)])
    result = verify_pack(liar)
    assert result.refused
    assert result.problems == ("unsafe entry 'small.json': inflates past its declared size of 1,000 bytes",)


def test_compression_ratio_and_total_size_limits() -> None:
    data, crc = zeros_deflated(4)
    ratio = verify_pack(raw_zip([("a.bin", data, zipfile.ZIP_DEFLATED, crc, 4 * MiB)]))
    assert ratio.refused
    assert re.fullmatch(
        r"unsafe entry 'a\.bin': compression ratio [0-9,]+:1; the limit is 200:1", ratio.problems[0]
    )
    limits = PackLimits(max_total_bytes=3 * MiB, max_ratio=10_000)
    total = verify_pack(
        raw_zip([(name, data, zipfile.ZIP_DEFLATED, crc, 4 * MiB) for name in ("a.bin", "b.bin")]),
        limits=limits,
    )
    assert total.problems == (
        f"unsafe archive: {8 * MiB:,} bytes uncompressed in all; the limit is {3 * MiB:,}",
    )
    many = verify_pack(
        raw_zip([(f"f{i}", b"", 0, 0, 0) for i in range(11)]), limits=PackLimits(max_entries=10)
    )
    assert many.problems == ("unsafe archive: 11 entries; the limit is 10",)


def test_zip_slip_entries_are_refused_and_nothing_is_written(cli, acme: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(acme / "slip.zip", "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../evil.txt", "owned")
        archive.writestr("/etc/passwd", "root::0:0::/:/bin/sh")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = cli("verify", "slip.zip")
    assert result.code == 1
    assert result.out == (
        "unsafe entry '../evil.txt': '..' in the path\n"
        "unsafe entry '/etc/passwd': absolute path\n"
        "assay verify: slip.zip: REFUSED: the archive is not safe to read\n"
    )
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_links_backslashes_duplicates_and_odd_names_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("evidence/link.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("evidence\\windows.json", "{}")
        archive.writestr("C:/boot.ini", "x")
        archive.writestr("a/./b.json", "x")
        archive.writestr("dir/", "")
        archive.writestr("index.html", "1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("index.html", "2")
        archive.writestr("INDEX.html", "3")
        archive.writestr("bad\x1bname", "x")
    result = verify_pack(buffer.getvalue())
    assert result.refused
    assert result.problems == (
        "unsafe entry 'evidence/link.json': a symbolic link",
        "unsafe entry 'evidence\\\\windows.json': backslash in the name",
        "unsafe entry 'C:/boot.ini': absolute path",
        "unsafe entry 'a/./b.json': not a normalised path",
        "unsafe entry 'index.html': duplicate name",
        "unsafe entry 'INDEX.html': differs from 'index.html' only in case",
        "unsafe entry 'bad\\x1bname': control character in the name",
        "unsafe entry 'dir/': a folder entry with no file in it",
    )


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        (
            b"{",
            "manifest.json: not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        (
            b'{"format": "something-else"}',
            'manifest.json: not an assay evidence pack manifest (no "format": "assay-evidence-pack")',
        ),
        (
            b'{"format": "assay-evidence-pack", "format_version": 2}',
            "manifest.json: format version 2 is not supported (assay {version} reads 1)",
        ),
        (
            b'{"format": "assay-evidence-pack", "format_version": 1}',
            "manifest.json: invalid: assay_version: Field required",
        ),
    ],
)
def test_manifests_that_cannot_be_read(unsigned: Path, manifest: bytes, problem: str) -> None:
    import assay

    rewrite(unsigned, lambda files: files.update({"manifest.json": manifest}))  # type: ignore[arg-type,return-value]
    result = verify_pack(unsigned.read_bytes())
    assert result.problems == (problem.format(version=assay.__version__),)


def test_evidence_record_that_disagrees_with_the_file_list(unsigned: Path) -> None:
    def tamper(files: dict[str, bytes]) -> None:
        manifest = json.loads(files["manifest.json"])
        volumes = next(e for e in manifest["evidence"] if e["name"] == "aws.ec2.volumes")
        volumes["sha256"] = "f" * 64
        files["manifest.json"] = json.dumps(manifest).encode()

    rewrite(unsigned, tamper)
    listed = sha256(entries(unsigned)["evidence/aws/ec2/volumes.json"])
    assert verify_pack(unsigned.read_bytes(), allow_unsigned=True).problems == (
        "manifest.json: evidence aws.ec2.volumes: evidence/aws/ec2/volumes.json is listed with sha256 "
        f"{listed}, but the evaluated file had {'f' * 64}",
    )
