"""Bearer tokens: parsing the header, and a comparison with every configured hash
whichever token matched (the time taken says nothing about which one did)."""

from __future__ import annotations

import hmac
from collections.abc import Callable

import pytest

from compliance_opa.config.serve import TokenSpec
from compliance_opa.service.auth import MAX_TOKEN_CHARS, bearer, identify, token_hash

TOKENS = tuple(TokenSpec(f"t{i}", token_hash(f"secret-{i}"), frozenset({"read"})) for i in range(6))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer ", None),
        ("Bearer    ", None),
        ("Basic abc", None),
        ("Bearerabc", None),
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("BEARER  abc ", "abc"),
        ("Bearer " + "a" * MAX_TOKEN_CHARS, "a" * MAX_TOKEN_CHARS),
        ("Bearer " + "a" * (MAX_TOKEN_CHARS + 1), None),
    ],
)
def test_bearer(header: str | None, expected: str | None) -> None:
    assert bearer(header) == expected


def test_identify_finds_the_token_and_refuses_others() -> None:
    for i, spec in enumerate(TOKENS):
        assert identify(f"secret-{i}", TOKENS) is spec
    assert identify("secret-6", TOKENS) is None
    assert identify("", TOKENS) is None
    assert identify(None, TOKENS) is None
    assert identify("secret-0", ()) is None
    assert identify(token_hash("secret-0"), TOKENS) is None  # the hash is not the token


@pytest.mark.parametrize("presented", ["secret-0", "secret-3", "secret-5", "nobody", "s" * 500])
def test_identify_compares_with_every_configured_hash(
    presented: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real: Callable[[bytes, bytes], bool] = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    identify(presented, TOKENS)
    # Every hash, in order, each time with the presented token's hash: the first match
    # does not end the loop, and a miss costs as much as a hit.
    assert [b for _, b in calls] == [t.sha256.encode("ascii") for t in TOKENS]
    assert {a for a, _ in calls} == {token_hash(presented).encode("ascii")}
    # Equal-length operands: compare_digest's time then depends on neither value.
    assert all(len(a) == len(b) == 64 for a, b in calls)


def test_token_hash_is_sha256_hex() -> None:
    expected = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    assert token_hash("test") == expected
