"""Quoting and applying plan changes: prices, dates, idempotency, expiry, locking, audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.errors import Conflict, InvalidInput, QuoteExpired
from assistant.records.api import Records
from tests.records.helpers import refused_without_change


def test_upgrade_applies_today_with_proration(records: Records) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    # (30 - 18) x 11 remaining days (20..30 Nov) / 30
    assert quote.direction == "upgrade" and quote.proration == Decimal("4.40")
    assert quote.fees == Decimal("0.00") and quote.effective_date == date(2026, 11, 20)
    assert quote.line_defaulted and quote.line_id == "L-1002-1"
    assert quote.expires_at.isoformat() == "2026-11-20T10:30:00+00:00"
    assert quote.msisdn_masked == "+44 7*** ***456"
    result = records.apply_plan_change("C-1002", quote.quote_id)
    assert result.reference.startswith("PC-") and len(result.reference) == 11
    line = records.account_overview("C-1002").lines[0]
    assert line.plan_id == "GB-UNLIMITED-MAX"


def test_downgrade_in_term_waits_for_next_cycle_and_charges_the_fee(records: Records) -> None:
    quote = records.quote_plan_change("C-1002", "GB-ESSENTIAL-5")
    # 50% x 9 remaining whole months (Dec 2026 - Aug 2027) x (£18 - £10)
    assert quote.direction == "downgrade" and quote.fees == Decimal("36.00")
    assert quote.proration == Decimal("0.00") and quote.effective_date == date(2026, 12, 1)
    assert any("36.00" in note for note in quote.notes)
    records.apply_plan_change("C-1002", quote.quote_id)
    line = records.account_overview("C-1002").lines[0]
    assert line.plan_id == "GB-PLUS-30"  # still today
    assert line.pending_plan_id == "GB-ESSENTIAL-5"
    assert line.pending_effective_date == date(2026, 12, 1)


def test_downgrade_without_term_has_no_fee(records: Records) -> None:
    quote = records.quote_plan_change("C-1003", "ES-ILIMITADA")
    assert quote.direction == "upgrade" and quote.currency == "EUR"
    assert quote.proration == Decimal("7.33")  # (32 - 12) x 11 / 30


def test_apply_is_idempotent_by_quote_id(records: Records) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    first = records.apply_plan_change("C-1002", quote.quote_id)
    state = records.snapshot()
    events = len(records.audit_events("C-1002"))
    again = records.apply_plan_change("C-1002", quote.quote_id)
    assert again.reference == first.reference and again.already_applied
    assert not first.already_applied
    assert records.snapshot() == state
    assert len(records.audit_events("C-1002")) == events


def test_expired_quote_is_refused_and_nothing_changes(records: Records, engine, clock) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    clock.advance(minutes=31)
    refused_without_change(
        engine,
        QuoteExpired,
        lambda: records.apply_plan_change("C-1002", quote.quote_id),
        mentions=quote.quote_id,
    )
    assert records.account_overview("C-1002").lines[0].plan_id == "GB-PLUS-30"


def test_cancelled_quote_cannot_be_applied(records: Records, engine) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    records.cancel_quote("C-1002", quote.quote_id)
    refused_without_change(
        engine,
        InvalidInput,
        lambda: records.apply_plan_change("C-1002", quote.quote_id),
        mentions="cancelled",
    )


def test_applied_quote_cannot_be_cancelled(records: Records, engine) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    records.apply_plan_change("C-1002", quote.quote_id)
    refused_without_change(
        engine,
        InvalidInput,
        lambda: records.cancel_quote("C-1002", quote.quote_id),
        mentions="already applied",
    )


def test_quote_made_before_another_change_conflicts(records: Records, engine) -> None:
    upgrade = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    downgrade = records.quote_plan_change("C-1002", "GB-ESSENTIAL-5")
    records.apply_plan_change("C-1002", downgrade.quote_id)
    refused_without_change(
        engine,
        Conflict,
        lambda: records.apply_plan_change("C-1002", upgrade.quote_id),
        mentions="changed since",
    )


def test_new_change_while_one_is_pending_supersedes_it(records: Records) -> None:
    downgrade = records.quote_plan_change("C-1002", "GB-ESSENTIAL-5")
    records.apply_plan_change("C-1002", downgrade.quote_id)
    upgrade = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")  # quoting is fine
    records.apply_plan_change("C-1002", upgrade.quote_id)
    line = records.account_overview("C-1002").lines[0]
    assert line.plan_id == "GB-UNLIMITED-MAX" and line.pending_plan_id is None
    changes = records.snapshot()["plan_changes"]
    assert sorted(c["status"] for c in changes if c["line_id"] == "L-1002-1") == [
        "applied",
        "cancelled",
    ]
    actions = [e.action for e in records.audit_events("C-1002")]
    assert "plan_change.superseded" in actions


def test_every_write_is_audited_with_actor_and_no_pii(records: Records) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX", actor="customer")
    records.apply_plan_change("C-1002", quote.quote_id, actor="customer")
    events = [e for e in records.audit_events("C-1002") if e.action.startswith("plan_change")]
    assert [e.action for e in events] == ["plan_change.quoted", "plan_change.applied"]
    assert {e.actor for e in events} == {"customer"}
    applied = events[-1].details
    assert applied["reference"] and applied["to_plan"] == "GB-UNLIMITED-MAX"
    flat = str([e.details for e in records.audit_events()])
    assert "oliver" not in flat.lower() and "900456" not in flat


def test_named_line_of_a_business_account(records: Records) -> None:
    quote = records.quote_plan_change("C-1004", "GB-BIZ-CLOUD-UNL", line_id="L-1004-3")
    assert quote.line_id == "L-1004-3" and not quote.line_defaulted
    records.apply_plan_change("C-1004", quote.quote_id)
    plans = {line.line_id: line.plan_id for line in records.account_overview("C-1004").lines}
    assert plans == {
        "L-1004-1": "GB-BIZ-CONNECT-50",
        "L-1004-2": "GB-BIZ-CONNECT-50",
        "L-1004-3": "GB-BIZ-CLOUD-UNL",
    }
