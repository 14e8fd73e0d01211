"""Suite-wide guards: no network beyond loopback, no stray settings, offline model libraries.

Real-provider tests opt in with ``@pytest.mark.real_provider`` *and* TELCO_TEST_REAL_PROVIDER=1;
everything else may only connect to 127.0.0.0/8, ::1 or a Unix socket. An opted-in test also
keeps the provider's TELCO_MODEL_*, TELCO_OPENAI_* and TELCO_AZURE_* variables.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_real_connect = socket.socket.connect


def _is_loopback(address: object) -> bool:
    if isinstance(address, str | bytes):  # Unix domain socket path
        return True
    host = address[0] if isinstance(address, tuple) else None
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except (TypeError, ValueError):
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise ConnectionRefusedError(
            f"test tried to reach {address!r}: tests may only use loopback "
            "(opt in with @pytest.mark.real_provider and TELCO_TEST_REAL_PROVIDER=1)"
        )
    return _real_connect(self, address)


#: The variables that choose and reach a hosted model (docs/llm-providers.md).
_PROVIDER_VARIABLES = ("TELCO_MODEL_", "TELCO_OPENAI_", "TELCO_AZURE_")


def _real_provider_opted_in(node: pytest.Item) -> bool:
    return (
        node.get_closest_marker("real_provider") is not None
        and os.environ.get("TELCO_TEST_REAL_PROVIDER") == "1"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip real-provider tests unless opted in, before their (slow) fixtures are built."""
    skip = pytest.mark.skip(
        reason="talks to a real hosted LLM: set TELCO_TEST_REAL_PROVIDER=1 and the provider's "
        "TELCO_MODEL_PROVIDER and key variables (docs/llm-providers.md) to run it"
    )
    for item in items:
        if item.get_closest_marker("real_provider") and not _real_provider_opted_in(item):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if not _real_provider_opted_in(request.node):
        monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _isolated_settings(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
):
    """No TELCO_* variable from the developer's shell leaks into a test.

    An opted-in real-provider test keeps the variables that choose and reach the provider.
    """
    keep = _PROVIDER_VARIABLES if _real_provider_opted_in(request.node) else ()
    for key in list(os.environ):
        kept = key == "TELCO_TEST_REAL_PROVIDER" or key.startswith(keep)  # (): keeps none
        if key.startswith("TELCO_") and not kept:
            monkeypatch.delenv(key, raising=False)
    # Nothing a test builds by accident lands in the developer's ./var.
    monkeypatch.setenv("TELCO_DATA_DIR", str(tmp_path_factory.getbasetemp() / "default-data"))
    from assistant.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture(scope="session")
def built_data_template(tmp_path_factory: pytest.TempPathFactory):
    """A data dir with the seeded demo DB, the MiniLM index and the engine's vectors, built once.

    Slow (MiniLM embeds the whole corpus); tests that need the real embedded default copy it
    with ``copy_built_data`` instead of building their own.
    """
    from assistant.bootstrap import default_model, ensure_database, open_knowledge
    from assistant.settings import Settings

    data = tmp_path_factory.mktemp("built-template")
    settings = Settings(data_dir=data, _env_file=None)
    ensure_database(settings)
    knowledge = open_knowledge(settings)  # builds the index
    default_model(settings, knowledge)  # writes the engine's precomputed vectors
    return data


def copy_built_data(template, target):
    """Copy the built template (DB, index) into ``target`` and return it."""
    import shutil

    shutil.copytree(template, target, dirs_exist_ok=True)
    return target
