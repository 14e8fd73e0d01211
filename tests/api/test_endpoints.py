"""Each endpoint through FastAPI's TestClient: the happy paths and every bad input."""

from __future__ import annotations

import json

from assistant.records.api import Records
from tests.api.conftest import CUSTOMER, EMAIL, PASSWORD, bearer, demo_token
from tests.scripted import call, call_with_last_quote, say

PROBLEM = "application/problem+json"
SWITCH = [
    call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"),
    call_with_last_quote("change_plan"),
    say("Done."),
]


def plan_of(records: Records, customer: str = CUSTOMER) -> str:
    return records.account_overview(customer).lines[0].plan_id


def sign_in(client) -> dict[str, str]:
    r = client.post("/v1/auth/token", json={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    return bearer(body["access_token"])


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"urn:vela:problem:{slug}" and body["status"] == status
    assert body["detail"]
    return body


def test_health_readiness_and_openapi(make_client):
    client, _ = make_client([])
    assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "index": "ok", "model": "ok"}
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/auth/token",
        "/v1/conversations",
        "/v1/conversations/{conversation_id}/messages",
        "/v1/conversations/{conversation_id}/confirm",
        "/v1/consents/{purpose}",
    ):
        assert path in paths


def test_readiness_names_the_failing_dependency(make_client):
    client, _ = make_client([])
    state = client.app.state.vela

    def broken(query, **filters):
        raise ConnectionError("chroma server at 127.0.0.1:1 refused")

    state.assistant.services.knowledge.search = broken
    body = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert body["checks"]["database"] == "ok"
    assert "chroma server" in body["checks"]["index"]


def test_guest_conversation_answers_with_reply_json(make_client):
    client, model = make_client([say("Roaming is included [1].")])
    created = client.post("/v1/conversations")
    assert created.status_code == 201
    cid = created.json()["id"]
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "roaming in France?"})
    assert r.status_code == 200, r.text
    reply = r.json()
    assert reply["session_id"] == cid and "Roaming is included" in reply["text"]
    assert reply["pending"] is None and reply["error"] is None
    model.assert_consumed()


def test_consent_then_confirmation_then_exactly_one_write(make_client):
    client, model = make_client(SWITCH)
    records = client.app.state.vela.assistant.records
    auth = sign_in(client)
    cid = client.post("/v1/conversations", headers=auth).json()["id"]
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        headers=auth,
        json={"text": "switch me to Unlimited Max"},
    )
    assert r.json()["pending"]["kind"] == "consent"
    r = client.post(f"/v1/conversations/{cid}/confirm", headers=auth)
    assert r.json()["pending"]["kind"] == "confirmation"
    events_before = len(records.audit_events(CUSTOMER))
    # A message while the confirmation waits is refused and changes nothing.
    busy = client.post(f"/v1/conversations/{cid}/messages", headers=auth, json={"text": "yes"})
    assert_problem(busy, 409, "decision-pending")
    assert len(records.audit_events(CUSTOMER)) == events_before
    assert plan_of(records) == "GB-PLUS-30"
    done = client.post(f"/v1/conversations/{cid}/confirm", headers=auth)
    assert done.status_code == 200
    assert done.json()["tool_calls"][-1]["result"]["reference"].startswith("PC-")
    assert plan_of(records) == "GB-UNLIMITED-MAX"
    assert_problem(
        client.post(f"/v1/conversations/{cid}/confirm", headers=auth), 409, "nothing-pending"
    )
    model.assert_consumed()


def test_decline_cancels_the_pending_change(make_client):
    client, model = make_client(
        [
            call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"),
            call_with_last_quote("change_plan"),
            say("Kept as is."),
        ]
    )
    records = client.app.state.vela.assistant.records
    auth = sign_in(client)
    client.post("/v1/consents/account_data", headers=auth)
    cid = client.post("/v1/conversations", headers=auth).json()["id"]
    r = client.post(f"/v1/conversations/{cid}/messages", headers=auth, json={"text": "switch"})
    assert r.json()["pending"]["kind"] == "confirmation"
    r = client.post(f"/v1/conversations/{cid}/decline", headers=auth)
    assert r.json()["tool_calls"][-1]["outcome"] == "cancelled"
    assert plan_of(records) == "GB-PLUS-30"
    model.assert_consumed()


def test_identity_comes_only_from_the_token(make_client):
    client, _ = make_client([])
    auth = sign_in(client)
    cid = client.post("/v1/conversations", headers=auth).json()["id"]
    other = bearer(demo_token("C-1001"))
    assert_problem(
        client.post(f"/v1/conversations/{cid}/messages", headers=other, json={"text": "my bill"}),
        403,
        "forbidden",
    )
    assert_problem(client.post(f"/v1/conversations/{cid}/confirm"), 403, "forbidden")
    # A customer id in the body is not a field the API knows.
    assert_problem(
        client.post(
            f"/v1/conversations/{cid}/messages",
            headers=other,
            json={"text": "hi", "customer_id": CUSTOMER},
        ),
        422,
        "invalid-request",
    )


def test_bad_tokens_are_refused(make_client):
    client, _ = make_client([])
    cases = {
        "expired": demo_token(ttl=-120),
        "signature": demo_token(secret="another-secret-" + "y" * 32),
        "invalid": "not.a.jwt",
    }
    for word, token in cases.items():
        body = assert_problem(
            client.post("/v1/conversations", headers=bearer(token)), 401, "unauthenticated"
        )
        assert word in body["detail"]
    assert_problem(
        client.post("/v1/conversations", headers={"Authorization": "Basic eDp5"}),
        401,
        "unauthenticated",
    )
    assert_problem(
        client.post("/v1/conversations", headers=bearer(demo_token("C-9999"))),
        401,
        "unauthenticated",
    )
    wrong = client.post("/v1/auth/token", json={"email": EMAIL, "password": "nope"})
    assert_problem(wrong, 401, "unauthenticated")


def test_bad_requests_are_problems_and_change_nothing(make_client):
    client, model = make_client([])
    cid = client.post("/v1/conversations").json()["id"]
    url = f"/v1/conversations/{cid}/messages"
    headers = {"Content-Type": "application/json"}
    assert_problem(client.post(url, content=b'{"text": ', headers=headers), 400, "malformed-json")
    assert_problem(client.post(url, json={"text": ""}), 422, "invalid-request")
    assert_problem(client.post(url, json={"text": "\x00\x01 "}), 422, "invalid-message")
    big = json.dumps({"text": "a" * (1024 * 1024)}).encode()
    assert_problem(client.post(url, content=big, headers=headers), 413, "body-too-large")
    chunks = (big[i : i + 65536] for i in range(0, len(big), 65536))  # no Content-Length
    assert_problem(client.post(url, content=chunks, headers=headers), 413, "body-too-large")
    assert_problem(
        client.post("/v1/conversations/nope/messages", json={"text": "hi"}), 404, "not-found"
    )
    assert_problem(client.post(f"/v1/conversations/{cid}/confirm"), 409, "nothing-pending")
    # Nothing reached the model, and the conversation has no state at all.
    assert model.seen == []
    state = client.app.state.vela.assistant.graph.get_state({"configurable": {"thread_id": cid}})
    assert not state.values


def test_a_running_turn_makes_the_next_message_wait_with_409(make_client):
    client, model = make_client([say("Hello.")])
    cid = client.post("/v1/conversations").json()["id"]
    store = client.app.state.vela.store
    lease = store.acquire(cid)  # as if another worker were mid-turn
    body = assert_problem(
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}),
        409,
        "conversation-busy",
    )
    assert "still being answered" in body["detail"]
    store.release(cid, lease)
    assert client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}).status_code == 200
    model.assert_consumed()


def test_consent_endpoints(make_client):
    client, _ = make_client([])
    auth = sign_in(client)
    assert client.get("/v1/consents", headers=auth).json()["account_data"]["granted"] is False
    granted = client.post("/v1/consents/account_data", headers=auth).json()
    assert granted["granted"] is True and granted["channel"] == "api"
    assert client.get("/v1/consents", headers=auth).json()["account_data"]["granted"] is True
    assert client.delete("/v1/consents/account_data", headers=auth).json()["granted"] is False
    assert_problem(client.post("/v1/consents/marketing_spam", headers=auth), 422, "rejected")
    assert_problem(client.get("/v1/consents"), 401, "unauthenticated")


def test_streamed_reply_is_server_sent_events(make_client):
    client, model = make_client([say("Roaming in France is included in your plan.")])
    cid = client.post("/v1/conversations").json()["id"]
    with client.stream(
        "POST",
        f"/v1/conversations/{cid}/messages",
        json={"text": "roaming?"},
        headers={"Accept": "text/event-stream"},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = parse_sse(raw)
    deltas = [json.loads(d)["text"] for e, d in events if e == "delta"]
    assert len(deltas) > 1
    assert events[-1][0] == "reply"
    reply = json.loads(events[-1][1])
    assert "".join(deltas).strip().endswith("included in your plan.")
    assert reply["text"].endswith("included in your plan.")
    model.assert_consumed()


def test_streamed_request_errors_before_the_stream_are_problems(make_client):
    client, _ = make_client([])
    r = client.post(
        "/v1/conversations/unknown/messages",
        json={"text": "hi"},
        headers={"Accept": "text/event-stream"},
    )
    assert_problem(r, 404, "not-found")


def parse_sse(raw: str) -> list[tuple[str, str]]:
    """(event, data) pairs of an SSE body."""
    events = []
    for block in raw.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields.get("event", "message"), fields.get("data", "")))
    return events
