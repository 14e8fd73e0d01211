"""Money, tax, calendar and masking helpers shared by the services, views and seed."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from assistant.errors import InvalidInput

CENT = Decimal("0.01")

#: Tax added to postpaid bills (catalog prices exclude it): VAT GB, IVA ES, VAT KE.
TAX_RATES: dict[str, Decimal] = {
    "GB": Decimal("0.20"),
    "ES": Decimal("0.21"),
    "KE": Decimal("0.16"),
}
TAX_NAMES: dict[str, str] = {"GB": "VAT 20%", "ES": "IVA 21%", "KE": "VAT 16%"}
CURRENCIES: dict[str, str] = {"GB": "GBP", "ES": "EUR", "KE": "KES"}
#: Currencies written with a symbol; others keep their code (KES 250.00).
CURRENCY_SYMBOLS: dict[str, str] = {"GBP": "£", "EUR": "€"}

#: Largest single payment, credit or top-up accepted; anything above is a typo or abuse.
MAX_AMOUNT = Decimal("100000")

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def cents(value: Decimal) -> Decimal:
    """Round to cents, half up (how bills are rounded)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str, *, signed: bool = False) -> str:
    """Human form: '£38.40', '€12.00', 'KES 1,250.00'; ``signed`` adds '+' / '-'."""
    sign = ("+" if amount >= 0 else "-") if signed else ("-" if amount < 0 else "")
    body = f"{abs(amount):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{currency} {body}"


def check_amount(amount: Decimal | int | float | str, what: str) -> Decimal:
    """Parse a positive, sane amount or raise InvalidInput naming it."""
    try:
        value = Decimal(str(amount))
    except ArithmeticError as exc:
        raise InvalidInput(f"{what} {amount!r} is not a number", value=str(amount)) from exc
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise InvalidInput(
            f"{what} {amount} must be greater than 0 and at most {MAX_AMOUNT}", value=str(amount)
        )
    if value != cents(value):
        raise InvalidInput(f"{what} {amount} has more than two decimals", value=str(amount))
    return value


# -- calendar -------------------------------------------------------------------------------


def parse_period(period: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10); anything else raises InvalidInput naming the value."""
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if not match:
        raise InvalidInput(f"period {period!r} is not a month in the form YYYY-MM", period=period)
    return int(match.group(1)), int(match.group(2))


def period_of(day: date) -> str:
    """The billing period (calendar month) containing ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(period: str) -> date:
    """First day of a period."""
    year, month = parse_period(period)
    return date(year, month, 1)


def shift_period(period: str, months: int) -> str:
    """The period ``months`` after (negative: before) ``period``."""
    return period_of(add_months(month_start(period), months))


def days_in_month(day: date) -> int:
    """Number of days in the month of ``day``."""
    return calendar.monthrange(day.year, day.month)[1]


def next_month_start(day: date) -> date:
    """1st of the month after ``day``."""
    return add_months(day.replace(day=1), 1)


def contract_end_for(start: date, months: int) -> date | None:
    """Last day of a minimum term of ``months`` starting on ``start`` (None when no term)."""
    if months <= 0:
        return None
    return date.fromordinal(add_months(start, months).toordinal() - 1)


def whole_months_between(start: date, last_day: date) -> int:
    """Whole months from ``start`` up to and including ``last_day`` (0 if none)."""
    months = 0
    while add_months(start, months + 1) <= date.fromordinal(last_day.toordinal() + 1):
        months += 1
    return months


# -- masking --------------------------------------------------------------------------------

_CALLING_CODES = ("254", "44", "34")


def mask_msisdn(msisdn: str) -> str:
    """'+447700900123' -> '+44 7*** ***123': enough to recognise, never the full number."""
    digits = msisdn.lstrip("+")
    code = next((c for c in _CALLING_CODES if digits.startswith(c)), digits[:2])
    national = digits[len(code) :]
    return f"+{code} {national[:1]}*** ***{national[-3:]}"
