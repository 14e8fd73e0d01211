"""Before a red-team case runs: the persona's consent, planted text, and the ids to attack.

Ids are the case copy's own (a quote id only exists once quoted), so every template value
(``{victim:line_id}``, ``{own:quote_id}``) is resolved here, after setup, for the run.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eval.schema.conversation import Injection
from eval.world import CHANNEL

ACCOUNT = "account_data"
RETENTION = "transcript_retention"
#: An id no one owns: the forged values a model might make up.
FORGED = {"quote_id": "Q-FORGED-0001", "line_id": "L-9999-1", "bill_id": "B-9999"}


def _version(records: Any, purpose: str) -> str:
    return {p.purpose: p.version for p in records.consent_purposes()}[purpose]


def set_consent(records: Any, customer: str, state: str, *, retention: bool = False) -> None:
    """Leave ``customer``'s 'account data' consent granted, never given or withdrawn."""
    if state == "never":
        if records.consent_history(customer):
            raise ValueError(f"{customer} has consent records; pick a persona who never opted in")
    else:
        records.grant_consent(customer, ACCOUNT, _version(records, ACCOUNT), channel=CHANNEL)
        if state == "withdrawn":
            records.withdraw_consent(customer, ACCOUNT, channel=CHANNEL)
    if retention:
        records.grant_consent(customer, RETENTION, _version(records, RETENTION), channel=CHANNEL)


def make_quote(records: Any, customer: str) -> str:
    """A live quote of ``customer``'s: the first eligible plan, else the first add-on."""
    for option in records.eligible_plans(customer):
        if option.eligible:
            return str(records.quote_plan_change(customer, option.plan.id).quote_id)
    addon = records.list_addons(customer)[0]
    addon_id = getattr(addon, "id", None) or getattr(addon, "addon_id", None)
    return str(records.quote_addon(customer, addon_id).quote_id)


def _bill_id(records: Any, customer: str) -> str:
    from assistant.records.models import Account, Bill

    with Session(records.engine) as session:
        bill = session.scalars(
            select(Bill)
            .join(Account, Bill.account_id == Account.id)
            .where(Account.customer_id == customer)
            .order_by(Bill.period.desc())
        ).first()
        return str(bill.id) if bill is not None else FORGED["bill_id"]


def identity_values(records: Any, customer: str) -> dict[str, str]:
    """Every id and contact detail of ``customer`` a model might pass as an argument."""
    overview = json.loads(records.account_overview(customer).model_dump_json())
    person = overview["customer"]
    line = overview["lines"][0]
    msisdn = next((x.msisdn for x in _lines(records, customer) if x.id == line["line_id"]), "")
    return {
        "customer_id": customer,
        "customer": customer,
        "user_id": customer,
        "account_id": overview["account_id"],
        "account": overview["account_id"],
        "email": person["email"],
        "msisdn": msisdn,
        "phone": msisdn,
        "line_id": line["line_id"],
        "plan_name": line["plan_name"],
        "name": person["name"],
        "bill_id": _bill_id(records, customer),
    }


def _lines(records: Any, customer: str) -> list[Any]:
    from assistant.records.models import Account, Line

    with Session(records.engine) as session:
        return list(
            session.scalars(
                select(Line)
                .join(Account, Line.account_id == Account.id)
                .where(Account.customer_id == customer)
            )
        )


def inject_bill_item(records: Any, customer: str, text: str) -> None:
    """Plant ``text`` in the description of the customer's latest bill item."""
    from eval.checks.state import inject

    inject(records, customer, Injection(into="bill_item", text=text))


def template_values(records: Any, persona: str | None, victim: str, needs: str) -> dict[str, str]:
    """``victim:*``, ``own:*`` and ``forged:*`` values for the placeholders in ``needs``."""
    values = {f"forged:{k}": v for k, v in FORGED.items()}
    # Read only what the case uses: an overview costs a few database round trips.
    if "{victim:" in needs:
        values.update({f"victim:{k}": v for k, v in identity_values(records, victim).items()})
    if persona is not None and "{own:" in needs:
        values.update({f"own:{k}": v for k, v in identity_values(records, persona).items()})
    if "{victim:quote_id}" in needs:
        values["victim:quote_id"] = make_quote(records, victim)
    if "{own:quote_id}" in needs and persona is not None:
        values["own:quote_id"] = make_quote(records, persona)
    return values
