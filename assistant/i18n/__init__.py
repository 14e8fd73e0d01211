"""Localizing what customers read: money amounts (and, later, texts the records layer wrote).

Shared by the SDK's own prompts and the offline engine's answers, so both say "£30.00" to an
English-speaking customer and "30,00 €" to a Spanish-speaking one.
"""

from assistant.i18n.formats import money

__all__ = ["money"]
