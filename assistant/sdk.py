"""The Python SDK: ``Assistant`` builds everything once; ``Session`` is one conversation.

    from assistant import Assistant
    bot = Assistant()                          # embedded defaults, from settings
    s = bot.session(customer_id="C-1002")      # signed in; bot.session() is a guest
    r = s.ask("Does my plan include roaming in France?")
    r.text, r.citations, r.pending, r.tool_calls
    s.confirm(); s.decline()                   # resolve r.pending; each returns a Reply
    s.grant_consent("account_data"); s.withdraw_consent("account_data"); s.consents

The eval suite, the Gradio UI and the terminal chat all go through this module.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from typing import TYPE_CHECKING, Any, Final, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command

from assistant.agent import build_agent
from assistant.citations import TurnStream, renumber
from assistant.context import SessionContext
from assistant.contracts import Decision, ToolResult
from assistant.errors import UsageError
from assistant.failures import message_keys, report
from assistant.i18n import consent_notice, money
from assistant.i18n.language import detect_language
from assistant.inputs import check_customer_id, check_text
from assistant.messages import say
from assistant.privacy import Privacy
from assistant.replies import Citation, PendingConfirmation, PendingConsent, Reply
from assistant.services import Services
from assistant.settings import Settings, get_settings
from assistant.signin import SignIn
from assistant.turns import final_text, pending_of, tool_calls_of
from assistant.verify import TurnFacts, truthful_reply, verify_reply

if TYPE_CHECKING:
    from assistant.records.api import Records
    from knowledge.retrieval import KnowledgeBase

log = logging.getLogger("assistant.sdk")

#: Longest customer message accepted, in characters.
MAX_MESSAGE_CHARS = 4000
#: The conversation is checkpointed once per turn, when the graph stops (answered, paused
#: for the human, or failed), not after every step: the per-step writes were the largest
#: cost of a turn under concurrency. A process that dies mid-turn loses only that turn;
#: a write it had applied is keyed by its quote, so confirming again cannot apply it twice.
DURABILITY: Final = "exit"
T = TypeVar("T")
_END = object()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def turn_gate(settings: Settings) -> AbstractContextManager[Any]:
    """A gate letting ``settings.max_concurrent_turns`` turns run the graph at once.

    Unset, it is the number of CPU cores for the offline engine, whose turns are pure CPU:
    Python runs one thread at a time, so 32 turns interleaved on 2 cores only queue for the
    interpreter and for the checkpointer's lock (32 concurrent sessions measured ~25% more
    turns/s gated at 2 than ungated). Hosted models are not gated by default: their turns
    spend seconds waiting on the network.
    """
    limit = settings.max_concurrent_turns
    if limit is None:
        limit = (os.cpu_count() or 2) if settings.model_provider == "offline" else 0
    return threading.BoundedSemaphore(limit) if limit > 0 else nullcontext()


def gated(steps: Iterable[T], gate: AbstractContextManager[Any]) -> Iterator[T]:
    """Iterate ``steps`` holding ``gate`` only while the next item is being produced.

    The gate is never held across a ``yield``, so a slow reader of a stream cannot keep
    another session's turn waiting.
    """
    iterator = iter(steps)
    while True:
        with gate:
            item = next(iterator, _END)
        if item is _END:
            return
        yield item  # type: ignore[misc]


def _quote_summary(quote: dict[str, Any], language: str) -> str:
    """One line describing a quote for the confirmation prompt, in ``language``.

    Amounts are formatted as the offline engine formats them (``assistant.i18n.money``);
    dates stay as the quote wrote them (ISO), inside a phrase in the customer's language.
    """
    if quote.get("kind") in ("payment", "velapesa", "arrangement"):
        return _payment_summary(quote, language)
    raw = quote.get("addon")
    addon: dict[str, Any] = raw if isinstance(raw, dict) else {}
    name = quote.get("to_plan_name") or addon.get("name") or quote.get("to_plan_id", "")
    currency = quote.get("currency")
    parts = [str(name)]
    price = quote.get("new_monthly_price") or quote.get("price")
    if price is not None:
        parts.append(money(price, currency, language))
    for key in ("proration", "fees"):
        if quote.get(key) not in (None, "0", "0.00", 0):
            amount = money(quote[key], currency, language)
            parts.append(say(f"summary_{key}", language, amount=amount))
    if quote.get("effective_date"):
        parts.append(say("summary_effective", language, date=quote["effective_date"]))
    return ", ".join(parts)


def _payment_summary(quote: dict[str, Any], language: str) -> str:
    """The confirmation line of a payment, VelaPesa request or promise to pay."""
    amount = money(quote.get("amount"), quote.get("currency"), language)
    periods = ", ".join(sorted(quote.get("allocations") or {}))
    raw = quote.get("method")
    method: dict[str, Any] = raw if isinstance(raw, dict) else {}
    key = f"summary_{quote['kind']}"
    return say(key, language, amount=amount, periods=periods, last4=method.get("last4", ""),
               label=method.get("label", ""), date=quote.get("pay_by") or "")  # fmt: skip


class Assistant:
    """The assistant with its stores, knowledge base, model and agent graph, built once.

    Every dependency can be injected (tests pass fakes); by default each is built from
    settings: SQLite records, the on-disk Chroma index, MiniLM embeddings and the offline
    engine, so it runs with no network and no API key.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        records: Records | None = None,
        knowledge: KnowledgeBase | None = None,
        model: BaseChatModel | None = None,
        fallback_model: BaseChatModel | None = None,
        checkpointer: BaseCheckpointSaver | None = None,
        embeddings: Any = None,
        auto_setup: bool = True,
    ) -> None:
        from assistant import bootstrap

        self.settings = settings or get_settings()
        self._stack = ExitStack()
        #: Admission control: how many turns may run the graph at once (see ``turn_gate``).
        self.turns = turn_gate(self.settings)
        try:
            if auto_setup and records is None:
                bootstrap.ensure_database(self.settings)
            if records is None:
                from assistant.records.api import Records

                records = Records.from_settings(self.settings)
                # Its pooled connections are ours to close; records given to us are the caller's.
                self._stack.callback(records.engine.dispose)
            if knowledge is None:
                knowledge = bootstrap.open_knowledge(self.settings, embeddings, build=auto_setup)
            self.services = Services(records=records, knowledge=knowledge, settings=self.settings)
            if model is None:
                model = bootstrap.default_model(self.settings, knowledge, embeddings)
            if fallback_model is None and self.settings.model_fallback not in (
                None,
                self.settings.model_provider,
            ):
                fallback_model = bootstrap.model_for(
                    self.settings, self.settings.model_fallback, knowledge, embeddings
                )
            if checkpointer is None:
                from assistant.checkpoints import open_checkpointer

                checkpointer = open_checkpointer(self.settings, self._stack)
            # Redacted before it is stored; owners, retention and purge (assistant.privacy).
            self.checkpointer = checkpointer
            self.privacy = Privacy.start(self.records, checkpointer, self.settings, self._stack)
            #: Throttled sign-in for front ends (the UI); counts live in the records database.
            self.signin = SignIn(self.records, self.settings)
            self.graph = build_agent(self.services, model, checkpointer, fallback=fallback_model)
        except BaseException:
            self._stack.close()  # a half-built Assistant releases what it opened
            raise

    @property
    def records(self) -> Records:
        """The system-of-record facade (used by the UI's sign-in and panels)."""
        return self.services.records

    def session(
        self,
        customer_id: str | None = None,
        *,
        session_id: str | None = None,
        channel: str = "sdk",
        country: str | None = None,
        language: str | None = None,
    ) -> Session:
        """Open (or resume, by ``session_id``) a conversation; no customer means a guest.

        ``language`` ('en' or 'es') is a guest's choice (a front end's language switch); a
        signed-in customer's comes from their profile.
        """
        language = language if language is not None and language in ("en", "es") else "en"
        segment = None
        if customer_id is not None:
            customer = self.records.get_customer(check_customer_id(customer_id))  # or NotFound
            customer_id = customer.id  # the stored spelling ("C-1003 " is C-1003)
            country, segment, language = customer.country, customer.segment, customer.language
        context = SessionContext(
            session_id=session_id or uuid.uuid4().hex,
            customer_id=customer_id,
            country=country,
            segment=segment,
            language=language,
            channel=channel,
        )
        # The owner is checked on every resume: ConversationNotYours for anyone else.
        self.privacy.claim(context.session_id, customer_id, channel)
        return Session(self, context)

    def close(self) -> None:
        """Release the checkpointer's connection and the records' pool, if we opened them."""
        self._stack.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Session:
    """One conversation with one (possibly guest) customer; resumable by ``session_id``."""

    def __init__(self, assistant: Assistant, context: SessionContext) -> None:
        self._assistant = assistant
        self.context = context
        self.last_reply: Reply | None = None
        self._touched: Any = None  # when activity was last recorded (see Privacy.touch)
        #: The customer pressed Allow in this call: a reply may say consent was given.
        self._granted_now = False

    # -- identity -------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        """The id to resume this conversation with."""
        return self.context.session_id

    @property
    def customer_id(self) -> str | None:
        """The signed-in customer, or None for a guest."""
        return self.context.customer_id

    @property
    def _config(self) -> RunnableConfig:
        return {"configurable": {"thread_id": self.session_id}, "recursion_limit": 25}

    def _messages(self) -> list[Any]:
        state = self._assistant.graph.get_state(self._config)
        return list(state.values.get("messages", [])) if state.values else []

    @property
    def pending(self) -> PendingConsent | PendingConfirmation | None:
        """The consent request or write confirmation waiting for the human, if any."""
        return pending_of(self._assistant.graph.get_state(self._config).interrupts)

    def greeting(self) -> str:
        """The AI disclosure shown before the first message."""
        return say("disclosure", self.context.language)

    # -- turns ----------------------------------------------------------------------------

    def _validate(self, text: Any) -> str:
        if not isinstance(text, str):
            raise UsageError(f"message must be a str, got {type(text).__name__}")
        cleaned = _CONTROL.sub("", check_text(text)).strip()
        if not cleaned:
            raise UsageError("message is empty")
        if len(cleaned) > MAX_MESSAGE_CHARS:
            raise UsageError(
                f"message is {len(cleaned)} characters; the limit is {MAX_MESSAGE_CHARS}"
            )
        return cleaned

    def _turn_start(self) -> int:
        """Index of the current human turn's message (a resumed pause belongs to it)."""
        messages = self._messages()
        for index in range(len(messages) - 1, -1, -1):
            if isinstance(messages[index], HumanMessage):
                return index
        return len(messages)

    def _prepare(self, text: Any) -> tuple[str, str, int]:
        """Validate a new message, decline any pending pause; return (message, language,
        number of messages before this turn). One state read on the usual path."""
        message = self._validate(text)
        self._touched = self._assistant.privacy.touch(self.session_id, self._touched)
        state = self._assistant.graph.get_state(self._config)
        if pending_of(state.interrupts) is not None:
            self.decline()  # typing instead of pressing a button means "not now"
            state = self._assistant.graph.get_state(self._config)
        before = len(state.values.get("messages", [])) if state.values else 0
        return message, detect_language(message, default=self.context.language), before

    def _run(
        self, graph_input: Any, language: str, first: bool, *, before: int | None = None
    ) -> Reply:
        if before is None:  # resuming a pause: the reply covers the whole human turn
            before = self._turn_start()
        error = None
        final = None
        try:
            with self._assistant.turns:
                final = self._assistant.graph.invoke(
                    graph_input, self._config, context=self.context, durability=DURABILITY
                )
        except UsageError:
            raise
        except Exception as exc:  # a failed turn ends with a reply saying what happened
            error = report(exc, self.session_id)
        return self._reply(before, language, first, error, final)

    def _reply(
        self,
        before: int,
        language: str,
        first: bool,
        error: str | None,
        final: dict[str, Any] | None = None,
    ) -> Reply:
        """The Reply for the turn that started at message ``before``.

        ``final`` is what ``invoke`` returned (the state, with any pause under
        ``__interrupt__``); without it (a failed or streamed turn) the state is read back.
        """
        if isinstance(final, dict) and "messages" in final:
            messages, interrupts = final["messages"], final.get("__interrupt__", ())
        else:
            state = self._assistant.graph.get_state(self._config)
            messages = state.values.get("messages", []) if state.values else []
            interrupts = state.interrupts
        turn = list(messages)[before:]
        calls = tool_calls_of(turn)
        granted, self._granted_now = self._granted_now, False
        verdict = None
        pending = pending_of(interrupts)
        text = final_text(turn) if pending is None else ""
        citations: list[Citation] = []  # only the model's own text cites passages
        if error:
            refs = [
                c.result.get("reference")
                for c in calls
                if isinstance(c.result, dict) and c.result.get("reference")
            ]
            plain, after_write = message_keys(error)
            text = (
                say(after_write, language, reference=refs[-1]) if refs else say(plain, language)
            )
        elif isinstance(pending, PendingConsent):
            title, _ = consent_notice(pending.version, language, pending.title, pending.notice)
            text = say("consent_request", language, title=title, version=pending.version)
        elif isinstance(pending, PendingConfirmation):
            summary = _quote_summary(pending.quote, language)
            text = say("confirmation_request", language, summary=summary)
        elif not text.strip():  # e.g. the model sent only malformed tool calls
            text = say("empty_turn", language)
        else:
            # The model cites passages by the search's numbers; the customer sees 1..n.
            text, citations = renumber(text, calls)
            head = turn[0] if turn else None
            facts = TurnFacts(
                calls=calls,
                user_text=head.text if isinstance(head, HumanMessage) else "",
                earlier_calls=tool_calls_of(list(messages)[:before]),
                consent_granted=granted,
            )
            verdict = verify_reply(text, facts, citations)
            if not verdict.ok:
                # No reply text in the log: it may hold what the customer wrote.
                log.warning("verifier_replaced", extra={"reasons": list(verdict.reasons)})
                text, citations = truthful_reply(facts, language), []
        if first:
            text = f"{say('disclosure', language)}\n\n{text}"
        reply = Reply(
            text=text,
            citations=citations,
            pending=pending,
            tool_calls=calls,
            session_id=self.session_id,
            error=error,
            replaced=list(verdict.reasons) if verdict is not None else [],
        )
        self.last_reply = reply
        log.info(
            "turn",
            extra={
                "session": self.session_id[:8],
                "tools": [f"{c.name}:{c.outcome}" for c in calls],
                "pending": pending.kind if pending else None,
                "error": error,
                "verified": None if verdict is None else verdict.ok,
            },
        )
        return reply

    def ask(self, text: str) -> Reply:
        """Send a customer message and return the assistant's reply.

        If a consent request or confirmation is still pending, a new message means "not now":
        the pending item is declined first (a typed "yes" never confirms anything).
        """
        message, language, before = self._prepare(text)
        return self._run(
            {"messages": [HumanMessage(message)]}, language, before == 0, before=before
        )

    async def aask(self, text: str) -> Reply:
        """Async ``ask`` (runs the turn in a worker thread)."""
        return await asyncio.to_thread(self.ask, text)

    def stream(self, text: str) -> Iterator[str]:
        """Yield the reply text as it is produced; the full Reply is then ``last_reply``.

        Real LLMs stream token by token; the offline engine answers at once and its text is
        yielded in word groups. Citation markers are renumbered as they stream, the same way
        as in ``last_reply`` (a piece that may be the start of a marker waits for the next).
        """
        message, language, before = self._prepare(text)
        first = before == 0
        if first:
            yield say("disclosure", language) + "\n\n"
        streamed = False
        error = None
        cites = TurnStream()
        try:
            # stream_mode="messages" yields (chunk, metadata) pairs; langgraph types every
            # item as ``dict | Any``, hence the ignore on ``meta.get`` below.
            steps = self._assistant.graph.stream(
                {"messages": [HumanMessage(message)]},
                self._config,
                context=self.context,
                stream_mode="messages",
                durability=DURABILITY,
            )
            for chunk, meta in gated(steps, self._assistant.turns):
                piece = ""
                if isinstance(chunk, ToolMessage):
                    piece = cites.tool_result(chunk.name, ToolResult.read(chunk.artifact).data)
                elif (
                    isinstance(chunk, AIMessageChunk)
                    and not chunk.tool_call_chunks
                    and meta.get("langgraph_node") == "model"  # type: ignore[union-attr]
                    and chunk.text
                ):
                    streamed = True
                    piece = cites.text(chunk.id, chunk.text)
                if piece:
                    yield piece
            if piece := cites.end():
                yield piece
        except Exception as exc:  # a failed turn ends with a reply saying what happened
            error = report(exc, self.session_id)
        reply = self._reply(before, language, first, error)
        if streamed and reply.replaced:
            # The model's text already went out; the verified reply follows it. Readers that
            # show ``last_reply`` at the end (the UI does) show only the verified text.
            yield "\n\n"
        if not streamed or reply.pending is not None or error or reply.replaced:
            body = reply.text.split("\n\n", 1)[1] if first and "\n\n" in reply.text else reply.text
            words = body.split(" ")
            for i in range(0, len(words), 4):
                yield " ".join(words[i : i + 4]) + (" " if i + 4 < len(words) else "")

    # -- resolving a pause -----------------------------------------------------------------

    def _resume(self, pending: PendingConsent | PendingConfirmation, decision: Decision) -> Reply:
        value = decision.model_dump(mode="json")  # the checkpoint stores plain data
        resume = {pending.interrupt_id: value} if pending.interrupt_id else value
        return self._run(Command(resume=resume), self.context.language, first=False)

    def confirm(self) -> Reply:
        """Allow the pending consent request, or confirm the pending change."""
        pending = self.pending
        if isinstance(pending, PendingConsent):
            self.grant_consent(pending.purpose, notice_version=pending.version)
            self._granted_now = True
            return self._resume(pending, Decision(decision="allow"))
        if isinstance(pending, PendingConfirmation):
            return self._resume(pending, Decision(decision="confirm", quote_id=pending.quote_id))
        raise UsageError("nothing is pending: there is no consent request or confirmation")

    def decline(self) -> Reply:
        """Decline the pending consent request ("not now") or cancel the pending change."""
        pending = self.pending
        if pending is None:
            raise UsageError("nothing is pending: there is no consent request or confirmation")
        return self._resume(pending, Decision(decision="decline"))

    # -- consent ----------------------------------------------------------------------------

    def _require_customer(self) -> str:
        if self.customer_id is None:
            raise UsageError("consent belongs to a signed-in customer; this is a guest session")
        return self.customer_id

    def grant_consent(self, purpose: str = "account_data", notice_version: str | None = None):
        """Record the customer's opt-in for ``purpose`` (current notice version by default)."""
        records = self._assistant.records
        if notice_version is None:
            versions = {p.purpose: p.version for p in records.consent_purposes()}
            # An unknown purpose is left for the ledger to reject with a clear error.
            notice_version = versions.get(purpose, "")
        return records.grant_consent(
            self._require_customer(), purpose, notice_version, channel=self.context.channel
        )

    def withdraw_consent(self, purpose: str = "account_data"):
        """Withdraw consent for ``purpose``; takes effect at once, in this one call."""
        return self._assistant.records.withdraw_consent(
            self._require_customer(), purpose, channel=self.context.channel
        )

    @property
    def consents(self) -> dict[str, Any]:
        """Current consent state per purpose (empty for guests)."""
        if self.customer_id is None:
            return {}
        return self._assistant.records.consent_state(self.customer_id)

    # -- end of session -----------------------------------------------------------------------

    def close(self) -> None:
        """End the session; the transcript is deleted unless transcript retention is granted
        (then it is kept for ``transcript_retention_days`` and purged after)."""
        self._assistant.privacy.close(self.session_id)
