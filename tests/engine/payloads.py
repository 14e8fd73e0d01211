"""Tool results shaped like the records views (assistant/records/views.py), for the tests."""

from __future__ import annotations

from typing import Any

PLAN_QUOTE: dict[str, Any] = {
    "quote_id": "Q-7f3a9c21de",
    "line_id": "L-1001-1",
    "msisdn_masked": "+44 7••• •••123",
    "line_defaulted": True,
    "from_plan_id": "GB-PLUS-30",
    "from_plan_name": "Plus 30GB",
    "to_plan_id": "GB-UNLIMITED-MAX",
    "to_plan_name": "Unlimited Max",
    "old_monthly_price": "18.00",
    "new_monthly_price": "30.00",
    "currency": "GBP",
    "price_includes_tax": False,
    "direction": "upgrade",
    "proration": "4.40",
    "fees": "0.00",
    "effective_date": "2026-11-20",
    "contract_end": "2028-11-19",
    "expires_at": "2026-11-20T10:30:00Z",
    "notes": [],
}
CHANGE_DONE = {
    "kind": "plan_change", "reference": "PC-8K2M4Q7Z", "quote_id": "Q-7f3a9c21de",
    "line_id": "L-1001-1", "effective_date": "2026-11-20", "already_applied": False,
    "message": "Plan changed.",
}
ADDON_QUOTE = {
    "quote_id": "AQ-11aa22bb33", "line_id": "L-1001-1", "msisdn_masked": "+44 7••• •••123",
    "line_defaulted": True,
    "addon": {"id": "GB-ROAM-EU-DAY", "name": "Europe Roaming Day Pass", "kind": "roaming_day",
              "price": "2.50", "currency": "GBP", "price_includes_tax": False, "data_gb": None,
              "zone": "EU", "validity_days": 1},
    "price": "2.50", "currency": "GBP", "charged_to": "next_bill",
    "valid_from": "2026-11-20T10:00:00Z", "valid_to": "2026-11-21T10:00:00Z",
    "expires_at": "2026-11-20T10:30:00Z",
}


def plan_view(pid: str, name: str, price: str, gb: str | None, currency: str = "GBP") -> dict:
    return {"id": pid, "name": name, "country": pid[:2], "currency": currency,
            "segment": "consumer", "billing": "postpaid", "monthly_price": price,
            "price_includes_tax": False, "data_gb": gb, "minutes": None, "sms": None,
            "roaming_zones": ["EU"], "five_g": True, "contract_months": 24,
            "early_termination_percent": 50, "on_sale": True}


def option(plan: dict, eligible: bool = True, reasons: list[str] | None = None) -> dict:
    return {"plan": plan, "eligible": eligible, "reasons": reasons or [],
            "direction": "upgrade", "monthly_difference": "12.00",
            "early_termination_fee": "0.00", "contract_end": None, "line_id": "L-1001-1"}


GB_OPTIONS = [
    option(plan_view("GB-UNLIMITED-MAX", "Unlimited Max", "30.00", None)),
    option(plan_view("GB-ESSENTIAL-5", "Essential 5GB", "10.00", "5")),
    option(plan_view("GB-FLEX-10", "Flex 10GB 30-day", "12.00", "10")),
    option(plan_view("GB-PLUS-20", "Plus 20GB (legacy)", "16.00", "20"), False,
           ["Plus 20GB (legacy) is no longer on sale"]),
]
ES_OPTIONS = [
    option(plan_view("ES-ILIMITADA", "Tarifa Ilimitada", "32.00", None, "EUR")),
    option(plan_view("ES-BASICA-10", "Tarifa Básica 10GB", "12.00", "10", "EUR")),
]
BILL = {
    "period": "2026-10", "issue_date": "2026-11-01", "due_date": "2026-11-15", "status": "paid",
    "currency": "GBP", "total": "61.68", "amount_paid": "61.68", "balance_due": "0.00",
    "subtotal": "51.40", "tax": "10.28", "tax_name": "VAT 20%",
    "items": [
        {"category": "plan_fee", "description": "Plus 30GB monthly fee", "amount": "18.00",
         "line_id": "L-1001-1", "msisdn_masked": "+44 7••• •••123"},
        {"category": "roaming", "description": "Roaming data, Egypt (Zone 2)", "amount": "33.40",
         "line_id": "L-1001-1", "msisdn_masked": "+44 7••• •••123"},
        {"category": "tax", "description": "VAT 20%", "amount": "10.28", "line_id": None,
         "msisdn_masked": None},
    ],
}
EXPLANATION = {
    "period": "2026-10", "previous_period": "2026-09", "currency": "GBP", "total_now": "61.68",
    "total_prev": "21.60", "delta": "40.08",
    "drivers": [
        {"category": "roaming", "amount_prev": "0.00", "amount_now": "33.40", "delta": "33.40",
         "text": "roaming +£33.40"},
        {"category": "tax", "amount_prev": "3.60", "amount_now": "10.28", "delta": "6.68",
         "text": "tax +£6.68"},
    ],
    "details": ["Roaming data, Egypt (Zone 2): £33.40"],
    "summary": "Your October bill is £40.08 higher than September, mostly roaming +£33.40.",
}
USAGE = [{
    "line_id": "L-1001-1", "msisdn_masked": "+44 7••• •••123", "cycle": "2026-11",
    "cycle_ends": "2026-11-30", "plan_id": "GB-PLUS-30", "data_used_mb": 12288,
    "data_allowance_mb": 30720, "data_used_percent": 40, "minutes_used": 212,
    "minutes_allowance": None, "sms_used": 31, "sms_allowance": None,
    "roaming_mb": {"EU": 512, "EA": 0, "Z1": 0, "Z2": 0}, "roaming_included_zones": ["EU"],
}]
PAYMENTS = [{"period": "2026-10", "amount": "61.68", "currency": "GBP", "method": "direct_debit",
             "paid_on": "2026-11-15", "reference_masked": "DD-••••4821"}]
OVERVIEW = {
    "customer": {"id": "C-1001", "name": "Alice", "contact_name": None, "email": "a@x.example",
                 "segment": "consumer", "country": "GB", "language": "en", "currency": "GBP"},
    "account_id": "A-1001", "billing_type": "postpaid", "status": "active", "currency": "GBP",
    "prepaid_balance": None,
    "lines": [{"line_id": "L-1001-1", "msisdn_masked": "+44 7••• •••123", "status": "active",
               "suspension_reason": None, "plan_id": "GB-PLUS-30", "plan_name": "Plus 30GB",
               "monthly_price": "18.00", "contract_end": "2027-03-31", "in_minimum_term": True,
               "pending_plan_id": None, "pending_effective_date": None}],
    "latest_bill": {"period": "2026-10", "issue_date": "2026-11-01", "due_date": "2026-11-15",
                    "status": "paid", "currency": "GBP", "total": "61.68",
                    "amount_paid": "61.68", "balance_due": "0.00"},
    "overdue_bills": [], "arrears": "0.00",
}
TICKET = {"reference": "TK-1042", "customer_id": None, "topic": "complaint",
          "summary": "I want to make a complaint", "status": "open",
          "created_at": "2026-11-20T10:00:00Z"}
