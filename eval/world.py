"""The evaluation world: what is built once per run, and the fresh sandbox each case gets.

Built once: the seeded template database, the knowledge index (opened read-only), the chat
model (with the token meter attached), the conversation checkpointer and the tool declarations.
Per case: a copy of the template database in a temporary directory, and an ``Assistant`` built
on it through the SDK's public constructor (its own Records facade; the run's index, model and
checkpointer, where each case's conversation has its own session id), so no case can see
another's writes and cases could run side by side. Building one costs tens of milliseconds:
the tools' argument schemas are built once per process (``assistant.tools.base``).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel

from assistant.settings import Settings
from eval.checks.identity import People, load_people
from eval.meter import TokenMeter

if TYPE_CHECKING:
    from assistant.records.api import Records
    from assistant.sdk import Assistant
    from assistant.tools.base import ToolSpec

#: The channel every eval session and every consent decision is recorded with.
CHANNEL = "eval"


@dataclass
class Sandbox:
    """One case's private copy of the system of record, and the assistant wired to it."""

    settings: Settings
    records: Records
    assistant: Assistant
    data_dir: Path | None = None
    """The case's own copy of the database lives here (the red team greps it for PII)."""


@dataclass
class World:
    """Shared, read-only resources of one evaluation run."""

    settings: Settings
    workdir: Path
    template_db: Path
    knowledge: Any
    model: BaseChatModel
    meter: TokenMeter
    tool_specs: dict[str, ToolSpec]
    people: People
    embeddings: Any = None
    checkpointer: Any = None
    """One conversation store for the run (a new one per case would cost a file per case)."""
    gold_states: dict[str, Any] = field(default_factory=dict, repr=False)
    """Expected end states by (persona, setup, gold), replayed once per run."""
    _poisoned: Any = field(default=None, repr=False)
    _count: int = field(default=0, repr=False)
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)

    @classmethod
    def open(
        cls,
        settings: Settings,
        workdir: Path,
        *,
        knowledge: Any = None,
        model: BaseChatModel | None = None,
        seeded_db: Path | None = None,
    ) -> World:
        """Seed the template, open the index and build the model, each exactly once.

        Tests inject ``knowledge``, ``model`` and an already ``seeded_db`` to copy from.
        """
        from assistant import bootstrap
        from assistant.checkpoints import open_checkpointer

        workdir.mkdir(parents=True, exist_ok=True)
        template = workdir / "template"
        if seeded_db is None:
            template_db = seed_template(settings, template)
        else:
            template.mkdir(parents=True, exist_ok=True)
            template_db = template / "telco.db"
            shutil.copyfile(seeded_db, template_db)
        if knowledge is None:
            knowledge = bootstrap.open_knowledge(settings)
        embeddings = getattr(knowledge, "embeddings", None)
        if model is None:
            model = bootstrap.default_model(settings, knowledge, embeddings)
        # The offline engine loads its intent model on first use; doing it now keeps that
        # one-off cost out of the first case's latency.
        warm = getattr(model, "warm", None)
        if callable(warm):
            warm()
        meter = TokenMeter()
        meter.attach(model)
        specs, people = _inspect_template(settings, template)
        stack = ExitStack()
        store = settings.model_copy(update={"data_dir": workdir, "database_url": None})
        return cls(
            settings=settings,
            workdir=workdir,
            template_db=template_db,
            knowledge=knowledge,
            model=model,
            meter=meter,
            tool_specs=specs,
            people=people,
            embeddings=embeddings,
            checkpointer=open_checkpointer(store, stack),
            _stack=stack,
        )

    def case_settings(self, data_dir: Path) -> Settings:
        """Settings of one case: its own SQLite copy, the shared index, the run's model."""
        return self.settings.model_copy(
            update={
                "data_dir": data_dir,
                "database_url": None,
                "index_dir": self.settings.resolved_index_dir(),
            }
        )

    def fresh_records(self, name: str) -> tuple[Records, Path]:
        """A Records facade on a new copy of the template database (caller disposes it)."""
        from assistant.records.api import Records

        self._count += 1
        data_dir = self.workdir / "cases" / f"{self._count:05d}-{name}"
        data_dir.mkdir(parents=True)
        shutil.copyfile(self.template_db, data_dir / "telco.db")
        return Records.from_settings(self.case_settings(data_dir)), data_dir

    @contextmanager
    def sandbox(
        self, name: str, *, poisoned: bool = False, model: BaseChatModel | None = None
    ) -> Iterator[Sandbox]:
        """A fresh database copy and an Assistant of its own on it, for one case. ``model``
        replaces the run's model (the red team's adversarial model)."""
        from assistant.sdk import Assistant

        records, data_dir = self.fresh_records(name)
        settings = self.case_settings(data_dir)
        knowledge = self.poisoned_knowledge() if poisoned else self.knowledge
        try:
            bot = Assistant(
                settings,
                records=records,
                knowledge=knowledge,
                model=model or self.model,
                checkpointer=self.checkpointer,
                auto_setup=False,
            )
            try:
                yield Sandbox(settings=settings, records=records, assistant=bot, data_dir=data_dir)
            finally:
                bot.close()
        finally:
            records.engine.dispose()  # records given to the Assistant are ours to close
            shutil.rmtree(data_dir, ignore_errors=True)

    @contextmanager
    def scratch_records(self, name: str) -> Iterator[Records]:
        """Records on a fresh copy without an assistant (gold replays)."""
        records, data_dir = self.fresh_records(name)
        try:
            yield records
        finally:
            records.engine.dispose()
            shutil.rmtree(data_dir, ignore_errors=True)

    def poisoned_knowledge(self) -> Any:
        """The temporary index with the planted documents (built on first use, then reused)."""
        if self._poisoned is None:
            from eval.poison import open_poisoned_index

            self._poisoned = open_poisoned_index(
                self.settings, self.workdir / "poisoned", self.embeddings
            )
        return self._poisoned

    def close(self) -> None:
        """Close the conversation store and remove the run's temporary files (each case closed
        its own Assistant)."""
        self._stack.close()
        shutil.rmtree(self.workdir / "cases", ignore_errors=True)


def seed_template(settings: Settings, directory: Path) -> Path:
    """Migrate and seed a template database once; return the single-file copy source."""
    from assistant.bootstrap import ensure_database

    directory.mkdir(parents=True, exist_ok=True)
    template_settings = settings.model_copy(update={"data_dir": directory, "database_url": None})
    ensure_database(template_settings)
    path = directory / "telco.db"
    # Fold the write-ahead log into the file so a plain copy carries every row.
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _inspect_template(settings: Settings, directory: Path) -> tuple[dict[str, ToolSpec], People]:
    """Read the tool declarations and who owns which ids, from the template."""
    from assistant.records.api import Records
    from assistant.services import Services
    from assistant.tools import build_tools, tool_spec

    template_settings = settings.model_copy(update={"data_dir": directory, "database_url": None})
    records = Records.from_settings(template_settings)
    try:
        services = Services(records=records, knowledge=None, settings=template_settings)
        specs = {t.name: tool_spec(t) for t in build_tools(services)}
        people = load_people(records.engine)
    finally:
        records.engine.dispose()
    return specs, people
