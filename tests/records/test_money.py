"""Money, calendar, masking and password helpers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assistant.errors import InvalidInput
from assistant.records import money
from assistant.records.passwords import hash_password, verify_password


@pytest.mark.parametrize(
    ("start", "last", "months"),
    [
        (date(2026, 12, 1), date(2027, 8, 31), 9),
        (date(2026, 12, 1), date(2026, 12, 30), 0),
        (date(2026, 11, 20), date(2027, 11, 19), 12),
        (date(2027, 1, 1), date(2026, 12, 31), 0),
    ],
)
def test_whole_months_between(start, last, months) -> None:
    assert money.whole_months_between(start, last) == months


def test_contract_end_is_the_day_before_the_anniversary() -> None:
    assert money.contract_end_for(date(2025, 9, 1), 24) == date(2027, 8, 31)
    assert money.contract_end_for(date(2026, 1, 31), 1) == date(2026, 2, 27)
    assert money.contract_end_for(date(2026, 1, 1), 0) is None


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+447700900123", "+44 7*** ***123"),
        ("+34600900789", "+34 6*** ***789"),
        ("+254700900555", "+254 7*** ***555"),
    ],
)
def test_msisdn_masking(number, masked) -> None:
    assert money.mask_msisdn(number) == masked


def test_money_formatting() -> None:
    assert money.format_money(Decimal("38.4"), "GBP", signed=True) == "+£38.40"
    assert money.format_money(Decimal("-5"), "EUR") == "-€5.00"
    assert money.format_money(Decimal("1250"), "KES") == "KES 1,250.00"


@pytest.mark.parametrize("bad", ["2026-1", "26-10", "2026-00", "2026/10", "", None])
def test_malformed_periods_are_refused(bad) -> None:
    with pytest.raises(InvalidInput):
        money.parse_period(bad)


@pytest.mark.parametrize("bad", ["0", "-1", "100000.01", "NaN", "1.234", "x"])
def test_amounts_are_checked(bad) -> None:
    with pytest.raises(InvalidInput):
        money.check_amount(bad, "amount")


def test_password_hash_is_salted_and_verifiable() -> None:
    first, second = hash_password("secret"), hash_password("secret")
    assert first != second  # a fresh salt each time
    alg, params, salt, digest = first.split("$")
    assert alg == "scrypt" and params.startswith("n=") and salt and digest
    assert verify_password("secret", first) and not verify_password("Secret", first)
    assert not verify_password("secret", None) and not verify_password("secret", "garbage")
