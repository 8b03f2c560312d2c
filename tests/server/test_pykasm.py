"""The unmodified PyPI `kasm` client (pykasm) against the local server, over a real socket (images, users,
groups; sessions are in test_pykasm_sessions.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kasm.clients.sync.clients import SyncClient
from kasm.connections import connections
from kasm.images import Image
from kasm.users import User

from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID

from ..fixtures.kasm_server import KasmServer


@pytest.fixture
def pykasm_alias(kasm_server: KasmServer) -> Iterator[str]:
    alias = f"local-{kasm_server.base_url}"
    connections.create_connection(
        alias, key=kasm_server.api_key, secret=kasm_server.api_secret, url=kasm_server.base_url
    )
    yield alias
    connections.remove_connection(alias)


def test_pykasm_lists_images(pykasm_alias: str) -> None:
    images = Image.all(using=pykasm_alias)
    names = {image.name for image in images}
    assert any(name.startswith("kasmweb/chrome:") for name in names)
    chrome = next(image for image in images if image.name.startswith("kasmweb/chrome:"))
    assert chrome.friendly_name == "Chrome" and chrome.enabled and chrome.available
    assert chrome.memory == 2768000000 and chrome.categories == ["Browser"]


def test_pykasm_creates_a_user_and_adds_it_to_a_group(kasm_server: KasmServer, pykasm_alias: str) -> None:
    group = kasm_server.post("create_group", {"target_group": {"name": "Pykasm", "priority": 50}}).json()[
        "group"
    ]
    user = User.create("Py.User@Example.com", "Pa55word!", first_name="Py", using=pykasm_alias)
    assert user.username == "py.user@example.com" and user.first_name == "Py"
    user.add_to_group(group["group_id"], using=pykasm_alias)
    assert {g.group_id for g in user.groups} == {ALL_USERS_GROUP_ID, group["group_id"]}
    fetched = User.get(username="py.user@example.com", using=pykasm_alias)
    assert fetched.user_id == user.user_id and fetched.created is not None
    everyone = User.all(using=pykasm_alias)
    # get_users gives dashed ids; pykasm keeps them as sent, so compare without dashes.
    assert user.user_id in {u.user_id.replace("-", "") for u in everyone}
    attributes = user.attributes
    assert attributes.ssh_public_key.startswith("ssh-rsa ")


def test_pykasm_errors_raise(kasm_server: KasmServer) -> None:
    from kasm.exceptions import RequestError

    client = SyncClient(kasm_server.api_key, "wrong-secret", url=kasm_server.base_url)
    with pytest.raises(RequestError):
        client.images.get()
