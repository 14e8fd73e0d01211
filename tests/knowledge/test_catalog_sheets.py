"""Every plan sheet in the corpus agrees with the plan catalog (the system of record).

Figures are read from the sheet text the way a customer reads them: the formatted monthly
price ("£18.00", "20,00 €" or "€20.00", "KES 2,500.00"), the data, minutes and texts
allowances, 5G, and the minimum term. Superseded versions are history and are not checked.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from assistant.settings import DEMO_CLOCK
from knowledge.corpus import SourceDocument, load_corpus
from knowledge.text import fold

CATALOG = Path(__file__).resolve().parents[2] / "assistant" / "records" / "data" / "catalog.yaml"


@cache
def catalog() -> dict[str, dict]:
    return {plan["id"]: plan for plan in yaml.safe_load(CATALOG.read_text("utf-8"))["plans"]}


@cache
def current_sheets() -> dict[str, SourceDocument]:
    today = DEMO_CLOCK.date()
    return {
        doc.meta.plan_id: doc
        for doc in load_corpus()
        if doc.meta.plan_id and doc.meta.effective_on(today)
    }


def plain(text: str) -> str:
    """Lowercase, accents folded, markup dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", fold(text).replace("**", "").replace("`", ""))


def money(amount: str, currency: str) -> list[str]:
    value = Decimal(amount)
    english = f"{value:,.2f}"
    spanish = english.replace(",", "X").replace(".", ",").replace("X", ".")
    return {
        "GBP": [f"£{english}"],
        "EUR": [f"{spanish} €", f"€{english}"],
        "KES": [f"KES {english}"],
    }[currency]


def allowance(value: float | int | None, unit: str, language: str) -> list[str]:
    if value is None:
        unlimited = {
            ("data", "en"): "unlimited data",
            ("data", "es"): "datos ilimitados",
            ("minutes", "en"): "unlimited minutes",
            ("minutes", "es"): "minutos ilimitados",
            ("sms", "en"): "unlimited texts",
            ("sms", "es"): "sms ilimitados",
        }
        return [unlimited[(unit, language)]]
    if unit == "data":
        if value < 1:
            return [f"{int(value * 1000)}mb", f"{int(value * 1000)} mb"]
        number = f"{value:g}"
        return [f"{number}gb", f"{number} gb"]
    word = {("minutes", "en"): "minutes", ("minutes", "es"): "minutos"}.get(
        (unit, language), "texts" if language == "en" else "sms"
    )
    return [f"{value:,} {word}", f"{value} {word}"]


def term(months: int, language: str) -> list[str]:
    if language == "es":
        return ["sin permanencia"] if months == 0 else [f"permanencia de {months} meses"]
    return ["no minimum term"] if months == 0 else [f"{months}-month minimum term"]


def five_g_row(text: str) -> str:
    """The value cell of the sheet's 5G / network row."""
    match = re.search(r"^\|\s*(?:5G|Red)\s*\|\s*([^|]+)\|", text, re.MULTILINE)
    assert match, "the sheet has no 5G / Red row in its table"
    return plain(match.group(1))


def test_every_catalog_plan_has_a_current_sheet() -> None:
    assert set(catalog()) == set(current_sheets())


@pytest.mark.parametrize("plan_id", sorted(catalog()))
def test_sheet_matches_catalog(plan_id: str) -> None:
    plan, doc = catalog()[plan_id], current_sheets()[plan_id]
    language, text = doc.meta.language, plain(doc.body)
    assert doc.meta.countries == [plan["country"]]
    assert doc.meta.segment == plan["segment"]
    checks = {
        "price": [plain(m) for m in money(plan["monthly_price"], plan["currency"])],
        "data": allowance(plan["data_gb"], "data", language),
        "minutes": allowance(plan["minutes"], "minutes", language),
        "texts": allowance(plan["sms"], "sms", language),
        "contract": term(plan["contract_months"], language),
    }
    missing = {
        name: options for name, options in checks.items() if not any(o in text for o in options)
    }
    assert not missing, f"{doc.path.name} lacks {missing}"
    network = five_g_row(doc.body)
    says_yes = network.startswith(("yes", "si")) or "5g incluido" in network
    assert says_yes == plan["five_g"], f"{doc.path.name}: 5G row says {network!r}"


def test_the_check_catches_a_wrong_price() -> None:
    doc = current_sheets()["GB-PLUS-30"]
    assert plain("£18.00") in plain(doc.body)
    assert plain("£19.00") not in plain(doc.body)
    assert money("2500.00", "KES") == ["KES 2,500.00"]
    assert money("20.00", "EUR") == ["20,00 €", "€20.00"]
