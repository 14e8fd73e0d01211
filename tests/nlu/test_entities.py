"""Countries and line digits named in customers' messages."""

from assistant.nlu.entities import countries, line_digits, replace_country


def codes(text: str) -> list[str]:
    return [m.code for m in countries(text)]


def test_countries_in_three_languages():
    assert codes("roaming in France?") == ["FR"]
    assert codes("¿y en Estados Unidos?") == ["US"]
    assert codes("nitakuwa Uganda wiki ijayo") == ["UG"]
    assert codes("going to south africa then kenya") == ["ZA", "KE"]


def test_us_the_pronoun_is_no_country():
    assert codes("can you tell us the price") == []
    assert codes("and in the US?") == ["US"]


def test_a_follow_up_swaps_the_country_of_the_last_question():
    assert replace_country("How much is roaming in France?", "and in the US?") == (
        "How much is roaming in US?"
    )
    assert replace_country("How much is roaming?", "and in the US?") is None


def test_line_digits():
    assert line_digits("no, I meant the line ending 203") == "203"
    assert line_digits("la que acaba en 455") == "455"
    assert line_digits("what's my bill") is None


def test_an_eu_country_brings_the_documents_name_for_its_region():
    from assistant.nlu.entities import region_terms

    assert region_terms("roaming in France?", "en") == "EU, EEA, Europe"
    assert "Unión Europea" in region_terms("¿itinerancia en Francia?", "es")
    assert region_terms("roaming in the US?", "en") is None  # zones are each market's policy


def test_a_lines_bare_digits_count_only_when_the_message_is_about_a_line():
    from assistant.nlu.entities import line_digits

    assert line_digits("and for the other line, the 201?") == "201"
    assert line_digits("la línea 789") == "789"
    assert line_digits("what about 201?") is None
    assert line_digits("my line has used 500 MB") is None
    assert line_digits("line rental 2026") is None
