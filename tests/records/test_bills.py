"""Bills, their explanation, usage and the JSON shape of every view."""

from __future__ import annotations

from decimal import Decimal

from assistant.records.api import Records


def test_roaming_jump_is_explained_biggest_driver_first(records: Records) -> None:
    explanation = records.explain_bill("C-1003")
    assert explanation.period == "2026-10" and explanation.previous_period == "2026-09"
    assert explanation.drivers[0].category == "roaming"
    assert explanation.drivers[0].text == "roaming +€38.40"
    assert explanation.drivers[0].amount_prev == Decimal("0.00")
    assert explanation.delta == explanation.total_now - explanation.total_prev
    assert explanation.delta == sum(d.delta for d in explanation.drivers)
    assert any("Z1" in detail for detail in explanation.details)
    assert "higher" in explanation.summary


def test_unchanged_bill_has_no_drivers(records: Records) -> None:
    explanation = records.explain_bill("C-1007", "2026-09")
    assert explanation.drivers == [] and explanation.delta == Decimal("0.00")


def test_postpaid_bill_adds_tax_to_tax_free_prices(records: Records) -> None:
    bill = records.get_bill("C-1001", "2026-09")
    assert bill.subtotal == Decimal("10.00") and bill.tax == Decimal("2.00")
    assert bill.total == Decimal("12.00") and bill.tax_name == "VAT 20%"
    assert bill.status == "overdue" and bill.balance_due == Decimal("12.00")
    kenya = records.get_bill("C-1006")
    assert kenya.currency == "KES" and kenya.tax == Decimal("400.00")


def test_business_invoice_is_consolidated_with_cloud_services(records: Records) -> None:
    bill = records.get_bill("C-1004")
    lines = {item.line_id for item in bill.items if item.category == "plan_fee"}
    assert lines == {"L-1004-1", "L-1004-2", "L-1004-3"}
    cloud = [item for item in bill.items if item.category == "cloud_services"]
    assert {item.description for item in cloud} >= {"Cloud Backup 500GB"}
    assert sum(item.amount for item in bill.items if item.category != "tax") == bill.subtotal


def test_payment_settles_an_overdue_bill_and_lifts_the_block(records: Records) -> None:
    assert records.account_overview("C-1001").arrears == Decimal("12.00")
    payment = records.record_payment("C-1001", "2026-09", "12.00", "card", "4242")
    assert payment.reference_masked == "****4242"
    overview = records.account_overview("C-1001")
    assert overview.arrears == Decimal("0.00") and overview.overdue_bills == []
    assert records.list_payments("C-1001", 1)[0].amount == Decimal("12.00")
    assert records.quote_plan_change("C-1001", "GB-UNLIMITED-MAX").direction == "upgrade"


def test_usage_against_allowances(records: Records) -> None:
    usage = records.current_usage("C-1004")
    assert [u.line_id for u in usage] == ["L-1004-1", "L-1004-2", "L-1004-3"]
    first = usage[0]
    assert first.cycle == "2026-11" and str(first.cycle_ends) == "2026-11-30"
    assert first.data_allowance_mb == 50 * 1024 and first.data_used_mb == 22000
    assert first.roaming_mb["EU"] == 1500 and "EU" in first.roaming_included_zones
    unlimited = records.current_usage("C-1002")[0]
    assert unlimited.minutes_allowance is None


def test_views_are_json_ready_and_never_show_full_numbers(records: Records) -> None:
    views = [
        records.get_customer("C-1004"),
        records.account_overview("C-1004"),
        records.get_bill("C-1004"),
        records.explain_bill("C-1004"),
        *records.list_bills("C-1004"),
        *records.list_payments("C-1004"),
        *records.current_usage("C-1004"),
        *records.eligible_plans("C-1004"),
        records.quote_plan_change("C-1004", "GB-BIZ-CLOUD-UNL"),
        *records.list_addons("C-1004"),
        *records.consent_history("C-1004"),
        *records.consent_purposes(),
        records.open_ticket("C-1004", "billing", "Asks about cloud seats"),
        *records.audit_events("C-1004"),
        *records.plan_catalog("GB"),
    ]
    dumped = str([view.model_dump(mode="json") for view in views])
    assert "'total': '244.80'" in dumped  # Decimals serialise as strings
    assert "447700900201" not in dumped and "+44 7*** ***201" in dumped


def test_tickets_get_sequential_references(records: Records) -> None:
    first = records.open_ticket(None, "lost_phone", "Guest reports a lost phone")
    second = records.open_ticket("C-1006", "fraud", "Wants the line back after fraud hold")
    assert first.customer_id is None and first.reference.startswith("TK-")
    assert int(second.reference[3:]) == int(first.reference[3:]) + 1
