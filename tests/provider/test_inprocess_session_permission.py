"""kasm_session_permission through the servicer in-process (tests/fixtures/inprocess.py): access values,
import forms, one owner per grant, drift."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from tests.fixtures.inprocess import Harness, ProviderError

SP = "kasm_session_permission"


@pytest.fixture
def session_and_viewer(provider_harness: Harness) -> tuple[str, str]:
    """A running session of a seeded image and a second user to share it with."""
    c = provider_harness.client
    image = next(i for i in c.images.list() if i.name.startswith("kasmweb/terminal"))
    owner = c.users.create("sp.owner", password="Password123!")
    group = c.groups.create("sp.users", priority=100)
    c.groups.add_user(group.group_id, owner.user_id)
    c.groups.add_image(group.group_id, image.image_id)
    session = c.sessions.request(user_id=owner.user_id, image_id=image.image_id)
    viewer = c.users.create("sp.viewer", password="Password123!")
    return session.kasm_id, viewer.user_id


def grants(h: Harness, kasm_id: str) -> dict[str, str | None]:
    return {p.user_id: p.access for p in h.client.session_permissions.list(kasm_id=kasm_id)}


@pytest.mark.parametrize("access", ["r", "rw"])
def test_create_update_delete(
    provider_harness: Harness, session_and_viewer: tuple[str, str], access: str
) -> None:
    h = provider_harness
    kasm_id, user_id = session_and_viewer
    config = h.config(SP, kasm_id=kasm_id, user_id=user_id, access=access)
    state = h.create(SP, config)
    assert state["id"] == f"{kasm_id}:{user_id}" and state["access"] == access
    assert (
        state["username"] == "sp.viewer"
        and state["vnc_username"]
        and len(state["session_permission_id"]) == 32
    )
    assert grants(h, kasm_id)[user_id] == access
    assert h.changes(SP, state, config) == {}

    other = "rw" if access == "r" else "r"
    state = h.update(SP, state, h.config(SP, kasm_id=kasm_id, user_id=user_id, access=other))
    assert state["access"] == other and grants(h, kasm_id)[user_id] == other

    h.delete(SP, state)
    assert user_id not in grants(h, kasm_id)


@pytest.mark.parametrize("bad", ["", "w", "rwo", "R", "none"])
def test_access_values(provider_harness: Harness, bad: str) -> None:
    h = provider_harness
    config = h.config(SP, kasm_id="0" * 32, user_id="1" * 32, access=bad)
    with pytest.raises(ProviderError) as failed:
        h.validate(SP, config)
    assert "access" in failed.value.text and '"r"' in failed.value.text and '"rw"' in failed.value.text


@pytest.mark.parametrize("form", ["hex", "dashed"])
def test_import_forms(provider_harness: Harness, session_and_viewer: tuple[str, str], form: str) -> None:
    h = provider_harness
    kasm_id, user_id = session_and_viewer
    h.client.session_permissions.set(kasm_id, {user_id: "rw"})
    import_id = f"{kasm_id}:{user_id}" if form == "hex" else f"{dashed(kasm_id)}:{dashed(user_id)}"
    state = h.import_(SP, import_id)
    assert state is not None and state["id"] == f"{kasm_id}:{user_id}" and state["access"] == "rw"
    assert h.changes(SP, state, h.config(SP, kasm_id=kasm_id, user_id=user_id, access="rw")) == {}


@pytest.mark.parametrize("bad", ["nope", "0123456789abcdef0123456789abcdef"])
def test_import_errors(provider_harness: Harness, bad: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(SP, bad)
    assert "Invalid import ID" in failed.value.text and "<kasm_id>:<user_id>" in failed.value.text


def test_existing_grant_is_not_taken_over(
    provider_harness: Harness, session_and_viewer: tuple[str, str]
) -> None:
    h = provider_harness
    kasm_id, user_id = session_and_viewer
    h.client.session_permissions.set(kasm_id, {user_id: "r"})
    with pytest.raises(ProviderError) as failed:
        h.create(SP, h.config(SP, kasm_id=kasm_id, user_id=user_id, access="rw"))
    assert "Access already granted" in failed.value.text and "import" in failed.value.text
    assert grants(h, kasm_id)[user_id] == "r"  # untouched


def test_unknown_user_names_the_attribute(
    provider_harness: Harness, session_and_viewer: tuple[str, str]
) -> None:
    h = provider_harness
    kasm_id, _ = session_and_viewer
    missing = "0123456789abcdef0123456789abcdef"
    with pytest.raises(ProviderError) as failed:
        h.create(SP, h.config(SP, kasm_id=kasm_id, user_id=missing, access="r"))
    assert "Could not grant access" in failed.value.text and "user_id" in failed.value.text
    assert missing not in grants(h, kasm_id)


def test_drift(provider_harness: Harness, session_and_viewer: tuple[str, str]) -> None:
    h = provider_harness
    kasm_id, user_id = session_and_viewer
    config = h.config(SP, kasm_id=kasm_id, user_id=user_id, access="r")
    state = h.create(SP, config)
    # Changed outside: planned back in place.
    h.client.session_permissions.set(kasm_id, {user_id: "rw"})
    assert h.changes(SP, state, config) == {"access": ("rw", "r")}
    # Removed outside: gone from state, planned again.
    h.client.session_permissions.delete(kasm_id, [user_id])
    assert h.read(SP, state) is None
    state = h.create(SP, config)
    # The session itself gone: the grant leaves the state, and destroy of a stale one succeeds.
    owner = next(s.user_id for s in h.client.sessions.list() if s.kasm_id == kasm_id)
    assert owner is not None
    h.client.sessions.destroy(kasm_id, owner)
    assert h.read(SP, state) is None
    h.delete(SP, state)


def test_grant_that_cannot_be_read_back_is_withdrawn(
    provider_harness: Harness, session_and_viewer: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from terraform_provider_kasm.provider.resources.session_permission import SessionPermissionResource

    h = provider_harness
    kasm_id, user_id = session_and_viewer
    real = SessionPermissionResource.find
    calls: list[int] = []

    def find_once(self: SessionPermissionResource, data: Any, ids: dict[str, str]) -> dict[str, Any] | None:
        calls.append(1)
        return real(self, data, ids) if len(calls) == 1 else None  # the check sees none; the read-back too

    monkeypatch.setattr(SessionPermissionResource, "find", find_once)
    with pytest.raises(ProviderError) as failed:
        h.create(SP, h.config(SP, kasm_id=kasm_id, user_id=user_id, access="r"))
    assert "Grant not listed" in failed.value.text and len(calls) == 2
    assert user_id not in grants(h, kasm_id)  # nothing left on the server that no state knows about
