"""The unmodified PyPI `kasm` client (pykasm 1.18) drives sessions against the server over a real socket."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import pytest
from kasm.connections import async_connections, connections
from kasm.exceptions import RequestError
from kasm.images import Image
from kasm.sessions import Session
from kasm.status import Status
from kasm.users import User

from ..fixtures.kasm_server import KasmServer
from .session_helpers import new_group


@pytest.fixture
def alias(kasm_server: KasmServer) -> Iterator[str]:
    """A pykasm connection (sync and async) named for this test, pointing at the fixture server."""
    name = f"local-{secrets.token_hex(4)}"
    settings = {"url": kasm_server.base_url, "key": kasm_server.api_key, "secret": kasm_server.api_secret}
    connections.create_connection(name, **settings)
    async_connections.create_connection(name, **settings)
    try:
        yield name
    finally:
        connections.remove_connection(name)
        async_connections.remove_connection(name)


def test_pykasm_session_lifecycle(kasm_server: KasmServer, alias: str) -> None:
    user = User.create("pykasm-user@example.com", "Pa55word!x", using=alias)
    image = next(i for i in Image.all(using=alias) if i.friendly_name == "Terminal")
    # pykasm cannot authorise images for groups: the admin's part goes through the API directly.
    new_group(kasm_server, users=[user.user_id], images=[image.image_id])

    session = Session.request(user, image, using=alias)
    assert session.status == Status.STARTING and len(session.session_id) == 32

    running = session.update_status(using=alias)
    assert running.status == Status.RUNNING
    assert running.session_id == session.session_id and running.image is not None
    assert running.image.image_id == image.image_id
    url = running.url(using=alias)
    assert url is not None and url.startswith(f"{kasm_server.base_url}/#/connect/kasm/")
    assert running.port_map["vnc"]["port"] == 443 and running.start_date is not None

    listed = Session.all(using=alias)
    assert [s.session_id for s in listed] == [session.session_id]
    assert listed[0].user.user_id == user.user_id

    refreshed = running.keepalive(using=alias)
    assert refreshed.keepalive_date is not None and refreshed.keepalive_date >= running.keepalive_date
    running.execute("echo hello", "/home/kasm-user", using=alias)

    running.destroy(using=alias)
    with pytest.raises(RequestError) as raised:
        running.update_status(using=alias)
    assert raised.value.response.status_code == 400
    assert Session.all(using=alias) == []


def test_pykasm_async_session(kasm_server: KasmServer, alias: str) -> None:
    async def scenario() -> None:
        user = await User.acreate("pykasm-async@example.com", "Pa55word!x", using=alias)
        images = await Image.aall(using=alias)
        # pykasm cannot authorise images for groups: the admin's part goes through the API directly.
        await asyncio.to_thread(new_group, kasm_server, users=[user.user_id], images=[images[0].image_id])
        session = await Session.arequest(user, images[0].image_id, using=alias)
        running = await Session.aget(session.session_id, user.user_id, using=alias)
        assert running.status == Status.RUNNING
        await running.adestroy(using=alias)
        assert await Session.aall(using=alias) == []

    asyncio.run(scenario())


def test_pykasm_sees_kasm_errors(alias: str) -> None:
    """request_kasm's business errors come with HTTP 200, so pykasm does not raise; the session id is
    missing from the answer, as with real Kasm."""
    user = User.create("pykasm-denied@example.com", "Pa55word!x", using=alias)
    response = connections.get_connection(alias).sessions.request(user.user_id, "0" * 32)
    assert response.status_code == 200 and response.json() == {"error_message": "Invalid Request"}
