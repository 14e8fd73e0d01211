"""The API as operators run it: real uvicorn processes on loopback.

One worker on SQLite for SSE over a real socket; then two workers on PostgreSQL and a Chroma
server serving one conversation alternately (consent and quote on one, confirm on the other)
with exactly one write. The PostgreSQL test skips, saying so, only when PostgreSQL does not
answer at TEST_DATABASE_URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from tests.api.conftest import CUSTOMER, EMAIL, PASSWORD, SECRET
from tests.api.test_endpoints import parse_sse
from tests.api.workers import Worker, start_worker
from tests.pg import fresh_schema_url

SCHEMA = "api_two_workers"


@pytest.fixture()
def sqlite_worker(tmp_path: Path, seeded_db: Path) -> Iterator[Worker]:
    (tmp_path / "telco.db").write_bytes(seeded_db.read_bytes())
    env = {
        "TELCO_DATA_DIR": str(tmp_path),
        "TELCO_API_SECRET": SECRET,
        "TELCO_LOG_LEVEL": "WARNING",
    }
    worker = start_worker(env, tmp_path / "worker.log")
    yield worker
    worker.stop()


def token(client: httpx.Client, url: str) -> dict[str, str]:
    r = client.post(f"{url}/v1/auth/token", json={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_sse_over_a_real_socket(sqlite_worker: Worker):
    url = sqlite_worker.url
    with httpx.Client(trust_env=False, timeout=30) as client:
        cid = client.post(f"{url}/v1/conversations").json()["id"]
        with client.stream(
            "POST",
            f"{url}/v1/conversations/{cid}/messages",
            json={"text": "roaming in France?"},
            headers={"Accept": "text/event-stream"},
        ) as r:
            assert r.status_code == 200
            raw = "".join(r.iter_text())
        metrics = client.get(f"{url}/metrics").text
    events = parse_sse(raw)
    assert [e for e, _ in events].count("reply") == 1 and events[-1][0] == "reply"
    assert any(e == "delta" for e, _ in events)
    reply = json.loads(events[-1][1])
    assert reply["tool_calls"][0]["name"] == "search_knowledge"
    assert reply["citations"][0]["doc_id"] == "policy-roaming-gb"
    assert 'vela_turns_total{kind="message",outcome="answered"} 1.0' in metrics
    assert 'vela_tool_calls_total{outcome="ok",tool="search_knowledge"} 1.0' in metrics


@pytest.fixture()
def pg_url() -> str:
    return fresh_schema_url(SCHEMA, "two workers on PostgreSQL")


def test_two_workers_serve_one_conversation_alternately(pg_url: str, tmp_path: Path):
    from assistant.bootstrap import ensure_database
    from assistant.records.api import Records
    from knowledge.embeddings import HashEmbeddings
    from knowledge.index import build_index
    from tests.knowledge.chroma_server import ServerUnavailable, start_server

    (tmp_path / "chroma").mkdir()
    try:
        chroma = start_server(tmp_path / "chroma")
    except ServerUnavailable as exc:
        pytest.skip(f"Chroma server cannot run on this machine: {exc}")
    workers: list[Worker] = []
    try:
        env = {
            "TELCO_DATA_DIR": str(tmp_path / "data"),
            "TELCO_DATABASE_URL": pg_url,
            "TELCO_CHROMA_HOST": chroma.host,
            "TELCO_CHROMA_PORT": str(chroma.port),
            "TELCO_API_SECRET": SECRET,
            "TELCO_LOG_LEVEL": "WARNING",
        }
        settings = Settings(
            data_dir=tmp_path / "data",
            database_url=pg_url,
            chroma_host=chroma.host,
            chroma_port=chroma.port,
            _env_file=None,
        )  # type: ignore[call-arg]
        ensure_database(settings)
        build_index(settings, embeddings=HashEmbeddings())
        workers = [start_worker(env, tmp_path / f"worker-{i}.log") for i in range(2)]
        a, b = (w.url for w in workers)
        records = Records.from_settings(settings)
        before = records.account_overview(CUSTOMER).lines[0].plan_id
        with httpx.Client(trust_env=False, timeout=30) as client:
            auth = token(client, a)
            cid = client.post(f"{b}/v1/conversations", headers=auth).json()["id"]
            knowledge = client.post(
                f"{a}/v1/conversations/{cid}/messages",
                headers=auth,
                json={"text": "Is roaming in France included?"},
            ).json()
            assert knowledge["citations"], knowledge
            asked = client.post(
                f"{b}/v1/conversations/{cid}/messages",
                headers=auth,
                json={"text": "switch me to Unlimited Max"},
            ).json()
            assert asked["pending"]["kind"] == "consent"
            quoted = client.post(f"{a}/v1/conversations/{cid}/confirm", headers=auth).json()
            assert quoted["pending"]["kind"] == "confirmation"
            done = client.post(f"{b}/v1/conversations/{cid}/confirm", headers=auth)
            assert done.status_code == 200, done.text
            again = client.post(f"{a}/v1/conversations/{cid}/confirm", headers=auth)
            assert again.status_code == 409
            other = client.post(f"{a}/v1/conversations/{cid}/messages", json={"text": "hi"})
            assert other.status_code == 403  # a guest on worker a, the customer's conversation
        applied = [e for e in records.audit_events(CUSTOMER) if e.action == "plan_change.applied"]
        assert before == "GB-PLUS-30"
        assert records.account_overview(CUSTOMER).lines[0].plan_id == "GB-UNLIMITED-MAX"
        assert len(applied) == 1, [e.action for e in records.audit_events(CUSTOMER)]
        records.engine.dispose()
    finally:
        for worker in workers:
            worker.stop()
        chroma.stop()
