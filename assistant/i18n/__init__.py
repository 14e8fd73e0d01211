"""Localizing what customers read: money amounts and the texts the records layer wrote.

Shared by the SDK's own prompts and the offline engine's answers, so both say "£30.00" to an
English-speaking customer and "30,00 €" to a Spanish-speaking one, and a Spanish answer
does not paste in an English bill line, refusal reason or quote note.
"""

from assistant.i18n.formats import money
from assistant.i18n.language import detect_language
from assistant.i18n.notices import consent_notice
from assistant.i18n.record_texts import localize, localize_each, term

__all__ = ["consent_notice", "detect_language", "localize", "localize_each", "money", "term"]
