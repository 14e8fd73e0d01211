"""ORM models of the system of record (SQLAlchemy 2.x, typed).

Importing this package registers every table on ``Base.metadata``, which Alembic compares the
migrations against.
"""

from assistant.records.models.base import Base, UTCDateTime
from assistant.records.models.billing import BILL_CATEGORIES, Bill, BillItem, Payment, Usage
from assistant.records.models.catalog import Addon, Plan
from assistant.records.models.changes import AddonPurchase, PlanChangeRequest
from assistant.records.models.customers import Account, Customer, Line, Subscription
from assistant.records.models.ledgers import (
    APPEND_ONLY_TABLES,
    AuditEvent,
    ConsentRecord,
    Ticket,
)
from assistant.records.models.payments import PaymentMethod, PaymentRequest
from assistant.records.models.sessions import Conversation, SignInThrottle

__all__ = [
    "APPEND_ONLY_TABLES",
    "BILL_CATEGORIES",
    "Account",
    "Addon",
    "AddonPurchase",
    "AuditEvent",
    "Base",
    "Bill",
    "BillItem",
    "ConsentRecord",
    "Conversation",
    "Customer",
    "Line",
    "Payment",
    "PaymentMethod",
    "PaymentRequest",
    "Plan",
    "PlanChangeRequest",
    "SignInThrottle",
    "Subscription",
    "Ticket",
    "UTCDateTime",
    "Usage",
]
