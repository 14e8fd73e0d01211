"""Suite-wide guards: no network beyond loopback, no stray settings, offline model libraries.

Real-provider tests opt in with ``@pytest.mark.real_provider`` *and* TELCO_TEST_REAL_PROVIDER=1;
everything else may only connect to 127.0.0.0/8, ::1 or a Unix socket.
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


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    opted_in = request.node.get_closest_marker("real_provider") is not None
    if opted_in and os.environ.get("TELCO_TEST_REAL_PROVIDER") == "1":
        return
    if opted_in:
        pytest.skip("real-provider test: set TELCO_TEST_REAL_PROVIDER=1 to run it")
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """No TELCO_* variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("TELCO_") and key != "TELCO_TEST_REAL_PROVIDER":
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
