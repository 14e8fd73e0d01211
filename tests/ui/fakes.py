"""A scripted stand-in for the SDK surface the UI drives (Assistant, Session, Records).

It returns the real reply and view types, so a shape the UI misreads fails here too. Scripts:
"bill" needs account consent and then shows a bill; "switch" needs consent, then quotes a plan
change that waits for confirmation; anything else is a cited plan answer.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from assistant.errors import UsageError
from assistant.records.views import (
    AccountOverview,
    BillSummary,
    ConsentPurpose,
    ConsentState,
    CustomerView,
    LineUsage,
    LineView,
    TicketView,
)
from assistant.replies import Citation, PendingConfirmation, PendingConsent, Reply, ToolCallRecord
from assistant.settings import Settings
from assistant.signin import SignInResult

GREETING = "Hi, I'm a test assistant. I'm an AI."
PURPOSES = [
    ConsentPurpose(
        purpose="account_data", title="Use my account data", notice="We read it.", version="AD-1"
    ),
    ConsentPurpose(
        purpose="transcript_retention", title="Keep a transcript", notice="90 days.", version="TR-1"
    ),
]
CUSTOMERS = {
    "C-1": ("ann@test", "pw-ann", "Ann Archer", "GB", "GBP", Decimal("42.10")),
    "C-2": ("bea@test", "pw-bea", "Bea Bravo", "ES", "EUR", Decimal("17.55")),
}
LANGUAGES = {"C-1": "en", "C-2": "es"}
QUOTE = {
    "quote_id": "Q-1",
    "from_plan_name": "Plus 30GB",
    "to_plan_name": "Unlimited Max",
    "to_plan_id": "GB-UNLIMITED-MAX",
    "msisdn_masked": "+44 7*** ***123",
    "currency": "GBP",
    "new_monthly_price": "35.00",
    "old_monthly_price": "25.00",
    "price_includes_tax": False,
    "proration": "3.33",
    "fees": "0.00",
    "effective_date": "2026-11-20",
    "expires_at": "2026-11-20T10:30:00Z",
    "notes": ["Your minimum term restarts."],
}
CITATION = Citation(
    number=1,
    doc_id="plan-gb-unl-max",
    title="Unlimited Max <plan sheet>",
    section="Roaming",
    snippet="EU roaming is included at no extra cost.",
)


class FakeRecords:
    """Customers, consent ledger and tickets in memory."""

    def __init__(self) -> None:
        self.granted: dict[tuple[str, str], bool] = {}
        self.tickets = itertools.count(1)

    def authenticate(self, email: str, password: str) -> CustomerView | None:
        for cid, (mail, pw, *_rest) in CUSTOMERS.items():
            if (mail, pw) == (email, password):
                return self.get_customer(cid)
        return None

    def get_customer(self, customer_id: str) -> CustomerView:
        mail, _pw, name, country, currency, _total = CUSTOMERS[customer_id]
        return CustomerView(
            id=customer_id,
            name=name,
            contact_name=None,
            email=mail,
            segment="consumer",
            country=country,
            language=LANGUAGES[customer_id],
            currency=currency,
        )

    def consent_purposes(self) -> list[ConsentPurpose]:
        return list(PURPOSES)

    def consent_state(self, customer_id: str) -> dict[str, ConsentState]:
        return {
            p.purpose: ConsentState(
                purpose=p.purpose,
                granted=self.granted.get((customer_id, p.purpose), False),
                notice_version=p.version,
                channel="ui",
                since=datetime(2026, 11, 20, tzinfo=UTC)
                if (customer_id, p.purpose) in self.granted
                else None,
            )
            for p in PURPOSES
        }

    def set(self, customer_id: str, purpose: str, granted: bool) -> None:
        self.granted[(customer_id, purpose)] = granted

    def account_overview(self, customer_id: str) -> AccountOverview:
        customer = self.get_customer(customer_id)
        total = CUSTOMERS[customer_id][5]
        bill = BillSummary(
            period="2026-10",
            issue_date=date(2026, 11, 1),
            due_date=date(2026, 11, 28),
            status="issued",
            currency=customer.currency,
            total=total,
            amount_paid=Decimal(0),
            balance_due=total,
        )
        line = LineView(
            line_id="L-1",
            msisdn_masked="+44 7*** ***123",
            status="active",
            suspension_reason=None,
            plan_id="P",
            plan_name="Plus 30GB",
            monthly_price=Decimal("25.00"),
            contract_end=date(2027, 3, 31),
            in_minimum_term=True,
            pending_plan_id=None,
            pending_effective_date=None,
        )
        return AccountOverview(
            customer=customer,
            account_id="A-1",
            billing_type="postpaid",
            status="active",
            currency=customer.currency,
            prepaid_balance=None,
            lines=[line],
            latest_bill=bill,
            overdue_bills=[],
            arrears=Decimal(0),
        )

    def current_usage(self, customer_id: str) -> list[LineUsage]:
        return [
            LineUsage(
                line_id="L-1",
                msisdn_masked="+44 7*** ***123",
                cycle="2026-11",
                cycle_ends=date(2026, 11, 30),
                plan_id="P",
                data_used_mb=3072,
                data_allowance_mb=30720,
                data_used_percent=10,
                minutes_used=120,
                minutes_allowance=None,
                sms_used=3,
                sms_allowance=None,
                roaming_mb={},
                roaming_included_zones=["EU"],
            )
        ]

    def open_ticket(
        self, customer_id: str | None, topic: str, summary: str, *, actor: str = "assistant"
    ) -> TicketView:
        return TicketView(
            reference=f"TK-{next(self.tickets)}",
            customer_id=customer_id,
            topic=topic,
            summary=summary,
            status="open",
            created_at=datetime(2026, 11, 20, tzinfo=UTC),
        )


class FakeSession:
    """One scripted conversation."""

    def __init__(
        self, assistant: FakeAssistant, customer_id: str | None, language: str | None = None
    ) -> None:
        self.records = assistant.records
        self.customer_id = customer_id
        self.language = language
        self.session_id = uuid.uuid4().hex
        self.last_reply: Reply | None = None
        self.pending: PendingConsent | PendingConfirmation | None = None
        self.after_consent = ""
        self.turns = 0
        self.closed = False

    def greeting(self) -> str:
        return GREETING

    def _answer(self, text: str) -> Reply:
        if ("bill" in text or "switch" in text) and self.customer_id is None:
            return Reply(text="Please sign in for account help.")
        if ("bill" in text or "switch" in text) and not self.consents["account_data"].granted:
            self.after_consent = text
            p = PURPOSES[0]
            self.pending = PendingConsent(
                purpose=p.purpose, title=p.title, notice=p.notice, version=p.version
            )
            return Reply(
                text="May I use your account data?",
                pending=self.pending,
                tool_calls=[ToolCallRecord(name="get_bill", args={}, outcome="pending")],
            )
        if "bill" in text:
            total = CUSTOMERS[self.customer_id or ""][5]
            call = ToolCallRecord(
                name="get_bill",
                args={"period": "2026-10"},
                outcome="ok",
                result={
                    "period": "2026-10",
                    "total": str(total),
                    "currency": "GBP",
                    "due_date": "2026-11-28",
                },
            )
            return Reply(text=f"Your October bill is {total}.", tool_calls=[call])
        if "switch" in text:
            self.pending = PendingConfirmation(action="change_plan", quote_id="Q-1", quote=QUOTE)
            return Reply(text="Please confirm the change.", pending=self.pending)
        call = ToolCallRecord(
            name="search_knowledge",
            args={"query": text},
            outcome="ok",
            result={"passages": [{"title": CITATION.title}]},
        )
        return Reply(
            text="Unlimited Max includes EU roaming [1].", citations=[CITATION], tool_calls=[call]
        )

    def stream(self, text: str) -> Iterator[str]:
        if len(text) > 50:
            raise UsageError("message is too long")
        self.turns += 1
        reply = self._answer(text)
        if self.turns == 1:
            yield GREETING + "\n\n"
            reply = reply.model_copy(update={"text": f"{GREETING}\n\n{reply.text}"})
        for word in reply.text.split(" ")[-4:]:
            yield word + " "
        self.last_reply = reply

    def confirm(self) -> Reply:
        pending, self.pending = self.pending, None
        if isinstance(pending, PendingConsent):
            self.grant_consent(pending.purpose)
            reply = self._answer(self.after_consent)
        elif isinstance(pending, PendingConfirmation):
            call = ToolCallRecord(
                name="change_plan",
                args={"quote_id": "Q-1"},
                outcome="ok",
                result={"reference": "PC-1001"},
            )
            reply = Reply(text="Done. Your reference is PC-1001.", tool_calls=[call])
        else:
            raise UsageError("nothing is pending")
        self.last_reply = reply
        return reply

    def decline(self) -> Reply:
        if self.pending is None:
            raise UsageError("nothing is pending")
        self.pending = None
        self.last_reply = Reply(text="OK, nothing was changed.")
        return self.last_reply

    def grant_consent(self, purpose: str = "account_data") -> None:
        self.records.set(self._who(), purpose, True)

    def withdraw_consent(self, purpose: str = "account_data") -> None:
        self.records.set(self._who(), purpose, False)

    def _who(self) -> str:
        if self.customer_id is None:
            raise UsageError("guest session")
        return self.customer_id

    @property
    def consents(self) -> dict[str, ConsentState]:
        return {} if self.customer_id is None else self.records.consent_state(self.customer_id)

    def close(self) -> None:
        self.closed = True


class FakeSignIn:
    """Sign-in without throttling (throttling is tested on the real records)."""

    def __init__(self, records: FakeRecords) -> None:
        self.records = records

    def clock(self) -> datetime:
        return datetime.now(UTC)

    def attempt(self, email: str, password: str, client: str | None = None) -> SignInResult:
        return SignInResult(customer=self.records.authenticate(email, password))


class FakeAssistant:
    """The Assistant surface: settings, records and sessions."""

    def __init__(self) -> None:
        self.settings = Settings(data_dir="/nonexistent-ui-test", _env_file=None)
        self.records = FakeRecords()
        self.sessions: list[FakeSession] = []
        self.signin = FakeSignIn(self.records)

    def session(
        self, customer_id: str | None = None, *, channel: str = "sdk", language: str | None = None
    ) -> FakeSession:
        assert channel == "ui"
        session = FakeSession(self, customer_id, language)
        self.sessions.append(session)
        return session
