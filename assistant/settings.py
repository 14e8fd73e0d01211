"""The one settings object: typed, documented field by field, read once at the edge.

Every field is read from an environment variable named ``TELCO_<FIELD>`` (for example
``TELCO_DATABASE_URL``) or from an optional ``.env`` file in the working directory.
Nothing else in the code reads the environment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The instant the demo world is frozen at. Seeded bills, usage cycles and quotes are
#: consistent with it, so the demo behaves the same on every machine and every day.
DEMO_CLOCK = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

Provider = Literal["offline", "openai", "azure", "openai-compatible"]


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the environment variable."""


class Settings(BaseSettings):
    """Runtime configuration of the assistant, its stores and its model provider."""

    model_config = SettingsConfigDict(
        env_prefix="TELCO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    profile: Literal["demo", "production"] = Field(
        default="demo",
        description="'demo' (the default, what `make run` starts): an empty database is "
        "seeded with the demo world, the clock is frozen at the demo instant unless "
        "TELCO_CLOCK says otherwise, and sessions are signed with a per-process key. "
        "'production': the system clock, never a seed (a missing or empty database is an "
        "error naming it and `python -m assistant db migrate`), no demo credentials allowed "
        "in the database, and TELCO_SESSION_SECRET required.",
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Where the embedded stores live (SQLite files, Chroma index, checkpoints). "
        "Relative paths are resolved against the working directory; git-ignored by default.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the operator's system of record. Default: a SQLite file "
        "`telco.db` in data_dir. Use postgresql+psycopg://... for PostgreSQL.",
    )
    index_dir: Path | None = Field(
        default=None,
        description="Directory of the persistent Chroma index. Default: data_dir/index.",
    )
    chroma_host: str | None = Field(
        default=None,
        description="Host of a Chroma server; when set the index lives there instead of on disk.",
    )
    chroma_port: int = Field(default=8000, description="Port of the Chroma server.")
    clock: str | None = Field(
        default=None,
        description="'demo' freezes time at the demo world's instant (2026-11-20T10:00Z), "
        "'system' uses the real clock, or an ISO-8601 instant pins it elsewhere. Default: "
        "'demo' in the demo profile, 'system' in production (which accepts nothing else).",
    )

    model_provider: Provider = Field(
        default="offline",
        description="Chat model: offline (deterministic, no network), openai, azure, "
        "or openai-compatible (vLLM, Ollama, llama.cpp... at model_base_url).",
    )
    model_name: str = Field(
        default="gpt-4o-mini",
        description="Model name (OpenAI / compatible servers) or deployment name (Azure).",
    )
    model_base_url: str | None = Field(
        default=None,
        description="Base URL for openai-compatible servers, e.g. http://127.0.0.1:8000/v1.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        description="API key for openai (and openai-compatible servers that need one).",
    )
    azure_endpoint: str | None = Field(
        default=None, description="Azure OpenAI endpoint, e.g. https://NAME.openai.azure.com."
    )
    azure_api_key: SecretStr | None = Field(default=None, description="Azure OpenAI API key.")
    azure_api_version: str = Field(default="2024-10-21", description="Azure OpenAI API version.")
    model_timeout_s: float = Field(default=30.0, gt=0, description="Per-request model timeout.")
    model_max_retries: int = Field(
        default=2, ge=0, le=10, description="Retries on timeouts, 429 and 5xx before failing."
    )
    model_fallback: Provider | None = Field(
        default=None,
        description="Provider to fall back to when the primary fails after retries "
        "(e.g. 'offline', so customers still get grounded answers).",
    )
    max_concurrent_turns: int | None = Field(
        default=None,
        ge=0,
        description="How many turns may run at once in one process; more wait their turn. "
        "Default: the number of CPU cores with the offline engine (its turns are pure CPU, "
        "and Python runs one thread at a time), no limit with a hosted model (its turns wait "
        "on the network). 0 means no limit.",
    )
    token_budget: int = Field(
        default=6000,
        ge=500,
        description="Max prompt tokens (cl100k_base) for history plus retrieved context.",
    )

    embedding_provider: Literal["minilm", "openai", "azure"] = Field(
        default="minilm",
        description="Embeddings for the knowledge index: minilm (bundled, offline), "
        "openai or azure.",
    )
    embedding_model: str = Field(
        default="text-embedding-3-small",
        description="Embedding model (openai) or deployment (azure); ignored for minilm.",
    )
    model_cache_dir: Path | None = Field(
        default=None,
        description="Where the MiniLM ONNX graph, exported once from the bundled weights, is "
        "kept. Default: ~/.cache/vela-assistant/models.",
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log level of the structured (JSON) logs."
    )
    ui_host: str = Field(default="127.0.0.1", description="Host the Gradio UI binds to.")
    ui_port: int = Field(default=7860, ge=1, le=65535, description="Port of the Gradio UI.")

    session_secret: SecretStr | None = Field(
        default=None,
        description="Key that signs the UI's browser cookie (at least 32 characters). "
        "Required in production, so sessions survive a restart and every worker accepts "
        "them; in the demo profile a random key is made per process.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        description="A UI session idle this long expires ('please sign in again'); an SDK "
        "conversation left open this long by a stopped process counts as ended (deleted "
        "unless transcript retention consent was given).",
    )
    transcript_retention_days: int = Field(
        default=90,
        ge=1,
        description="How long a conversation kept under transcript retention consent is "
        "kept after it ends. The privacy notice (notice TR-2026.09) promises 90 days.",
    )
    signin_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins allowed per account, and (times four) per client "
        "address, within signin_window_minutes before that account or client is locked.",
    )
    signin_window_minutes: int = Field(
        default=15, ge=1, description="Window in which failed sign-ins are counted."
    )
    signin_lockout_minutes: int = Field(
        default=15, ge=1, description="How long a locked account or client is refused."
    )
    api_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key (at least 32 characters) the HTTP API signs and checks its demo "
        "bearer tokens with (HS256). Every worker must share it. Required by "
        "`python -m assistant serve` unless api_jwt_public_key_file or api_jwks_file is set.",
    )
    api_token_ttl_s: int = Field(
        default=3600, ge=60, le=86400, description="Lifetime of a demo bearer token, in seconds."
    )
    api_jwt_public_key_file: Path | None = Field(
        default=None,
        description="PEM public key of the operator's identity provider. When set (or "
        "api_jwks_file), bearer tokens are verified against it (RS256/ES256) and the demo "
        "sign-in endpoint is off.",
    )
    api_jwks_file: Path | None = Field(
        default=None,
        description="JWKS file of the operator's identity provider; the token's `kid` picks "
        "the key. Same effect as api_jwt_public_key_file.",
    )
    api_jwt_issuer: str | None = Field(
        default=None, description="Required `iss` of identity-provider tokens (unchecked if unset)."
    )
    api_jwt_audience: str | None = Field(
        default=None, description="Required `aud` of identity-provider tokens (unchecked if unset)."
    )
    api_max_body_bytes: int = Field(
        default=65536,
        ge=1024,
        description="Largest HTTP request body the API reads; larger ones get 413.",
    )
    api_turn_lease_s: float = Field(
        default=120.0,
        gt=0,
        description="How long a running turn holds its conversation's lease in the database; "
        "a worker that dies mid-turn frees the conversation after this long.",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/gRPC endpoint traces are exported to (e.g. http://127.0.0.1:4317). "
        "Unset: traces are made (trace ids in the logs) but not exported.",
    )

    @field_validator("clock")
    @classmethod
    def _check_clock(cls, value: str | None) -> str | None:
        if value is not None and value not in ("demo", "system"):
            try:
                datetime.fromisoformat(value)
            except ValueError as exc:
                raise ValueError(
                    "TELCO_CLOCK must be 'demo', 'system' or an ISO-8601 instant"
                ) from exc
        return value

    # -- derived values --------------------------------------------------------------

    def resolved_data_dir(self) -> Path:
        """The data directory as an absolute path (created on first use by the stores)."""
        return self.data_dir.expanduser().resolve()

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'telco.db'}"

    def resolved_index_dir(self) -> Path:
        """Directory of the on-disk Chroma index."""
        return (self.index_dir or self.resolved_data_dir() / "index").expanduser().resolve()

    @model_validator(mode="after")
    def _check_profile(self) -> Settings:
        if self.profile == "production":
            if self.clock not in (None, "system"):
                raise ValueError(
                    f"TELCO_CLOCK={self.clock!r} is not allowed with TELCO_PROFILE=production: "
                    "production uses the system clock"
                )
            secret = self.session_secret.get_secret_value() if self.session_secret else ""
            if len(secret) < 32:
                raise ValueError(
                    "TELCO_SESSION_SECRET must be set (32 characters or more) with "
                    "TELCO_PROFILE=production; e.g. `python -c 'import secrets; "
                    "print(secrets.token_urlsafe(48))'`"
                )
        return self

    @property
    def is_demo(self) -> bool:
        """True in the demo profile (seeding, the demo clock, per-process session keys)."""
        return self.profile == "demo"

    def resolved_clock(self) -> str:
        """The clock setting in force: the explicit one, else the profile's default."""
        if self.clock is not None:
            return self.clock
        return "demo" if self.is_demo else "system"

    def now(self) -> datetime:
        """The current instant according to the configured clock (timezone-aware, UTC)."""
        clock = self.resolved_clock()
        if clock == "demo":
            return DEMO_CLOCK
        if clock == "system":
            return datetime.now(UTC)
        moment = datetime.fromisoformat(clock)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def require(self, field: str) -> str:
        """Return a provider credential or raise ConfigError naming its variable."""
        value = getattr(self, field)
        if value is None or value == "":
            raise ConfigError(
                f"TELCO_{field.upper()} is not set; it is required for "
                f"model_provider={self.model_provider!r}"
            )
        return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process."""
    return Settings()
