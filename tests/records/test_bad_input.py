"""Bad input: every refusal is a typed error naming the value, and the database is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.errors import DomainError, InvalidInput, NotFound
from assistant.records.api import Records
from tests.records.helpers import refused_without_change

CASES: list[tuple[str, Callable[[Records], Any], type[DomainError], str]] = [
    ("unknown customer", lambda r: r.get_customer("C-9999999"), NotFound, "C-9999999"),
    ("unknown customer overview", lambda r: r.account_overview("C-0"), NotFound, "C-0"),
    ("blank customer id", lambda r: r.list_bills("  "), InvalidInput, "customer id"),
    ("unknown plan", lambda r: r.quote_plan_change("C-1002", "GB-NOPE"), NotFound, "GB-NOPE"),
    (
        "unknown line",
        lambda r: r.quote_plan_change("C-1002", "GB-UNLIMITED-MAX", "L-1004-1"),
        NotFound,
        "L-1004-1",
    ),
    ("unknown add-on", lambda r: r.quote_addon("C-1002", "GB-FREE-GB"), NotFound, "GB-FREE-GB"),
    ("unknown quote", lambda r: r.apply_plan_change("C-1002", "Q-NOPE"), NotFound, "Q-NOPE"),
    ("unknown add-on quote", lambda r: r.apply_addon("C-1002", "AQ-NOPE"), NotFound, "AQ-NOPE"),
    ("cancel unknown quote", lambda r: r.cancel_quote("C-1002", "Q-NOPE"), NotFound, "Q-NOPE"),
    ("malformed period", lambda r: r.get_bill("C-1001", "2026-13"), InvalidInput, "2026-13"),
    ("wordy period", lambda r: r.explain_bill("C-1001", "October"), InvalidInput, "October"),
    ("period without bill", lambda r: r.get_bill("C-1001", "2020-01"), NotFound, "2020-01"),
    ("zero payment", lambda r: r.record_payment("C-1001", "2026-09", 0), InvalidInput, "0"),
    ("negative payment", lambda r: r.record_payment("C-1001", "2026-09", "-5"), InvalidInput, "-5"),
    (
        "absurd payment",
        lambda r: r.record_payment("C-1001", "2026-09", "100000.01"),
        InvalidInput,
        "100000.01",
    ),
    ("not a number", lambda r: r.record_payment("C-1001", "2026-09", "ten"), InvalidInput, "ten"),
    ("overpayment", lambda r: r.record_payment("C-1001", "2026-09", "50"), InvalidInput, "50"),
    ("negative top-up", lambda r: r.top_up("C-1005", "-20"), InvalidInput, "-20"),
    ("top-up of postpaid", lambda r: r.top_up("C-1001", "20"), InvalidInput, "postpaid"),
    (
        "unknown consent purpose",
        lambda r: r.grant_consent("C-1007", "marketing", "AD-2026.09", "chat"),
        InvalidInput,
        "marketing",
    ),
    (
        "stale notice version",
        lambda r: r.grant_consent("C-1007", "account_data", "AD-2025.01", "chat"),
        InvalidInput,
        "AD-2025.01",
    ),
    ("empty ticket topic", lambda r: r.open_ticket(None, " ", "help"), InvalidInput, "topic"),
    ("ticket for nobody", lambda r: r.open_ticket("C-404", "billing", "x"), NotFound, "C-404"),
    ("unknown country", lambda r: r.plan_catalog("FR"), InvalidInput, "FR"),
    ("absurd list limit", lambda r: r.list_bills("C-1001", limit=0), InvalidInput, "0"),
]


@pytest.mark.parametrize(
    ("call", "error", "mentions"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_typed_named_and_changes_nothing(
    records: Records, engine, call, error, mentions
) -> None:
    refused_without_change(engine, error, lambda: call(records), mentions=mentions)


def test_quote_of_another_customer_is_not_found(records: Records, engine) -> None:
    quote = records.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    refused_without_change(
        engine,
        NotFound,
        lambda: records.apply_plan_change("C-1007", quote.quote_id),
        mentions=quote.quote_id,
    )
    assert records.get_quote("C-1002", quote.quote_id).quote_id == quote.quote_id


def test_domain_errors_serialise_for_the_model(records: Records) -> None:
    with pytest.raises(NotFound) as caught:
        records.get_bill("C-1001", "2020-01")
    payload = caught.value.to_dict()
    assert payload["error"] == "not_found" and payload["period"] == "2020-01"
