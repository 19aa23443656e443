"""Finding a catalog's files and the paths shown for them, without a system call per path part."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assay.loading import paths
from assay.loading.controls import SCHEMA_SUFFIX, load_evidence_schemas
from assay.loading.paths import (
    _resolved_base,
    display_path,
    displayed_under,
    entries_under,
    yaml_entries,
    yaml_files,
)


def rglob_yaml_files(directory: Path) -> list[Path]:
    """What yaml_files gave when it was written with Path.rglob (the reference)."""
    found = [p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix())


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A hostile catalog folder: links in and out, hidden files, a folder named like a file, names
    whose order differs by path and by parts, a file named only ``.yaml``."""
    root = tmp_path / "catalog"
    outside = tmp_path / "outside"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a.yaml.d").mkdir()
    (root / "x.yaml").mkdir()  # a folder, not a file
    (root / ".hidden").mkdir()
    outside.mkdir()
    for path in (
        root / "a.yaml",
        root / "a" / "b" / "c.yml",
        root / "a" / "z.yaml",
        root / "a-b.yaml",
        root / "a.yaml.d" / "inner.yaml",
        root / ".hidden" / "h.yaml",
        root / ".dot.yaml",
        root / ".yaml",
        root / "notes.txt",
        root / "UPPER.YAML",
        outside / "far.yaml",
    ):
        path.write_text("controls: []\n", encoding="utf-8")
    (root / "linked.yaml").symlink_to(outside / "far.yaml")
    (root / "gone.yaml").symlink_to(tmp_path / "missing.yaml")  # a dangling link: not a file
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)  # never walked
    return root


def test_yaml_files_finds_what_rglob_found_in_the_same_order(tree: Path) -> None:
    found = yaml_files(tree)
    assert found == rglob_yaml_files(tree)
    assert [p.relative_to(tree).as_posix() for p in found][:4] == [
        ".dot.yaml",
        ".hidden/h.yaml",
        "a-b.yaml",
        "a.yaml",
    ]
    assert tree / "linked.yaml" in found
    assert not any("linked-folder" in p.as_posix() for p in found)


def test_schema_files_are_found_as_rglob_found_them(tree: Path) -> None:
    for name in ("b.schema.json", "a/b.schema.json", "a-b.schema.json", ".schema.json", "x.schema.json.txt"):
        (tree / name).write_text('{"type": "object"}', encoding="utf-8")
    (tree / "folder.schema.json").mkdir()  # listed, then refused by the reader as before
    (tree / "a" / "link.schema.json").symlink_to(tree / "b.schema.json")
    expected = sorted(tree.rglob(f"*{SCHEMA_SUFFIX}"))
    found = entries_under(tree, (SCHEMA_SUFFIX,))
    assert [path for _, path in sorted(found, key=lambda pair: pair[0].split("/"))] == expected
    assert {relative for relative, _ in found} == {p.relative_to(tree).as_posix() for p in expected}
    schemas, diagnostics = load_evidence_schemas([tree], tree)
    assert sorted(schemas) == ["", "a-b", "b", "link"]
    assert [d.path for d in diagnostics] == ["folder.schema.json"]


def test_a_shown_path_is_the_one_full_resolution_gives(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(tree, target_is_directory=True)
    files = [
        *[tree / p for p in ("a.yaml", "a/b/c.yml", "linked.yaml", "gone.yaml", "absent.yaml")],
        link / "a" / "z.yaml",
        link / "linked.yaml",  # a link to a file outside: its own target, not its folder's
        tree / "a" / ".." / "a.yaml",
        Path("catalog/a.yaml"),  # relative to the working directory
        Path("link/a/.."),
    ]
    for root in (None, tree, link, tmp_path / "outside"):
        for file in files:
            expected = _reference(file, root)
            assert display_path(file, root) == expected, (file, root)


def test_paths_shown_for_a_walked_folder_are_display_paths(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(tree, target_is_directory=True)
    (tree / "a" / "inner-link.yaml").symlink_to(tree / "a.yaml")  # a link inside: shown by its target
    for directory in (tree, link, Path("catalog"), Path("link"), tree / "a"):
        for root in (None, tree, link, tmp_path / "outside", tree / "a"):
            entries = yaml_entries(directory)
            assert entries
            expected = [display_path(path, root) for _, path in entries]
            assert displayed_under(directory, entries, root) == expected, (directory, root)


def _reference(file: Path, root: Path | None) -> str:
    resolved = file.resolve()
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return file.as_posix()


def test_a_folder_is_resolved_once_for_all_its_files(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [tree / f"f{index}.yaml" for index in range(20)]
    for file in files:
        file.write_text("{}\n", encoding="utf-8")
    _resolved_base.cache_clear()
    calls: list[str] = []
    realpath = os.path.realpath

    def counted(path: str | os.PathLike[str], **options: bool) -> str:
        calls.append(os.fspath(path))
        return realpath(path, **options)

    monkeypatch.setattr(os.path, "realpath", counted)
    shown = [display_path(file, tree) for file in files]
    assert shown == [f"f{index}.yaml" for index in range(20)]
    assert len(calls) <= 3  # the folder, the root and the working directory; not each file
    assert paths._resolved(tree / "f1.yaml") == (tree / "f1.yaml").resolve()


def test_a_folder_of_schemas_found_valid_before_is_answered_by_one_verdict(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import Counter

    from assay.cache import Cache
    from assay.loading.controls import SCHEMA_FOLDER_KIND, SCHEMA_KIND

    folder = tmp_path / "schemas"
    folder.mkdir()
    for name in ("aws.a", "aws.b", "aws.c"):
        (folder / f"{name}{SCHEMA_SUFFIX}").write_text('{"type": "object"}', encoding="utf-8")
    cold = load_evidence_schemas([folder], folder)
    assert cold == ({n: {"type": "object"} for n in ("aws.a", "aws.b", "aws.c")}, [])
    kinds: Counter[str] = Counter()
    get = Cache.get

    def spy(cache: Cache, kind: str, material: str) -> object:
        kinds[kind] += 1
        return get(cache, kind, material)

    monkeypatch.setattr(Cache, "get", spy)
    assert load_evidence_schemas([folder], folder) == cold
    assert kinds == Counter({SCHEMA_FOLDER_KIND: 1})  # not one verdict per file
    # A file replaced by an invalid schema: the folder's verdict no longer answers, the file is checked.
    (folder / f"aws.b{SCHEMA_SUFFIX}").write_text('{"type": "invalid_type"}', encoding="utf-8")
    schemas, diagnostics = load_evidence_schemas([folder], folder)
    assert sorted(schemas) == ["aws.a", "aws.c"]
    assert [d.path for d in diagnostics] == [f"aws.b{SCHEMA_SUFFIX}"]
    assert kinds[SCHEMA_KIND] == 3
