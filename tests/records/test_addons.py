"""Add-ons: country match, prepaid balance debits, idempotency, allowances."""

from __future__ import annotations

from decimal import Decimal

from assistant.errors import NotEligible
from assistant.records.api import Records
from tests.records.helpers import refused_without_change


def test_prepaid_addon_is_paid_from_the_balance_once(records: Records) -> None:
    quote = records.quote_addon("C-1005", "KE-DATA-2")
    assert quote.charged_to == "prepaid_balance" and quote.addon.price_includes_tax
    before = records.current_usage("C-1005")[0].data_allowance_mb
    first = records.apply_addon("C-1005", quote.quote_id)
    again = records.apply_addon("C-1005", quote.quote_id)
    assert first.reference == again.reference and again.already_applied
    assert records.account_overview("C-1005").prepaid_balance == Decimal("70.00")
    assert records.current_usage("C-1005")[0].data_allowance_mb == before + 2 * 1024


def test_prepaid_balance_too_low_is_refused(records: Records, engine) -> None:
    error = refused_without_change(
        engine,
        NotEligible,
        lambda: records.quote_addon("C-1005", "KE-ROAM-WORLD-7"),
        mentions="top up",
    )
    assert any("KES 320.00" in reason for reason in error.details["reasons"])


def test_addon_of_another_country_is_refused(records: Records, engine) -> None:
    refused_without_change(
        engine, NotEligible, lambda: records.quote_addon("C-1002", "ES-BONO-5"), mentions="ES only"
    )


def test_suspended_line_and_arrears_block_addons(records: Records, engine) -> None:
    refused_without_change(
        engine,
        NotEligible,
        lambda: records.quote_addon("C-1006", "KE-DATA-2"),
        mentions="suspended",
    )
    refused_without_change(
        engine, NotEligible, lambda: records.quote_addon("C-1001", "GB-DATA-5"), mentions="unpaid"
    )


def test_postpaid_addon_goes_on_the_next_bill(records: Records) -> None:
    quote = records.quote_addon("C-1002", "GB-ROAM-WORLD-DAY")
    assert quote.charged_to == "next_bill" and quote.price == Decimal("6.00")
    assert (quote.valid_to - quote.valid_from).days == 1
    result = records.apply_addon("C-1002", quote.quote_id, actor="customer")
    assert result.kind == "addon" and result.reference.startswith("AO-")
    purchases = records.snapshot()["addon_purchases"]
    assert [p["addon_id"] for p in purchases] == ["GB-ROAM-WORLD-DAY"]
