"""``q=`` by ``LIKE`` when the text has no letters: the rows ``ILIKE`` finds."""

from __future__ import annotations

import string

import pytest

from cmdb.services.listing import matches_in_any_case


@pytest.mark.parametrize("text", ["004", "0042", "10.0.16.2", "-", "a_b%", " 42 "])
def test_text_without_letters_matches_in_any_case(text: str) -> None:
    assert matches_in_any_case(text) is not any(c.isalpha() for c in text)


@pytest.mark.parametrize("text", ["1JBUE", "dev", "é1", "ß", "İ", "١٢", "Ⅻ", "ǅ"])
def test_text_with_letters_or_beyond_ascii_is_matched_in_any_case(text: str) -> None:
    assert not matches_in_any_case(text)


def test_no_character_lowercases_to_an_ascii_character_that_is_not_a_letter() -> None:
    """Why ``LIKE`` is exact: a value holds a letterless ASCII text exactly when its
    lowercase does, because lowercasing neither makes nor changes such characters."""
    caseless = set(string.printable) - set(string.ascii_letters)
    for point in range(0x110000):
        char = chr(point)
        lowered = char.lower()
        if lowered != char:
            assert not caseless & set(lowered), f"U+{point:04X}"
