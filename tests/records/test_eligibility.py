"""Eligibility: every failing rule is reported; lock-in is stated, never a refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.errors import NotEligible
from assistant.records.api import Records
from tests.records.helpers import refused_without_change


def _reasons(records: Records, engine, customer: str, plan: str) -> list[str]:
    error = refused_without_change(
        engine, NotEligible, lambda: records.quote_plan_change(customer, plan), mentions="cannot"
    )
    return error.details["reasons"]


def test_arrears_block_changes(records: Records, engine) -> None:
    reasons = _reasons(records, engine, "C-1001", "GB-UNLIMITED-MAX")
    assert len(reasons) == 1 and "2026-09" in reasons[0] and "£12.00" in reasons[0]


def test_all_failing_reasons_are_listed(records: Records, engine) -> None:
    # A consumer in arrears asking for a business plan fails two rules; both are named.
    reasons = _reasons(records, engine, "C-1001", "GB-BIZ-CLOUD-UNL")
    assert any("business customers only" in r for r in reasons)
    assert any("unpaid" in r for r in reasons)
    assert len(reasons) == 2


@pytest.mark.parametrize(
    ("customer", "plan", "expected"),
    [
        ("C-1002", "GB-PLUS-20", "no longer on sale"),
        ("C-1002", "GB-IOT-TRACKER", "business customers only"),
        ("C-1004", "GB-UNLIMITED-MAX", "consumers only"),
        ("C-1002", "GB-PAYG-10", "prepaid plan"),
        ("C-1002", "ES-LIBRE-50", "sold in ES only"),
        ("C-1002", "GB-PLUS-30", "already the plan"),
        ("C-1006", "KE-SMART-5", "suspended (lost phone / fraud hold)"),
    ],
)
def test_each_rule_refuses(records: Records, engine, customer, plan, expected) -> None:
    assert any(expected in reason for reason in _reasons(records, engine, customer, plan))


def test_options_list_eligible_first_with_lock_in_fees(records: Records) -> None:
    options = records.eligible_plans("C-1002")
    flags = [o.eligible for o in options]
    assert flags == sorted(flags, reverse=True)  # eligible ones first
    by_id = {o.plan.id: o for o in options}
    assert by_id["GB-UNLIMITED-MAX"].eligible and by_id["GB-UNLIMITED-MAX"].direction == "upgrade"
    essential = by_id["GB-ESSENTIAL-5"]
    assert essential.eligible and essential.early_termination_fee == Decimal("36.00")
    assert str(essential.contract_end) == "2027-08-31"
    assert not by_id["GB-PLUS-20"].eligible and by_id["GB-PLUS-20"].reasons
    assert "GB-PLUS-30" not in by_id  # the current plan is not an option
    assert all(o.plan.country == "GB" for o in options)


def test_business_customer_options_name_the_primary_line(records: Records) -> None:
    options = records.eligible_plans("C-1004")
    assert {o.line_id for o in options} == {"L-1004-1"}
    eligible = {o.plan.id: o for o in options if o.eligible}
    assert set(eligible) == {"GB-BIZ-CLOUD-UNL", "GB-IOT-TRACKER"}
    # 100% x 6 remaining months (Dec-May) x (£25.00 - £2.00)
    assert eligible["GB-IOT-TRACKER"].early_termination_fee == Decimal("138.00")
    assert eligible["GB-BIZ-CLOUD-UNL"].early_termination_fee == Decimal("0.00")
