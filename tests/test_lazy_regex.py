"""``assay.lazy_regex``: a pattern is compiled on first use and then matches as ``re`` does."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from assay.lazy_regex import LazyRegex

PATTERN = r"(?P<word>[a-z]+)=(?P<value>\d*)"


def test_nothing_is_compiled_until_the_pattern_is_used() -> None:
    regex = LazyRegex(PATTERN, re.MULTILINE)
    assert regex._compiled is None
    assert regex.search("x a=1") is not None
    assert regex.compiled() is regex._compiled
    assert regex.compiled().flags & re.MULTILINE


@given(st.text(alphabet="ab=12 \n", max_size=30))
def test_every_method_answers_as_the_compiled_pattern(text: str) -> None:
    lazy, eager = LazyRegex(PATTERN), re.compile(PATTERN)
    spans = [m.span() for m in lazy.finditer(text)]
    assert spans == [m.span() for m in eager.finditer(text)]
    for method in ("search", "match", "fullmatch"):
        got, expected = getattr(lazy, method)(text, 1), getattr(eager, method)(text, 1)
        assert (got and got.span()) == (expected and expected.span())
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.split(text) == eager.split(text)
    assert lazy.sub("<\\g<word>>", text) == eager.sub("<\\g<word>>", text)
    assert lazy.subn(str.upper.__name__, text, 1) == eager.subn(str.upper.__name__, text, 1)


def test_importing_the_redaction_error_and_yaml_modules_compiles_none_of_their_patterns() -> None:
    # In a fresh interpreter, re's own cache shows what was compiled: none of these modules' patterns.
    script = (
        "import re\n"
        "import assay.redact.text, assay.error_text, assay.yamlsource\n"
        "import sys; print(len([k for k in re._cache if isinstance(k[1], str) and 'AKIA' in k[1] "
        "or 'undeclared reference' in str(k[1]) or 'null|Null' in str(k[1])]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
