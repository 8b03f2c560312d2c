"""The typed surface the provider uses: the session wait (backoff, stop, ended), absolute
``kasm_url``, one paging helper for every paged list, group permissions and the catalogue."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import errors

from .conftest import LocalKasm
from .helpers import FakeClock, MockClient, err, ok

UID = "0123456789abcdef0123456789abcdef"
KID = "fedcba9876543210fedcba9876543210"
GID = "22222222222222222222222222222222"
STARTING = "This session is currently starting."
RUNNING = {"kasm": {"kasm_id": KID, "operational_status": "running"}, "kasm_url": "/#/connect/kasm/x/tok"}


def test_wait_backs_off_to_the_cap_and_within_the_timeout(mock_client: MockClient, clock: FakeClock) -> None:
    client, _ = mock_client(lambda call, body, req: err(STARTING))
    with pytest.raises(errors.StartTimeout, match=r"not running after 20s \(last status: starting\)"):
        client.sessions.wait_until_running(KID, UID, timeout=20, interval=1, max_interval=5)
    # 1, 2, 4, then capped at 5; the last wait is cut to what is left of the 20 s.
    assert clock.sleeps == [1, 2, 4, 5, 5, 3]


def test_wait_stops_when_asked(mock_client: MockClient, clock: FakeClock) -> None:
    polls: list[int] = []

    def handler(call: str, body: dict[str, Any], req: httpx.Request) -> httpx.Response:
        polls.append(1)
        return err(STARTING)

    client, _ = mock_client(handler)
    with pytest.raises(errors.Interrupted, match="last status: starting"):
        client.sessions.wait_until_running(KID, UID, timeout=60, stop=lambda: len(polls) >= 2)
    assert len(polls) == 2 and len(clock.sleeps) == 1


def test_wait_with_an_event_wakes_at_once(mock_client: MockClient) -> None:
    stop = threading.Event()
    client, _ = mock_client(lambda call, body, req: err(STARTING))
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    # max_interval 30 s: without the event the second wait alone would take 30 s of real time.
    with pytest.raises(errors.Interrupted):
        client.sessions.wait_until_running(KID, UID, timeout=600, interval=30, max_interval=30, stop=stop)
    timer.join()


def test_wait_reports_an_ended_session(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: err("This session is currently stopped."))
    with pytest.raises(errors.SessionEnded) as info:
        client.sessions.wait_until_running(KID, UID)
    assert info.value.operational_status == "stopped"


def test_status_link_is_absolute_on_base_url(mock_client: MockClient) -> None:
    client, _ = mock_client(lambda call, body, req: ok(RUNNING))
    status = client.sessions.wait_until_running(KID, UID)
    assert status.kasm_url == "https://kasm.example.com/#/connect/kasm/x/tok"
    absolute = {**RUNNING, "kasm_url": "https://proxy.example.com/#/x"}
    client, _ = mock_client(lambda call, body, req: ok(absolute))
    assert client.sessions.status(KID, UID).kasm_url == "https://proxy.example.com/#/x"


def test_group_members_use_the_paging_helper(mock_client: MockClient) -> None:
    everyone = [{"user_id": f"{i:032x}", "username": f"u{i}"} for i in range(7)]

    def handler(call: str, body: dict[str, Any], req: httpx.Request) -> httpx.Response:
        start = body["page"] * body["page_size"]
        return ok({"users": everyone[start : start + body["page_size"]], "total": len(everyone)})

    client, rec = mock_client(handler)
    assert len(client.groups.users(GID, page_size=3)) == 7
    assert [b["page"] for _, b in rec.requests] == [0, 1, 2]
    assert all(b["target_group"] == {"group_id": GID} for _, b in rec.requests)


def test_paging_never_truncates_silently(mock_client: MockClient) -> None:
    # A server that ignores "page": the same first page again, short of total.
    client, _ = mock_client(lambda call, body, req: ok({"users": [{"user_id": UID}], "total": 5}))
    with pytest.raises(errors.InvalidResponse, match="paging stopped after 1 of 5"):
        client.groups.users(GID, page_size=1)


def test_permission_catalogue_and_group_permissions(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    catalogue = {p.display_name: p.permission_id for p in kasm.groups.permission_catalogue()}
    assert catalogue["Users View"] == 300
    group = kasm.groups.create(local_kasm.name("perm-group"), priority=70)
    try:
        held = kasm.groups.replace_permissions(
            group.group_id, [catalogue["Users View"], catalogue["Groups View"]]
        )
        assert {p.permission_id for p in held} == {catalogue["Users View"], catalogue["Groups View"]}
        assert all(p.group_id == group.group_id and p.group_permission_id for p in held)
        kasm.groups.replace_permissions(group.group_id, [catalogue["Users View"]])
        assert [p.permission_id for p in kasm.groups.permissions(group.group_id)] == [catalogue["Users View"]]
        with pytest.raises(errors.APIError, match="permission id"):
            kasm.groups.replace_permissions(group.group_id, [99999])
    finally:
        kasm.groups.delete(group.group_id, force=True)
