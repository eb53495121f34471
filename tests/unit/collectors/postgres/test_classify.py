"""Column classification: names in several languages, comment labels, value detectors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.postgres.classify import (
    MIN_CONFIDENCE,
    by_name,
    comment_encrypted,
    comment_label,
    detect,
    is_card_number,
    is_nhs_number,
    luhn_valid,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("email", "email"),
        ("customerEmail", "email"),
        ("correo_electronico", "email"),
        ("courriel", "email"),
        ("phone_number", "phone"),
        ("telefono", "phone"),
        ("ssn", "national_id"),
        ("tax_id", "national_id"),
        ("passport_no", "national_id"),
        ("codice_fiscale", "national_id"),
        ("first_name", "pii"),
        ("Nachname", "pii"),
        ("fecha_nacimiento", "pii"),
        ("date_of_birth", "pii"),
        ("street_address", "pii"),
        ("diagnosis", "phi"),
        ("icd10_code", "phi"),
        ("prescription", "phi"),
        ("medical_record_number", "phi"),
        ("card_number", "pan"),
        ("CCNumber", "pan"),
        ("numero_tarjeta", "pan"),
        ("cvv", "pci"),
        ("card_expiry_date", "pci"),
        ("cardholder_name", "pci"),
    ],
)
def test_names_are_classified(name: str, expected: str) -> None:
    found = by_name(name)
    assert found is not None
    assert found[0] == expected


@pytest.mark.parametrize(
    "name", ["id", "product_name", "company", "panel", "created_at", "notes", "status", "tint"]
)
def test_ordinary_names_are_not(name: str) -> None:
    assert by_name(name) is None


def test_comment_labels_win_and_encryption_is_read() -> None:
    assert comment_label("free text; classification=PHI") == "phi"
    assert comment_label("classification: pan") == "pan"
    assert comment_label("classification=secret-sauce") is None  # not a known class
    assert comment_label(None) is None
    assert comment_encrypted("classification=pan; encrypted=true") is True
    assert comment_encrypted("encrypted: no") is False
    assert comment_encrypted("nothing said") is None


def _luhn_complete(prefix: str) -> str:
    """The digit that makes prefix + digit Luhn-valid."""
    return next(prefix + d for d in "0123456789" if luhn_valid(prefix + d))


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.sampled_from("3456"))
def test_every_luhn_valid_number_with_a_network_prefix_is_a_card(body: str, first: str) -> None:
    number = _luhn_complete(first + body[1:])
    assert is_card_number(number)
    spaced = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    assert is_card_number(spaced)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_a_changed_digit_breaks_the_check(number: str) -> None:
    if not luhn_valid(number):
        return
    changed = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not luhn_valid(changed)
    assert not is_card_number(changed)


@given(st.text(max_size=40))
def test_detectors_never_fail_on_any_text(value: str) -> None:
    detect([value, None, value])  # never raises, whatever the column holds


def test_detect_needs_a_majority_and_keeps_only_counts() -> None:
    assert detect(["123-45-6789", "234-56-7891", "n/a"]) is not None
    weak = detect(["123-45-6789", "x", "y", "z"])
    assert weak is None  # 1 of 4 is below MIN_CONFIDENCE
    found = detect(["4111111111111111", "5500 0000 0000 0004", "hello"])
    assert found is not None
    assert (found.detector, found.classification, found.matched, found.sampled) == (
        "card_number",
        "pan",
        2,
        3,
    )
    assert found.confidence >= MIN_CONFIDENCE
    assert "4111" not in repr(found)


@pytest.mark.parametrize(
    ("values", "detector"),
    [
        (["J45.909", "E11.9", "I10"], "icd10"),
        (["0002-3227-30", "50090-1234-1"], "ndc_prescription"),
        (["1EG4-TE5-MK73".replace("-", "")], "medicare_mbi"),
        (["943 476 5919"], "nhs_number"),
        (["a@example.org"], "email"),
    ],
)
def test_health_and_contact_detectors(values: list[str], detector: str) -> None:
    found = detect(values)
    assert found is not None
    assert found.detector == detector


def test_nhs_check_digit() -> None:
    assert is_nhs_number("9434765919")
    assert not is_nhs_number("9434765918")
