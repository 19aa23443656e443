"""``assay functions``: custom functions, then the extension libraries with their signatures."""

from __future__ import annotations

from assay.cel.native.extensions import EXTENSION_MACROS, EXTENSIONS, LIBRARIES


def test_functions_lists_every_extension_with_its_signatures(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("functions")
    assert result.code == 0, result.err
    custom, _, extensions = result.out.partition("CEL extension libraries")
    assert "days(int) -> duration\n    A duration of whole days" in custom
    for entry in [*EXTENSIONS.values(), *EXTENSION_MACROS]:
        for signature in entry.signatures:
            assert f"  {signature}\n" in extensions, signature
        assert f"      {entry.doc}\n" in extensions, entry.name
    headers = [line for line in extensions.splitlines() if line and not line.startswith(" ")]
    assert headers == list(LIBRARIES)
    assert "  cidr(<string>) -> <net.CIDR>\n      Parse a CIDR range" in extensions
