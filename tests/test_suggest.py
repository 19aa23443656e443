""" "Did you mean": the name a person most likely meant, else the few known names, else nothing."""

from __future__ import annotations

import pytest

from assay.suggest import did_you_mean

IDS = ["CC6.1", "CC6.6", "CC6.8", "6.1", "CRYPTO-01", "CRYPTO-10", "CRYPTO-02"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("cc6.1", "CC6.1"),  # case only: not '6.1', which difflib finds closer
        ("CRYPTO-1", "CRYPTO-01"),  # leading zeros: not 'CRYPTO-10'
        ("crypto-2", "CRYPTO-02"),
        ("CRYPT-01", "CRYPTO-01"),
        ("CC6.66", "CC6.6"),
    ],
)
def test_the_likeliest_name(typed: str, meant: str) -> None:
    assert did_you_mean(typed, IDS) == f"; did you mean {meant!r}?"


def test_few_names_are_listed_when_none_is_close() -> None:
    assert did_you_mean("nist", ["soc2", "gdpr"]) == " (known: gdpr, soc2)"


def test_many_names_and_none_close_say_nothing() -> None:
    assert did_you_mean("zzz", [f"N-{i}" for i in range(20)]) == ""


def test_a_huge_number_is_no_trouble() -> None:
    assert did_you_mean("X-" + "0" * 5000 + "7", ["X-7"]) == "; did you mean 'X-7'?"
