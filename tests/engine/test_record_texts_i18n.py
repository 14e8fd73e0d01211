"""Spanish answers built from real records carry no English record text.

Bill lines, refusal reasons and quote notes are written by the records layer in English; the
engine's renderers must say them in Spanish (by their codes) and keep every figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.engine.account_answer import render_bill, render_explanation, render_plans
from assistant.engine.change_answer import render_error, render_plan_quote
from assistant.errors import NotEligible
from assistant.records.api import Records
from assistant.records.db import make_engine
from assistant.records.seed import seed_database
from assistant.settings import DEMO_CLOCK
from assistant.tools.base import to_jsonable

LUCIA, JAVIER = "C-1003", "C-1007"  # Spanish personas (EUR)
#: Words of the records layer's English texts that have no place in a Spanish answer.
ENGLISH = re.compile(
    r"monthly fee|Data roaming|\bzone\b|\bUSA\b|roaming \+|unpaid|\bonly\b|not possible|"
    r"takes effect|prorated|Prices exclude|Minimum term|added on the bill|\bplan\b|\bthe\b",
)


@pytest.fixture(scope="module")
def records() -> Iterator[Records]:
    engine = make_engine("sqlite:///:memory:")
    seed_database(engine, DEMO_CLOCK, customers=7)  # the personas
    yield Records(engine, lambda: DEMO_CLOCK)
    engine.dispose()


def _no_english(answer: str, stored: list[str]) -> None:
    assert not ENGLISH.search(answer), answer
    for text in stored:
        assert text not in answer, f"English record text {text!r} in: {answer}"


def _json(view: Any) -> Any:
    return to_jsonable(view)


def test_spanish_bill_explanation_is_all_spanish(records: Records) -> None:
    data = _json(records.explain_bill(LUCIA, "2026-10"))
    answer = render_explanation(data, "es")
    _no_english(answer, data["details"] + [d["text"] for d in data["drivers"]])
    assert "itinerancia +38,40 €" in answer
    assert "Datos en itinerancia en la zona Z1 (EE. UU.): 768 MB a 0,05 €/MB: 38,40 €" in answer


def test_spanish_bill_lines_are_spanish(records: Records) -> None:
    data = _json(records.get_bill(LUCIA, "2026-10"))
    answer = render_bill(data, "es")
    _no_english(answer, [i["description"] for i in data["items"] if i["category"] != "tax"])
    assert "Cuota mensual de Tarifa Básica 10GB" in answer


def test_spanish_eligibility_refusal_is_all_spanish(records: Records) -> None:
    with pytest.raises(NotEligible) as refused:
        records.quote_plan_change(JAVIER, "ES-EMPRESA-CONECTA")
    result = refused.value.to_dict()
    answer = render_error(result, "es")
    _no_english(answer, result["reasons"])
    assert "Empresa Conecta es solo para empresas" in answer


def test_spanish_plan_list_gives_spanish_reasons(records: Records) -> None:
    options = _json(records.eligible_plans(JAVIER))
    answer = render_plans(options, "es")
    reasons = [r for o in options for r in o["reasons"]]
    assert reasons  # the business and prepaid plans are refused
    _no_english(answer, reasons)
    assert "tarifa de prepago y tu cuenta es de contrato" in answer


def test_spanish_quote_notes_are_spanish(records: Records) -> None:
    quote = _json(records.quote_plan_change(JAVIER, "ES-ILIMITADA"))
    answer = render_plan_quote(quote, "es")
    _no_english(answer, quote["notes"])
    assert "Los precios no incluyen el IVA 21%, que se añade en la factura." in answer
    assert "32,00 €" in answer


def test_english_answers_keep_the_records_text(records: Records) -> None:
    quote = _json(records.quote_plan_change(JAVIER, "ES-ILIMITADA"))
    assert all(note in render_plan_quote(quote, "en") for note in quote["notes"])
    data = _json(records.explain_bill(LUCIA, "2026-10"))
    assert data["summary"] in render_explanation(data, "en")


def test_unknown_codes_fall_back_to_the_stored_text(records: Records) -> None:
    result = {"error": "not_eligible", "message": "no", "reasons": ["a brand new rule"],
              "reason_codes": [{"code": "reason.new", "values": {}}]}
    assert "a brand new rule" in render_error(result, "es")


def test_every_code_the_records_layer_writes_has_a_spanish_text() -> None:
    from pathlib import Path

    from assistant.i18n.record_texts import _section

    source = Path(__file__).parents[2] / "assistant" / "records"
    written = set()
    for path in [source / "texts.py", *sorted((source / "services").glob("*.py"))]:
        written |= set(re.findall(r"\"((?:item|reason|note)\.[a-z_]+)\"", path.read_text()))
    written |= {f"reason.{a}_plan_for_{b}_account" for a, b in
                (("prepaid", "postpaid"), ("postpaid", "prepaid"))}  # built with an f-string
    assert len(written) > 20
    assert written <= set(_section("es", "texts"))


def test_counts_take_the_singular_for_one_month():
    from assistant.i18n.record_texts import localize

    def note(months: int) -> str:
        coded = {"code": "note.early_termination_fee", "text": "English", "values": {
            "term_end": "2027-01-31", "fees": "1.20", "currency": "EUR", "percent": 50,
            "months": months, "difference": "2.40"}}
        return localize(coded, "es")

    assert "1 mes restante x" in note(1)
    assert "3 meses restantes x" in note(3)
