"""kasm_sessions and kasm_session through the servicer in-process: the filters, one get_kasms per
provider run (never get_kasm_status), deleted sessions left out, not-found naming the attribute."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.client.models import Image, User
from terraform_provider_kasm.server.settings import ServerSettings
from tests.fixtures.inprocess import Harness, ProviderError


def _user(h: Harness, name: str, image: Image) -> User:
    user = h.client.users.create(name, password="Password123!")
    group = h.client.groups.create(f"{name}.group", priority=100)
    h.client.groups.add_user(group.group_id, user.user_id)
    h.client.groups.add_image(group.group_id, image.image_id)
    return user


def _calls(app: Any) -> dict[str, int]:
    counts: dict[str, int] = app.state.kasm.calls.snapshot()
    return counts


@pytest.fixture
def sessions(provider_harness: Harness, kasm_settings: ServerSettings) -> dict[str, Any]:
    """Three sessions: alice's two (terminal running, chrome still starting), bob's terminal running."""
    h = provider_harness
    terminal = next(i for i in h.client.images.list() if i.name.startswith("kasmweb/terminal"))
    alice, bob = _user(h, "alice", terminal), _user(h, "bob", terminal)
    kasm_settings.session_start_seconds = 0.0
    a1 = h.client.sessions.request(user_id=alice.user_id, image_id=terminal.image_id).kasm_id
    b1 = h.client.sessions.request(user_id=bob.user_id, image_id=terminal.image_id).kasm_id
    for kasm_id, user in ((a1, alice), (b1, bob)):
        h.client.sessions.wait_until_running(kasm_id, user.user_id, timeout=10)
    kasm_settings.session_start_seconds = 600.0
    a2 = h.client.sessions.request(user_id=alice.user_id, image_id=terminal.image_id).kasm_id
    return {"alice": alice, "bob": bob, "terminal": terminal, "a1": a1, "a2": a2, "b1": b1}


def test_sessions_filters_and_one_listing(
    provider_harness: Harness, kasm_app: Any, sessions: dict[str, Any]
) -> None:
    h = provider_harness
    alice, bob, terminal = sessions["alice"], sessions["bob"], sessions["terminal"]

    kasm_app.state.kasm.calls.reset()
    everything = h.read_data_source("kasm_sessions")
    calls = _calls(kasm_app)
    assert calls.get("get_kasms") == 1 and calls.get("get_kasm_status", 0) == 0, calls
    assert everything["id"] == "sessions"
    listed = {x["id"]: x for x in everything["sessions"]}
    assert set(listed) == {sessions["a1"], sessions["a2"], sessions["b1"]}
    a1 = listed[sessions["a1"]]
    assert (a1["user_id"], a1["username"], a1["image_id"]) == (alice.user_id, "alice", terminal.image_id)
    assert a1["operational_status"] == "running" and a1["hostname"] and a1["container_ip"]
    assert a1["created"].endswith("Z") and a1["expiration_date"].endswith("Z")
    assert listed[sessions["a2"]]["operational_status"] != "running"
    created = [x["created"] for x in everything["sessions"]]
    assert created == sorted(created)

    by_user = h.read_data_source("kasm_sessions", user_id=dashed(alice.user_id))
    assert by_user["user_id"] == dashed(alice.user_id)  # the configured spelling is kept
    assert {x["id"] for x in by_user["sessions"]} == {sessions["a1"], sessions["a2"]}
    running = h.read_data_source("kasm_sessions", operational_status="running")
    assert {x["id"] for x in running["sessions"]} == {sessions["a1"], sessions["b1"]}
    both = h.read_data_source(
        "kasm_sessions", user_id=bob.user_id, image_id=terminal.image_id, operational_status="running"
    )
    assert [x["id"] for x in both["sessions"]] == [sessions["b1"]]
    other_image = next(i for i in h.client.images.list() if i.image_id != terminal.image_id)
    assert h.read_data_source("kasm_sessions", image_id=other_image.image_id)["sessions"] == []

    # A destroyed session is left out, though Kasm may list it while it is being deleted.
    h.client.sessions.destroy(sessions["b1"], bob.user_id)
    after = h.read_data_source("kasm_sessions", user_id=bob.user_id)
    assert after["sessions"] == []


def test_session_by_id(provider_harness: Harness, kasm_app: Any, sessions: dict[str, Any]) -> None:
    h = provider_harness
    kasm_app.state.kasm.calls.reset()
    one = h.read_data_source("kasm_session", id=dashed(sessions["b1"]))
    calls = _calls(kasm_app)
    assert calls.get("get_kasms") == 1 and calls.get("get_kasm_status", 0) == 0, calls
    assert one["id"] == dashed(sessions["b1"])
    assert (one["username"], one["operational_status"]) == ("bob", "running")
    listed = next(x for x in h.read_data_source("kasm_sessions")["sessions"] if x["id"] == sessions["b1"])
    assert {**one, "id": sessions["b1"]} == listed


def test_session_not_found_names_the_attribute(provider_harness: Harness, sessions: dict[str, Any]) -> None:
    h = provider_harness
    with pytest.raises(ProviderError) as missing:
        h.read_data_source("kasm_session", id="0" * 32)
    assert "Session not found" in missing.value.text and "0" * 32 in missing.value.text
    assert [d[2] for d in missing.value.diagnostics] == ["id"]
    with pytest.raises(ProviderError) as bad:
        h.read_data_source("kasm_sessions", user_id="not-an-id")
    assert [d[2] for d in bad.value.diagnostics] == ["user_id"]
