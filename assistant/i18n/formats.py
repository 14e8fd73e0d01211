"""Money as customers read it, in English or Spanish.

An amount keeps the digits the tool result wrote ("36.00" stays 36.00, never rounded or
regrouped), so every figure an answer states can be found in that turn's results; only the
decimal mark and the currency's place change with the language.
"""

from __future__ import annotations

from typing import Any

from assistant.records.money import CURRENCY_SYMBOLS


def money(amount: Any, currency: str | None, lang: str = "en") -> str:
    """'£30.00' / '€30.00' in English, '30,00 €' / '30,00 £' in Spanish, 'KES 250.00' otherwise.

    A currency without a symbol keeps its code in front; no currency gives the bare amount.
    """
    value = str(amount)
    if value.startswith("-"):
        return "-" + money(value[1:], currency, lang)
    symbol = CURRENCY_SYMBOLS.get(currency or "")
    if lang == "es":
        value = value.replace(".", ",")
        if symbol:
            return f"{value} {symbol}"
    elif symbol:
        return f"{symbol}{value}"
    return f"{currency} {value}" if currency else value
