"""Random but realistic customers, drawn from one ``random.Random`` so seeds are repeatable."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from assistant.records.catalog import plan_rows
from assistant.records.money import CURRENCIES
from assistant.records.seed.specs import CustomerSpec, LineSpec

NAMES = {
    "GB": (
        ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Jack", "Grace",
         "Leo", "Freya", "Arthur", "Ella", "Charlie", "Sophie", "Thomas", "Chloe", "Oscar", "Ruby"],
        ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
         "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green"],
    ),
    "ES": (
        ["Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "María", "Daniel", "Julia",
         "Pablo", "Paula", "Álvaro", "Valeria", "Manuel", "Carmen", "Javier", "Elena", "Sergio"],
        ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
         "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno"],
    ),
    "KE": (
        ["Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Mwangi", "Akinyi", "Kiprono",
         "Wambui", "Omondi", "Chebet", "Mutua", "Nyambura", "Kibet", "Atieno", "Njoroge"],
        ["Kamau", "Otieno", "Mwangi", "Odhiambo", "Wanjiku", "Kiptoo", "Ochieng", "Njoroge",
         "Mutua", "Wekesa", "Kariuki", "Chege", "Onyango", "Koech", "Nyaga", "Kimani"],
    ),
}  # fmt: skip
COMPANY_WORDS = ["Harbour", "Summit", "Meridian", "Atlas", "Beacon", "Cedar", "Pioneer", "Orbit"]
COMPANY_KINDS = {
    "GB": ["Logistics Ltd", "Consulting Ltd", "Builders Ltd"],
    "ES": ["Servicios S.L.", "Consultores S.L.", "Distribuciones S.A."],
    "KE": ["Traders Ltd", "Logistics Ltd", "Agencies Ltd"],
}
CALLING = {"GB": "+447", "ES": "+346", "KE": "+2547"}
ROAMING_RATE = {"GBP": Decimal("0.05"), "EUR": Decimal("0.05"), "KES": Decimal("5.00")}
ZONE_NAMES = {"EU": "Europe", "EA": "East Africa", "Z1": "USA/Canada", "Z2": "rest of world"}
PAY_METHODS = {
    "GB": ["direct_debit", "card"],
    "ES": ["direct_debit", "card"],
    "KE": ["mpesa", "card"],
}
DEVICES = [
    ("Galaxy A55", Decimal("14.00")),
    ("iPhone 15", Decimal("31.00")),
    ("Pixel 8a", Decimal("17.50")),
]  # noqa: E501


def _ascii(text: str) -> str:
    table = str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN")
    return text.translate(table).lower()


class CustomerGenerator:
    """Draws customers one by one; the same seed yields the same customers in the same order."""

    def __init__(self, seed: int, periods: list[str], today: date) -> None:
        self.rng = random.Random(seed)
        self.periods = periods
        self.today = today
        plans = plan_rows()
        self.plans = {p["id"]: p for p in plans}
        self.line_seq = 0

    def _plan_for(self, country: str, segment: str, billing: str) -> str:
        choices = sorted(
            p["id"]
            for p in self.plans.values()
            if p["country"] == country and p["segment"] == segment and p["billing"] == billing
            and (segment == "business" or p["id"] != "GB-IOT-TRACKER")
        )  # fmt: skip
        return self.rng.choice(choices)

    def number(self, country: str) -> str:
        """A fresh number in the country's mobile range (never reused)."""
        self.line_seq += 1
        return f"{CALLING[country]}1{self.line_seq:08d}"

    def customer(self, n: int) -> CustomerSpec:
        """The customer with id C-<n>."""
        rng = self.rng
        country = rng.choices(["GB", "ES", "KE"], weights=[5, 3, 2])[0]
        segment = "business" if rng.random() < 0.1 else "consumer"
        billing = "prepaid" if segment == "consumer" and rng.random() < 0.15 else "postpaid"
        first, last = rng.choice(NAMES[country][0]), rng.choice(NAMES[country][1])
        name, contact = f"{first} {last}", None
        if segment == "business":
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS[country])}"
            contact = f"{first} {last}"
        count = rng.randint(1, 5) if segment == "business" else (2 if rng.random() < 0.1 else 1)
        lines = [self._line(country, segment, billing) for _ in range(count)]
        spec = CustomerSpec(
            id=f"C-{n}",
            name=name,
            contact_name=contact,
            email=f"{_ascii(first)}.{_ascii(last)}.{n}@mail.example",
            segment=segment,
            country=country,
            language="es" if country == "ES" else "en",
            billing=billing,
            lines=lines,
            pay_method=rng.choice(PAY_METHODS[country]),
        )
        if billing == "prepaid":
            spec.balance = Decimal(rng.randint(0, 4000)) / (1 if country == "KE" else 100)
            spec.balance = spec.balance.quantize(Decimal("0.01"))
        else:
            self._billing_story(spec)
        self._consent(spec)
        return spec

    def _line(self, country: str, segment: str, billing: str) -> LineSpec:
        rng = self.rng
        plan_id = self._plan_for(country, segment, billing)
        if country == "GB" and plan_id == "GB-PLUS-30" and rng.random() < 0.2:
            plan_id = "GB-PLUS-20"  # some customers stay on the legacy plan
        plan = self.plans[plan_id]
        start_floor = max(plan["on_sale_from"], date(2023, 1, 1))
        start_ceiling = min(plan["on_sale_to"] or date(2026, 4, 1), date(2026, 4, 1))
        start = start_floor + timedelta(days=rng.randint(0, (start_ceiling - start_floor).days))
        start = start.replace(day=1)
        suspended = rng.random() < 0.02
        device = None
        if billing == "postpaid" and rng.random() < 0.2:
            model, monthly = rng.choice(DEVICES)
            device = (f"Device instalment: {model} (24 months)", monthly)
        allowance = plan["data_gb"]
        cap = int(allowance * 1024) if allowance is not None else 60_000
        share = self.today.day / 30
        usage = {
            "data_mb": int(cap * share * rng.uniform(0.1, 1.2)),
            "minutes": rng.randint(0, 600),
            "sms": rng.randint(0, 150),
        }
        if rng.random() < 0.1:
            usage[f"roaming_{rng.choice(['eu', 'ea', 'z1', 'z2'])}_mb"] = rng.randint(50, 3000)
        return LineSpec(
            number=self.number(country),
            plan_id=plan_id,
            start=start,
            status="suspended" if suspended else "active",
            suspension_reason=rng.choice(["lost phone / fraud hold", "stolen device"])
            if suspended
            else None,
            device=device,
            usage=usage,
        )

    def _billing_story(self, spec: CustomerSpec) -> None:
        rng = self.rng
        currency = CURRENCIES[spec.country]
        if spec.segment == "business" and rng.random() < 0.3:
            seats = rng.randint(2, 25)
            spec.account_items.append(
                ("cloud_services", f"Cloud Office: {seats} seats", Decimal(seats) * Decimal("9.50"))
            )
        for period in self.periods:
            items: list[tuple[int | None, str, str, Decimal]] = []
            for index, line in enumerate(spec.lines):
                zones = self.plans[line.plan_id]["roaming_zones"]
                if rng.random() < 0.08:
                    zone = rng.choice([z for z in ZONE_NAMES if z not in zones] or ["Z2"])
                    mb = rng.randint(20, 1500)
                    rate = ROAMING_RATE[currency]
                    items.append(
                        (index, "roaming", f"Data roaming in zone {zone} ({ZONE_NAMES[zone]}): "
                         f"{mb} MB", (rate * mb).quantize(Decimal("0.01")))
                    )  # fmt: skip
                if rng.random() < 0.05:
                    amount = Decimal(rng.randint(100, 1500)) / 100
                    if currency == "KES":
                        amount *= 100
                    items.append(
                        (index, "out_of_bundle", "Calls and texts beyond the plan", amount)
                    )
            if rng.random() < 0.03:
                items.append((None, "credit", "Goodwill credit", Decimal("-5.00")))
            if items:
                spec.extras[period] = items
        if rng.random() < 0.04:
            spec.unpaid = set(self.periods[-rng.randint(1, 2) :])

    def _consent(self, spec: CustomerSpec) -> None:
        rng = self.rng
        for purpose, chance in (("account_data", 0.6), ("transcript_retention", 0.3)):
            if rng.random() >= chance:
                continue
            at = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 400_000))
            channel = rng.choice(["chat", "web", "app"])
            spec.consent.append((purpose, "granted", at, channel))
            if rng.random() < 0.2:
                later = at + timedelta(minutes=rng.randint(60, 40_000))
                spec.consent.append((purpose, "withdrawn", later, channel))
