"""The seven demo personas: fixed ids, credentials and situations the demo and eval rely on."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from assistant.records.passwords import hash_password
from assistant.records.seed.specs import CustomerSpec, LineSpec

D = Decimal


def _at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=UTC)


#: id -> (situation in one sentence); printed by `python -m assistant customers`.
SITUATIONS = {
    "C-1001": "GB consumer on Essential 5GB with an overdue bill (2026-09 unpaid, due 2026-10-15).",
    "C-1002": "GB consumer on Plus 30GB in contract until 2027-08-31: upgrade possible, downgrade "
    "carries an early-termination fee; consent withdrawn, so the assistant must ask again.",
    "C-1003": "ES consumer (Spanish) on Tarifa Básica 10GB whose October bill jumped because of "
    "roaming in zone Z1 (USA); consent withdrawn.",
    "C-1004": "GB business (Northwind Logistics, contact Priya Shah) with 3 lines on Business "
    "Connect 50GB and one consolidated invoice including cloud services.",
    "C-1005": "KE prepaid consumer on Prepaid Monthly 3GB with a balance of KES 320.",
    "C-1006": "KE consumer on Smart 20GB whose line is suspended (lost phone / fraud hold) and "
    "whose October bill is overdue (pays with VelaPesa).",
    "C-1007": "ES consumer on Tarifa Libre 50GB who has never opted in (no consent records).",
}


def password_for(customer_id: str) -> str:
    """Demo password of a persona: vela-demo-<id digits>."""
    return f"vela-demo-{customer_id.split('-')[1]}"


@cache
def _hash(customer_id: str) -> str:
    # Cached: scrypt is slow on purpose and the result is fixed for a persona.
    salt = random.Random(f"salt-{customer_id}").randbytes(16)
    return hash_password(password_for(customer_id), salt=salt)


def _usage(data: int, minutes: int, sms: int, **roaming: int) -> dict[str, int]:
    return {"data_mb": data, "minutes": minutes, "sms": sms, **roaming}


# fmt: off
def personas() -> list[CustomerSpec]:
    """The personas, in id order."""
    ad = "account_data"
    return [
        CustomerSpec(
            id="C-1001", name="Amelia Hart", email="amelia@demo.vela", segment="consumer",
            country="GB", language="en", billing="postpaid", password_hash=_hash("C-1001"),
            lines=[LineSpec("+447700900123", "GB-ESSENTIAL-5", date(2025, 3, 1),
                            usage=_usage(3100, 140, 35))],
            extras={"2026-07": [(0, "out_of_bundle", "Calls to premium numbers", D("3.40"))]},
            unpaid={"2026-09"}, pay_method="card",
            consent=[(ad, "granted", _at(2026, 4, 12), "web")],
        ),
        CustomerSpec(
            id="C-1002", name="Oliver Brooks", email="oliver@demo.vela", segment="consumer",
            country="GB", language="en", billing="postpaid", password_hash=_hash("C-1002"),
            lines=[LineSpec("+447700900456", "GB-PLUS-30", date(2025, 9, 1),
                            device=("Device instalment: Pixel 9 (24 months)", D("22.50")),
                            usage=_usage(18400, 320, 60, roaming_eu_mb=900))],
            consent=[(ad, "granted", _at(2026, 6, 2), "app"),
                     (ad, "withdrawn", _at(2026, 10, 5), "app")],
        ),
        CustomerSpec(
            id="C-1003", name="Lucía Fernández", email="lucia@demo.vela", segment="consumer",
            country="ES", language="es", billing="postpaid", password_hash=_hash("C-1003"),
            lines=[LineSpec("+34600900789", "ES-BASICA-10", date(2024, 11, 1),
                            usage=_usage(4200, 95, 12))],
            extras={"2026-10": [
                (0, "roaming", "Data roaming in zone Z1 (USA): 768 MB at €0.05/MB", D("38.40"))
            ]},
            consent=[(ad, "granted", _at(2026, 5, 10), "chat"),
                     (ad, "withdrawn", _at(2026, 11, 2), "chat")],
        ),
        CustomerSpec(
            id="C-1004", name="Northwind Logistics Ltd", contact_name="Priya Shah",
            email="priya@demo.vela", segment="business", country="GB", language="en",
            billing="postpaid", password_hash=_hash("C-1004"),
            lines=[
                LineSpec("+447700900201", "GB-BIZ-CONNECT-50", date(2025, 6, 1),
                         usage=_usage(22000, 610, 40, roaming_eu_mb=1500)),
                LineSpec("+447700900202", "GB-BIZ-CONNECT-50", date(2025, 6, 1),
                         usage=_usage(9100, 240, 15)),
                LineSpec("+447700900203", "GB-BIZ-CONNECT-50", date(2025, 6, 1),
                         usage=_usage(31000, 880, 70, roaming_z1_mb=300)),
            ],
            account_items=[
                ("cloud_services", "Cloud Office: 12 seats x £9.50", D("114.00")),
                ("cloud_services", "Cloud Backup 500GB", D("15.00")),
            ],
            extras={"2026-08": [(None, "credit", "Goodwill credit: network outage 2026-07-14",
                                 D("-10.00"))]},
            pay_method="bank_transfer",
            consent=[(ad, "granted", _at(2026, 3, 3), "web"),
                     ("transcript_retention", "granted", _at(2026, 3, 3), "web")],
        ),
        CustomerSpec(
            id="C-1005", name="Wanjiru Kamau", email="wanjiru@demo.vela", segment="consumer",
            country="KE", language="en", billing="prepaid", balance=D("320.00"),
            password_hash=_hash("C-1005"),
            lines=[LineSpec("+254700900555", "KE-PREPAID-3", date(2025, 1, 15),
                            usage=_usage(2300, 60, 80))],
            consent=[(ad, "granted", _at(2026, 8, 20), "app")],
        ),
        CustomerSpec(
            id="C-1006", name="Daniel Otieno", email="daniel@demo.vela", segment="consumer",
            country="KE", language="en", billing="postpaid", password_hash=_hash("C-1006"),
            lines=[LineSpec("+254700900666", "KE-SMART-20", date(2026, 2, 1), status="suspended",
                            suspension_reason="lost phone / fraud hold",
                            usage=_usage(6100, 410, 30))],
            unpaid={"2026-10"}, pay_method="mpesa",
            consent=[(ad, "granted", _at(2026, 9, 1), "chat")],
        ),
        CustomerSpec(
            id="C-1007", name="Javier Ruiz", email="javier@demo.vela", segment="consumer",
            country="ES", language="es", billing="postpaid", password_hash=_hash("C-1007"),
            lines=[LineSpec("+34600900777", "ES-LIBRE-50", date(2026, 1, 1),
                            usage=_usage(12800, 230, 20))],
        ),
    ]
# fmt: on
