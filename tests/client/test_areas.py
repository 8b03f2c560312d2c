"""API-area behaviour that the local server cannot easily provoke (MockTransport)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.models import StagingConfigSpec

from .helpers import FakeClock, MockClient, err, ok

UID = "0123456789abcdef0123456789abcdef"
KID = "fedcba9876543210fedcba9876543210"
IID = "11111111111111111111111111111111"


def _users(n: int) -> list[dict[str, str]]:
    return [{"user_id": f"{i:032x}", "username": f"u{i:03d}"} for i in range(n)]


def test_users_list_pages_until_total(mock_client: MockClient) -> None:
    everyone = _users(250)

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        start = body["page"] * body["page_size"]
        return ok(
            {
                "users": everyone[start : start + body["page_size"]],
                "total": len(everyone),
                "page": body["page"],
            }
        )

    client, rec = mock_client(handler)
    assert [u.username for u in client.users.list()] == [u["username"] for u in everyone]
    assert [b["page"] for _, b in rec.requests] == [0, 1, 2]


def test_users_list_never_truncates_silently(mock_client: MockClient) -> None:
    # A server that ignores "page": always the first 100 of 250.
    client, _ = mock_client(lambda call, body, req: ok({"users": _users(250)[:100], "total": 250}))
    with pytest.raises(errors.InvalidResponse, match="100 of 250"):
        client.users.list()


def test_users_list_without_total_stops_on_a_short_page(mock_client: MockClient) -> None:
    everyone = _users(120)

    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        start = body["page"] * body["page_size"]
        return ok({"users": everyone[start : start + body["page_size"]]})

    client, rec = mock_client(handler)
    assert len(client.users.list()) == 120
    assert len(rec.requests) == 2


def test_update_user_reads_the_username_kasm_requires(mock_client: MockClient) -> None:
    def handler(call: str, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if call == "get_user":
            return ok({"user": {"user_id": UID, "username": "alice"}})
        assert body["target_user"] == {"user_id": UID, "username": "alice", "locked": True}
        return ok({"user": {"user_id": UID, "username": "alice", "locked": True}})

    client, rec = mock_client(handler)
    assert client.users.update(UID.upper(), locked=True).locked
    assert rec.calls() == ["get_user", "update_user"]


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"error_message": "This session is currently starting."}, "starting"),
        ({"error_message": "This session is currently provisioning."}, "provisioning"),
        ({"error_message": "Kasm is currently scheduled to be deleted."}, "delete_pending"),
        ({"operational_status": "requested", "operational_progress": 0}, "requested"),
        (
            {"operational_status": "assigned", "error_message": "This session is currently assigned."},
            "assigned",
        ),
    ],
)
def test_session_status_while_not_running_is_not_an_error(
    mock_client: MockClient, answer: dict[str, Any], status: str
) -> None:
    client, _ = mock_client(lambda call, body, req: ok(answer))
    result = client.sessions.status(KID, UID)
    assert result.status == status and not result.running and result.kasm is None


def test_session_status_other_errors_still_raise(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err("Kasm is not running"))
    with pytest.raises(errors.APIError, match="Kasm is not running"):
        client.sessions.status(KID, UID)


def test_wait_until_running_polls_with_the_injected_clock(mock_client: MockClient, clock: FakeClock) -> None:
    answers = [
        err("This session is currently requested."),
        err("This session is currently starting."),
        ok({"kasm": {"kasm_id": KID, "operational_status": "running"}, "kasm_url": "/#/x"}),
    ]
    client, _ = mock_client(lambda call, body, req: answers.pop(0))
    assert client.sessions.wait_until_running(KID, UID, interval=2).running
    # Backoff: the wait doubles after each poll.
    assert clock.sleeps == [2, 4]


def test_wait_until_running_times_out(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err("This session is currently starting."))
    with pytest.raises(errors.Timeout, match="not running after 10s"):
        client.sessions.wait_until_running(KID, UID, timeout=10, interval=3)


def test_request_kasm_share_failure_is_a_warning(mock_client: MockClient) -> None:
    answer = {
        "kasm_id": "fedcba98-7654-3210-fedc-ba9876543210",
        "status": "starting",
        "user_id": UID,
        "error_message": "Failed to create Share ID",
    }
    client, _ = mock_client(lambda call, body, req: ok(answer))
    requested = client.sessions.request(user_id=UID, image_id=IID, enable_sharing=True)
    assert requested.kasm_id == KID
    assert requested.warning == "Failed to create Share ID"


def test_request_kasm_without_kasm_id_is_an_error_even_with_the_share_message(
    mock_client: MockClient,
) -> None:
    client, _ = mock_client(lambda call, body, req: err("Failed to create Share ID"))
    with pytest.raises(errors.APIError):
        client.sessions.request(user_id=UID, image_id=IID)


def test_request_kasm_limits_are_no_resources(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err("Kasm limit exceeded for user: (bob)"))
    with pytest.raises(errors.NoResourcesAvailable):
        client.sessions.request(user_id=UID, image_id=IID)


def test_get_kasm_empty_answer_is_not_found(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: ok({}))
    assert client.sessions.find(KID) is None
    with pytest.raises(errors.NotFound):
        client.sessions.get(KID)


def test_delete_missing_ok_swallows_only_not_found(mock_client: MockClient) -> None:
    answers = [err("Image(x) Does not Exist"), err("Unauthorized", 401)]
    client, _ = mock_client(lambda call, body, req: answers.pop(0))
    client.images.delete(IID, missing_ok=True)
    with pytest.raises(errors.PermissionDenied):
        client.images.delete(IID, missing_ok=True)


def test_a_success_without_the_expected_object_is_invalid(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: ok({}))
    with pytest.raises(errors.InvalidResponse, match="'group'"):
        client.groups.create("x", priority=1)


def test_session_permission_access_is_checked(mock_client: MockClient) -> None:
    client, rec = mock_client(lambda call, body, req: ok({"session_permissions": []}))
    with pytest.raises(ValueError, match="access"):
        client.session_permissions.set(KID, {UID: "write"})
    assert rec.requests == []


@pytest.mark.parametrize("call", ["create_staging_config", "get_staging_config", "update_staging_config"])
def test_staging_config_answer_without_its_object_is_invalid_response(
    mock_client: MockClient, call: str
) -> None:
    """The Go provider dereferenced a missing ``staging_config`` (a panic); here it is InvalidResponse."""
    client, _rec = mock_client(lambda c, body, request: ok({} if c == call else {"staging_configs": []}))
    spec = StagingConfigSpec(zone_id=UID, image_id=IID, num_sessions=1, expiration=1.0)
    run = {
        "create_staging_config": lambda: client.staging_configs.create(spec),
        "get_staging_config": lambda: client.staging_configs.get(KID),
        "update_staging_config": lambda: client.staging_configs.update(KID, spec),
    }[call]
    with pytest.raises(errors.InvalidResponse) as failed:
        run()
    assert "staging_config" in str(failed.value) and call in str(failed.value)
