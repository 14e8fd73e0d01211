"""What the UI shows, in the customer's language: texts, money, prices, dates and times.

Texts come from ``ui/texts.yaml`` through the product's one catalog reader
(``assistant.messages.Catalog``); amounts through the one money formatter
(``assistant.i18n.money``). A ``Locale`` is chosen per tab: a signed-in customer's profile
language and country, or a guest's language switch (their browser's language at first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from assistant.i18n import money
from assistant.messages import Catalog
from assistant.records.money import CURRENCIES, TAX_RATES, cents

TEXTS = Catalog("ui", "texts.yaml")
LANGUAGES = ("en", "es")
#: Where a market's customers read times.
TIME_ZONES = {"GB": "Europe/London", "ES": "Europe/Madrid", "KE": "Africa/Nairobi"}
#: A guest has no country: times follow the market of the language they chose.
GUEST_COUNTRY = {"en": "GB", "es": "ES"}
_COUNTRY_OF_CURRENCY = {currency: country for country, currency in CURRENCIES.items()}


def browser_language(accept_language: str | None) -> str:
    """'es' when the browser prefers Spanish to English (``Accept-Language``), else 'en'."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if lang in LANGUAGES:
            ranked.append((-quality, index, lang))
    return min(ranked)[2] if ranked else "en"


@dataclass(frozen=True)
class Locale:
    """The customer's language, market and whether prices include tax for them."""

    lang: str = "en"
    country: str | None = None
    consumer: bool = True
    """Consumers see prices with tax included; businesses see tax added."""

    @classmethod
    def of(cls, customer: Any | None, guest_lang: str = "en") -> Locale:
        """The locale of a signed-in customer (their profile), or of a guest's choice."""
        if customer is None:
            lang = guest_lang if guest_lang in LANGUAGES else "en"
            return cls(lang=lang, country=GUEST_COUNTRY[lang])
        lang = customer.language if customer.language in LANGUAGES else "en"
        return cls(lang=lang, country=customer.country, consumer=customer.segment != "business")

    @property
    def zone(self) -> ZoneInfo:
        """The market's time zone (London for a guest reading English, Madrid in Spanish)."""
        return ZoneInfo(TIME_ZONES.get(self.country or "", "Europe/London"))

    def t(self, key: str, **values: Any) -> str:
        """The UI text ``key`` in this language, filled with ``values``."""
        return TEXTS.say(key, self.lang, **values)

    def find(self, key: str) -> Any:
        """The raw catalog entry for ``key`` (None if there is none in this language or English)."""
        return TEXTS.find(key, self.lang)

    def number(self, value: int) -> str:
        """'4,000' in English, '4.000' in Spanish."""
        grouped = f"{value:,}"
        return grouped.replace(",", ".") if self.lang == "es" else grouped

    # -- money --------------------------------------------------------------------------------

    def amount(self, value: Any, currency: str | None) -> str:
        """'£36.00' / '36,00 €' from a Decimal or the string a JSON quote carries."""
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return escape(str(value))
        if not number.is_finite():
            return escape(str(value))
        return money(f"{number:.2f}", currency, self.lang)

    def price(
        self, value: Any, currency: str | None, includes_tax: bool, *, monthly: bool = False
    ) -> str:
        """What the customer pays: '£36.00 a month including VAT' for a consumer (tax added
        to a net price here), '£30.00 a month + VAT' for a business, in their market's format."""
        country = _COUNTRY_OF_CURRENCY.get(currency or "")
        rate = TAX_RATES.get(country or "")
        tax = self.t("tax_name")
        if rate is None:  # no tax known for this currency: the amount as it is
            return (
                self.t("per_month", amount=self.amount(value, currency))
                if monthly
                else self.amount(value, currency)
            )
        try:
            net = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return escape(str(value))
        if self.consumer:
            gross = net if includes_tax else cents(net * (1 + rate))
            key = "per_month_incl" if monthly else "incl"
            return self.t(key, amount=self.amount(gross, currency), tax=tax)
        if includes_tax:
            key = "per_month_incl" if monthly else "incl"
        else:
            key = "per_month_plus" if monthly else "plus"
        return self.t(key, amount=self.amount(net, currency), tax=tax)

    # -- dates and times --------------------------------------------------------------------------

    def _local(self, value: Any) -> date | datetime | None:
        if isinstance(value, str):
            try:
                value = (
                    datetime.fromisoformat(value.replace("Z", "+00:00"))
                    if len(value) > 10
                    else date.fromisoformat(value)
                )
            except ValueError:
                return None
        if isinstance(value, datetime):
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            return aware.astimezone(self.zone)
        return value if isinstance(value, date) else None

    def day(self, value: Any) -> str:
        """'20 Nov 2026' / '20 nov 2026' from a date, a datetime (in the customer's time zone)
        or an ISO string; an unreadable value is shown as given."""
        local = self._local(value)
        if local is None:
            return escape(str(value or ""))
        months = self.t_list("months_short")
        return f"{local.day} {months[local.month - 1]} {local.year}"

    def moment(self, value: Any) -> str:
        """'10:30 on 20 Nov 2026' in the customer's time zone (a date alone: just the day)."""
        local = self._local(value)
        if not isinstance(local, datetime):
            return self.day(value)
        return self.t("moment", time=f"{local:%H:%M}", date=self.day(local))

    def month(self, period: str, today: date) -> str:
        """'2026-10' -> 'October' (this year) or 'October 2025'; anything else as it is."""
        year, _, month = str(period).partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
            return str(period)
        name = self.t_list("months")[int(month) - 1]
        return name if int(year) == today.year else f"{name} {year}"

    def t_list(self, key: str) -> list[str]:
        """A list entry of the catalog (month names)."""
        return [str(item) for item in self.find(key) or []]

    def today(self, now: datetime) -> date:
        """The customer's date at ``now`` (a UTC instant)."""
        aware = now if now.tzinfo else now.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).date()
