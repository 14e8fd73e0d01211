"""One exception hierarchy for the whole product.

``AssistantError`` is the base. Below it, three families that callers treat differently:

* ``DomainError`` - a business rule said no (unknown plan, not eligible, quote expired...).
  Tools turn it into a result the model sees; the database is left unchanged.
* ``UsageError`` - a developer used the SDK or a service wrongly (bad argument types,
  confirming when nothing is pending). A bug in the caller, raised loudly.
* ``ModelBehaviourError`` - the model misbehaved (malformed tool arguments, a tool that
  does not exist, an attempt to act outside its authority). Logged and reported to the model.
"""

from __future__ import annotations

from typing import Any


class AssistantError(Exception):
    """Base of every error the product raises on purpose."""


class UsageError(AssistantError):
    """The SDK or a service was called incorrectly by the developer."""


class ModelBehaviourError(AssistantError):
    """The model produced something the tool layer refuses (bad arguments, forged authority)."""


class DomainError(AssistantError):
    """A business rule refused the request. ``code`` is stable and machine-readable."""

    code: str = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """Serialisable form shown to the model and the UI."""
        return {"error": self.code, "message": self.message, **self.details}


class NotFound(DomainError):
    """An unknown customer, line, plan, add-on, bill, quote or ticket."""

    code = "not_found"


class InvalidInput(DomainError):
    """A value is out of range or malformed: a negative or absurd amount, a bad period."""

    code = "invalid_input"


class NotEligible(DomainError):
    """The customer may not make this change; ``reasons`` lists every rule that failed."""

    code = "not_eligible"


class QuoteExpired(DomainError):
    """A quote is past its expiry time and can no longer be applied."""

    code = "quote_expired"


class Conflict(DomainError):
    """A concurrent change won the race on the same line; nothing was applied."""

    code = "conflict"


class ConsentRequired(DomainError):
    """Account data was requested without standing consent for the purpose."""

    code = "consent_required"


class NotSignedIn(DomainError):
    """An account action was requested in a guest session."""

    code = "not_signed_in"


class ConversationNotYours(UsageError):
    """A conversation was resumed by someone other than its owner (another customer, or a
    guest resuming a customer's conversation). Nothing of it is shown or changed."""


class StorageError(AssistantError):
    """A store failed (disk full, locked, corrupt, unreachable). The message names the store
    and the file or database; nothing already stored was changed by the failed operation."""
