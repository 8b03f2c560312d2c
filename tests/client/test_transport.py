"""The request function: wire format, error mapping, retry rules, rate limiting (MockTransport)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.transport import RateLimiter, normalize_base_url

from .helpers import KEY, SECRET, FakeClock, MockClient, err, ok

ID = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://kasm.example.com", "https://kasm.example.com"),
        ("https://kasm.example.com/", "https://kasm.example.com"),
        ("HTTPS://kasm.example.com:8443/api/public/", "https://kasm.example.com:8443"),
        ("http://127.0.0.1:8080/kasm/", "http://127.0.0.1:8080/kasm"),
        ("  https://kasm.example.com/api/public  ", "https://kasm.example.com"),
    ],
)
def test_base_url_is_normalised(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("", "empty"),
        ("kasm.example.com", "http:// or https://"),
        ("ftp://kasm.example.com", "http:// or https://"),
        ("https://", "no host"),
        ("https://kasm.example.com/?x=1", "query"),
        ("https://user:pw@kasm.example.com", "credentials"),
    ],
)
def test_bad_base_url_is_a_clear_value_error(given: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalize_base_url(given)


def test_every_call_is_a_json_post_with_credentials_in_the_body(mock_client: MockClient) -> None:
    seen: list[httpx.Request] = []

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok({"images": []})

    client, rec = mock_client(handler)
    client.images.list()
    request = seen[0]
    assert request.method == "POST"
    assert str(request.url) == "https://kasm.example.com/api/public/get_images"
    assert request.headers["content-type"] == "application/json"
    assert rec.requests[0][1] == {"api_key": KEY, "api_key_secret": SECRET}


def test_error_message_with_http_200_is_a_failure(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err("Group Developers already exists"))
    with pytest.raises(errors.Conflict) as info:
        client.groups.create("Developers", priority=10)
    assert info.value.status == 200
    assert info.value.call == "create_group"


def test_html_page_is_invalid_response_naming_call_and_status(mock_client: MockClient) -> None:
    page = "<html><body>An unhandled exception occurred check logs for details<body><html>" + "x" * 500

    client, _ = mock_client(
        lambda call, body, req: httpx.Response(500, text=page, headers={"content-type": "text/html"})
    )
    with pytest.raises(errors.InvalidResponse) as info:
        client.images.list()
    text = str(info.value)
    assert "get_images" in text and "HTTP 500" in text and "text/html" in text
    assert "An unhandled exception" in text
    assert len(info.value.excerpt) <= 201


def test_json_that_is_not_an_object_is_invalid(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: httpx.Response(200, json=[1, 2]))
    with pytest.raises(errors.InvalidResponse, match="get_images"):
        client.images.list()


def test_429_waits_for_retry_after_then_succeeds(mock_client: MockClient, clock: FakeClock) -> None:
    answers = [ok({"error_message": "slow down"}, 429, **{"Retry-After": "7"}), ok({"images": []})]
    client, rec = mock_client(lambda call, body, req: answers.pop(0))
    assert client.images.list() == []
    assert clock.sleeps == [7.0]
    assert rec.calls() == ["get_images", "get_images"]


def test_429_after_all_retries_is_rate_limited(mock_client: MockClient, clock: FakeClock) -> None:
    client, rec = mock_client(
        lambda call, body, req: httpx.Response(429, text="busy", headers={"Retry-After": "2"}), max_retries=2
    )
    with pytest.raises(errors.RateLimited) as info:
        client.images.list()
    assert info.value.retry_after == 2.0
    assert len(rec.requests) == 3
    assert clock.sleeps == [2.0, 2.0]


def test_503_twice_then_success_with_exponential_backoff(mock_client: MockClient, clock: FakeClock) -> None:
    answers = [
        httpx.Response(503, text="<html>busy</html>"),
        err("Service Unavailable", 503),
        ok({"images": []}),
    ]
    client, rec = mock_client(lambda call, body, req: answers.pop(0), backoff_initial=1.0)
    assert client.images.list() == []
    # jitter is fixed at 0.5: half the ceiling plus a quarter of it.
    assert clock.sleeps == [0.75, 1.5]
    assert len(rec.requests) == 3


NO_GROUPS = ok({"groups": []})


def test_a_create_is_retried_after_503_because_kasm_did_not_run_it(mock_client: MockClient) -> None:
    answers = [httpx.Response(503, text="down"), ok({"group": {"group_id": ID, "name": "g", "priority": 5}})]
    client, rec = mock_client(lambda call, body, req: NO_GROUPS if call == "get_groups" else answers.pop(0))
    assert client.groups.create("g", priority=5).group_id == ID
    # The lookup before sending (what exists already is never adopted), then the create twice.
    assert rec.calls() == ["get_groups", "create_group", "create_group"]


def test_every_attempt_sends_the_whole_body(mock_client: MockClient) -> None:
    answers = [httpx.Response(503, text="down"), httpx.Response(503, text="down"), ok({"images": []})]
    client, rec = mock_client(lambda call, body, req: answers.pop(0))
    client.images.list()
    assert [b for _, b in rec.requests] == [{"api_key": KEY, "api_key_secret": SECRET}] * 3


def test_500_is_not_retried(mock_client: MockClient) -> None:
    client, rec = mock_client(lambda call, body, req: err("boom", 500))
    with pytest.raises(errors.ServerError):
        client.images.list()
    assert len(rec.requests) == 1


def test_connect_errors_are_retried_even_for_creates(mock_client: MockClient) -> None:
    state = {"n": 0}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "get_groups":
            return NO_GROUPS
        state["n"] += 1
        if state["n"] == 1:
            raise httpx.ConnectError("refused", request=request)
        return ok({"group": {"group_id": ID, "name": "g"}})

    client, rec = mock_client(handler)
    assert client.groups.create("g", priority=1).group_id == ID
    assert rec.calls() == ["get_groups", "create_group", "create_group"]


def test_reads_are_retried_after_a_reset(mock_client: MockClient) -> None:
    state = {"n": 0}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        state["n"] += 1
        if state["n"] == 1:
            raise httpx.ReadError("connection reset by peer", request=request)
        return ok({"images": []})

    client, rec = mock_client(handler)
    assert client.images.list() == []
    assert len(rec.requests) == 2


def test_a_create_without_lookup_is_not_repeated_after_a_reset(mock_client: MockClient) -> None:
    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client, rec = mock_client(handler)
    with pytest.raises(errors.Timeout) as info:
        client.session_tokens.create(ID)
    assert info.value.sent is True
    assert rec.calls() == ["create_session_token"]


def test_a_create_after_a_reset_adopts_what_the_lookup_finds(mock_client: MockClient) -> None:
    user = {"user_id": ID, "username": "alice"}
    created = {"done": False}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_user":
            created["done"] = True
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        assert call == "get_user"
        assert body["target_user"] == {"username": "alice"}
        return ok({"user": user}) if created["done"] else err("Invalid Request", 400)

    client, rec = mock_client(handler)
    assert client.users.create("Alice", password="Secr3t!pass").user_id == ID
    # Absent before sending, present after the reset: this call made it.
    assert rec.calls() == ["get_user", "create_user", "get_user"]


@pytest.mark.parametrize("failure", ["reset", "timeout", "html502"])
def test_a_create_after_a_fault_never_adopts_what_existed_before(
    mock_client: MockClient, failure: str
) -> None:
    user = {"user_id": ID, "username": "alice"}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_user":
            if failure == "reset":
                raise httpx.ReadError("connection reset by peer", request=request)
            if failure == "timeout":
                raise httpx.ReadTimeout("timed out", request=request)
            return httpx.Response(
                502, text="<html>502 Bad Gateway</html>", headers={"content-type": "text/html"}
            )
        return ok({"user": user})

    client, rec = mock_client(handler)
    with pytest.raises(errors.AlreadyExisted) as info:
        client.users.create("alice", password="Secr3t!pass")
    assert isinstance(info.value, errors.Conflict)
    assert "User (alice) already exists (it existed before this call was sent" in str(info.value)
    # Neither adopted nor sent again.
    assert rec.calls() == ["get_user", "create_user"]


def test_a_create_never_adopts_an_object_that_appeared_with_other_values(mock_client: MockClient) -> None:
    created = {"done": False}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_group":
            created["done"] = True
            raise httpx.ReadError("connection reset by peer", request=request)
        # Someone else made "g" with another priority while our call was lost.
        groups = [{"group_id": ID, "name": "g", "priority": 99}] if created["done"] else []
        return ok({"groups": groups})

    client, rec = mock_client(handler)
    with pytest.raises(errors.AlreadyExisted, match="appeared while this call ran"):
        client.groups.create("g", priority=5)
    assert rec.calls() == ["get_groups", "create_group", "get_groups"]


def test_with_no_retries_there_is_no_lookup_before_a_create(mock_client: MockClient) -> None:
    client, rec = mock_client(
        lambda call, body, req: ok({"group": {"group_id": ID, "name": "g"}}), max_retries=0
    )
    client.groups.create("g", priority=1)
    assert rec.calls() == ["create_group"]


def test_a_failed_lookup_before_sending_does_not_stop_the_create_but_nothing_is_adopted(
    mock_client: MockClient,
) -> None:
    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_user":
            raise httpx.ReadError("reset", request=request)
        return err("Unauthorized", 401)

    client, rec = mock_client(handler)
    with pytest.raises(errors.TransportError) as info:
        client.users.create("alice")
    assert isinstance(info.value.__cause__, errors.PermissionDenied)
    assert rec.calls() == ["get_user", "create_user"]


def test_a_create_after_a_reset_is_retried_when_the_lookup_finds_nothing(mock_client: MockClient) -> None:
    state = {"creates": 0}

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_user":
            state["creates"] += 1
            if state["creates"] == 1:
                raise httpx.ReadError("reset", request=request)
            return ok({"user": {"user_id": ID, "username": "alice"}})
        return err("Invalid Request", 400)  # get_user: not found

    client, rec = mock_client(handler)
    assert client.users.create("alice").user_id == ID
    assert rec.calls() == ["get_user", "create_user", "get_user", "create_user"]


def test_a_failed_lookup_raises_the_original_error(mock_client: MockClient) -> None:
    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "create_user":
            raise httpx.ReadError("reset", request=request)
        return err("Unauthorized", 401)

    client, _ = mock_client(handler)
    with pytest.raises(errors.TransportError) as info:
        client.users.create("alice")
    assert isinstance(info.value.__cause__, errors.PermissionDenied)


def test_max_retries_zero_means_one_attempt(mock_client: MockClient) -> None:
    client, rec = mock_client(lambda call, body, req: httpx.Response(503, text="x"), max_retries=0)
    with pytest.raises(errors.InvalidResponse, match="HTTP 503"):
        client.images.list()
    assert len(rec.requests) == 1


def test_rate_limiter_spaces_calls() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4, burst=1, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.acquire()
    assert sum(clock.sleeps) == pytest.approx(1.0)


def test_rate_limiter_is_thread_safe() -> None:
    lock = threading.Lock()
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        with lock:
            clock.sleep(seconds)

    limiter = RateLimiter(10, burst=2, clock=clock, sleep=sleep)
    threads = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(10)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 40 tokens at 10/s with 2 up front: at least 3.8 s of (fake) time went by.
    assert clock.now - 1000.0 >= 3.8 - 1e-9


def test_rate_limit_option_applies_to_calls(mock_client: MockClient, clock: FakeClock) -> None:
    client, _ = mock_client(lambda call, body, req: ok({"images": []}), rate_limit=2)
    for _ in range(4):
        client.images.list()
    assert sum(clock.sleeps) == pytest.approx(1.0)


def test_client_repr_and_errors_hide_the_secret(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err(f"echo {body['api_key_secret']}", 403))
    assert SECRET not in repr(client)
    with pytest.raises(errors.KasmError) as info:
        client.images.list()
    assert SECRET not in str(info.value)
    assert "***" in str(info.value)


def test_empty_credentials_are_refused() -> None:
    from terraform_provider_kasm.client import KasmClient

    with pytest.raises(ValueError, match="api_key"):
        KasmClient("https://kasm.example.com", "", SECRET)
    with pytest.raises(ValueError, match="api_key_secret"):
        KasmClient("https://kasm.example.com", KEY, "")


def test_debug_log_has_call_status_duration_and_retries_but_no_body(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="terraform_provider_kasm.client")
    answers = [httpx.Response(503, text="down"), ok({"user": {"user_id": ID, "username": "a"}})]
    client, _ = mock_client(
        lambda call, body, req: err("Invalid Request", 400) if call == "get_user" else answers.pop(0)
    )
    client.users.create("a", password="Sup3r!secret-pw")
    lines = [r.getMessage() for r in caplog.records if r.name == "terraform_provider_kasm.client"]
    assert any(
        "create_user: status=503" in line and "duration_ms=" in line and "attempt=1" in line for line in lines
    )
    assert any("create_user: retry 1/3" in line and "InvalidResponse" in line for line in lines)
    assert any("create_user: status=200" in line and "attempt=2" in line for line in lines)
    text = "\n".join(lines)
    assert "Sup3r!secret-pw" not in text and SECRET not in text and "target_user" not in text


def test_insecure_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from terraform_provider_kasm.client import KasmClient

    caplog.set_level(logging.WARNING, logger="terraform_provider_kasm.client")
    KasmClient("https://kasm.example.com", KEY, SECRET, insecure=True).close()
    assert "verification is disabled" in caplog.text
