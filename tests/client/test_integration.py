"""Every call the provider uses, against the local Kasm-compatible server (in-process and socket)."""

from __future__ import annotations

import dataclasses

import pytest

from terraform_provider_kasm.client import KasmClient, errors
from terraform_provider_kasm.client.models import ImageSpec

from .conftest import LocalKasm

ALL_USERS = "68d557ac4cac42cca9f31c7c853de0f3"
PASSWORD = "Str0ng!Passw0rd"


def _image(client: KasmClient, name: str = "kasmweb/terminal:1.15.0") -> str:
    spec = ImageSpec(
        name=name,
        friendly_name="Terminal",
        categories=("Dev", "Tools"),
        run_config={"hostname": "kasm"},
        memory=2_768_000_000,
        cores=2,
    )
    return client.images.create(spec).image_id


def test_images_crud(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    spec = ImageSpec(
        name="kasmweb/terminal:1.15.0",
        friendly_name="Terminal",
        description="a shell",
        categories=("Dev", "Tools"),
        run_config={"hostname": "kasm", "environment": {"A": "1"}},
        exec_config={"go": {"cmd": "bash"}},
        volume_mappings={"/data": {"bind": "/data", "mode": "rw"}},
        memory=2_768_000_000,
        cores=1.5,
        enabled=True,
    )
    created = kasm.images.create(spec)
    assert len(created.image_id) == 32 and created.image_id == created.image_id.lower()
    assert created.categories == ("Dev", "Tools")
    assert created.run_config == {"hostname": "kasm", "environment": {"A": "1"}}
    assert created.exec_config == {"go": {"cmd": "bash"}}
    assert created.volume_mappings == {"/data": {"bind": "/data", "mode": "rw"}}
    assert created.memory == 2_768_000_000 and created.cores == 1.5
    assert kasm.images.get(created.image_id).friendly_name == "Terminal"

    changed = created.to_spec()
    changed = ImageSpec(
        **{**changed.__dict__, "description": "changed", "categories": ("Tools",), "enabled": False}
    )
    updated = kasm.images.update(created.image_id, changed)
    assert (updated.description, updated.categories, updated.enabled) == ("changed", ("Tools",), False)
    assert updated.run_config == {"hostname": "kasm", "environment": {"A": "1"}}
    listed = {i.image_id: i for i in kasm.images.list()}
    assert listed[created.image_id].description == "changed"

    kasm.images.delete(created.image_id)
    assert kasm.images.find(created.image_id) is None
    with pytest.raises(errors.NotFound) as info:
        kasm.images.delete(created.image_id)
    assert info.value.kind == "image"
    kasm.images.delete(created.image_id, missing_ok=True)
    with pytest.raises(errors.NotFound):
        kasm.images.update(created.image_id, spec)


def test_users_crud_and_attributes(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    alice = local_kasm.name("alice@example.com")
    user = kasm.users.create(f"  {alice.upper()} ", password=PASSWORD, first_name="Alice", organization="Org")
    assert user.username == alice
    assert ALL_USERS in [g.group_id for g in user.groups]
    assert kasm.users.get(user.user_id).first_name == "Alice"
    assert kasm.users.get(username=alice.capitalize()).user_id == user.user_id
    assert kasm.users.find(username=local_kasm.name("nobody@example.com")) is None

    with pytest.raises(errors.Conflict):
        kasm.users.create(alice)

    updated = kasm.users.update(user.user_id, last_name="Liddell", locked=True)
    assert (updated.last_name, updated.locked, updated.username) == ("Liddell", True, alice)

    kasm.users.update_attributes(user.user_id, theme="Dark", show_tips=True)
    attributes = kasm.users.get_attributes(user.user_id)
    assert (attributes.theme, attributes.show_tips, attributes.user_id) == ("Dark", True, user.user_id)

    assert user.user_id in {u.user_id for u in kasm.users.list()}

    kasm.users.delete(user.user_id)
    assert kasm.users.find(user.user_id) is None
    with pytest.raises(errors.NotFound) as info:
        kasm.users.get_attributes(user.user_id)
    assert info.value.kind == "user"
    with pytest.raises(errors.NotFound):
        kasm.users.update(user.user_id, username=alice)
    kasm.users.delete(user.user_id, missing_ok=True)


def test_users_list_fetches_every_page(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    made = {kasm.users.create(local_kasm.name(f"user{i:02d}@example.com")).user_id for i in range(7)}
    listed = kasm.users.list(page_size=3)
    assert made <= {u.user_id for u in listed}
    assert len(listed) == len({u.user_id for u in listed})
    pages = local_kasm.call_counts()["get_users"]
    assert pages >= 3


def test_groups_crud_members_and_images(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    developers, engineers = local_kasm.name("Developers"), local_kasm.name("Engineers")
    group = kasm.groups.create(developers, priority=10, description="devs", group_metadata={"team": "a"})
    assert (group.name, group.priority, group.is_system) == (developers, 10, False)
    with pytest.raises(errors.Conflict):
        kasm.groups.create(developers, priority=11)
    assert kasm.groups.find(name=developers).group_id == group.group_id  # type: ignore[union-attr]

    renamed = kasm.groups.update(group.group_id, name=engineers, priority=20)
    assert (renamed.name, renamed.priority, renamed.description) == (engineers, 20, "devs")
    assert kasm.groups.get(group.group_id).name == engineers

    bob = local_kasm.name("bob@example.com")
    user = kasm.users.create(bob, password=PASSWORD)
    kasm.groups.add_user(group.group_id, user.user_id)
    with pytest.raises(errors.Conflict):
        kasm.groups.add_user(group.group_id, user.user_id)
    assert [(m.user_id, m.username) for m in kasm.groups.users(group.group_id)] == [(user.user_id, bob)]
    assert group.group_id in {g.group_id for g in kasm.users.get(user.user_id).groups}

    image_id = _image(kasm)
    kasm.groups.add_image(group.group_id, image_id)
    images = kasm.groups.images(group.group_id)
    assert [(i.image_id, i.group_id) for i in images] == [(image_id, group.group_id)]

    kasm.groups.remove_image(group.group_id, image_id)
    assert kasm.groups.images(group.group_id) == []
    kasm.groups.remove_user(group.group_id, user.user_id)
    assert kasm.groups.users(group.group_id) == []
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.remove_user(group.group_id, user.user_id)
    assert info.value.kind == "membership"
    kasm.groups.remove_user(group.group_id, user.user_id, missing_ok=True)

    kasm.groups.delete(group.group_id)
    assert kasm.groups.find(group.group_id) is None
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.delete(group.group_id)
    assert info.value.kind == "group"
    with pytest.raises(errors.NotFound):
        kasm.groups.update(group.group_id, name="x")
    with pytest.raises(errors.NotFound):
        kasm.groups.images(group.group_id)


def test_group_with_members_needs_force(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    group = kasm.groups.create(local_kasm.name("Crowded"), priority=30)
    user = kasm.users.create(local_kasm.name("carol@example.com"))
    kasm.groups.add_user(group.group_id, user.user_id)
    with pytest.raises(errors.Conflict):
        kasm.groups.delete(group.group_id)
    kasm.groups.delete(group.group_id, force=True)
    assert kasm.groups.find(group.group_id) is None


def test_group_settings(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    catalogue = {s.name: s for s in kasm.groups.settings()}
    sharing = catalogue["allow_kasm_sharing"]
    assert (sharing.value_type, catalogue["keepalive_expiration"].value_type) == ("bool", "int")
    group = kasm.groups.create(local_kasm.name("Settings"), priority=40)
    assert kasm.groups.settings(group.group_id) == []

    added = kasm.groups.add_setting(group.group_id, sharing, "true")
    assert (added.name, added.value, added.value_type, added.group_id) == (
        "allow_kasm_sharing",
        "true",
        "bool",
        group.group_id,
    )
    assert added.group_setting_id != sharing.group_setting_id
    with pytest.raises(errors.Conflict):
        kasm.groups.add_setting(group.group_id, sharing, "false")
    with pytest.raises(errors.APIError, match="Invalid value type or value"):
        kasm.groups.add_setting(group.group_id, catalogue["keepalive_expiration"], "soon")

    changed = kasm.groups.update_setting(group.group_id, added.group_setting_id, "false")
    assert changed.value == "false"
    assert [(s.name, s.value) for s in kasm.groups.settings(group.group_id)] == [
        ("allow_kasm_sharing", "false")
    ]

    kasm.groups.remove_setting(added.group_setting_id)
    assert kasm.groups.settings(group.group_id) == []
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.remove_setting(added.group_setting_id)
    assert info.value.kind == "group setting"
    kasm.groups.remove_setting(added.group_setting_id, missing_ok=True)
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.update_setting(group.group_id, added.group_setting_id, "true")
    assert info.value.kind == "group setting"
    kasm.groups.delete(group.group_id)
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.settings(group.group_id)
    assert info.value.kind == "group"
    with pytest.raises(errors.NotFound) as info:
        kasm.groups.add_setting(group.group_id, sharing, "true")
    assert info.value.kind == "group"


def test_session_lifecycle(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    dave = local_kasm.name("dave@example.com")
    user = kasm.users.create(dave, password=PASSWORD)
    image_id = _image(kasm)

    with pytest.raises(errors.PermissionDenied, match="Image Not Authorized"):
        kasm.sessions.request(user_id=user.user_id, image_id=image_id)

    group = kasm.groups.create(local_kasm.name("Launchers"), priority=40)
    kasm.groups.add_user(group.group_id, user.user_id)
    kasm.groups.add_image(group.group_id, image_id)

    requested = kasm.sessions.request(user_id=user.user_id, image_id=image_id)
    assert len(requested.kasm_id) == 32 and "-" not in requested.kasm_id
    assert requested.user_id == user.user_id
    assert requested.session_token and requested.kasm_url

    status = kasm.sessions.wait_until_running(requested.kasm_id, user.user_id, timeout=30, interval=0.1)
    assert status.running and status.kasm is not None
    assert status.kasm.image_id == image_id and status.kasm.user_id == user.user_id

    listed = {s.kasm_id: s for s in kasm.sessions.list()}
    assert listed[requested.kasm_id].username == dave
    assert kasm.sessions.get(requested.kasm_id).kasm_id == requested.kasm_id

    kasm.sessions.destroy(requested.kasm_id, user.user_id)
    with pytest.raises(errors.NotFound) as info:
        kasm.sessions.status(requested.kasm_id, user.user_id)
    assert info.value.kind == "session"
    kasm.sessions.destroy(requested.kasm_id, user.user_id, missing_ok=True)
    assert kasm.sessions.find(requested.kasm_id) is None


def test_session_tokens(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    user = kasm.users.create(local_kasm.name("erin@example.com"))
    token = kasm.session_tokens.create(user.user_id)
    assert token.session_token and token.expires_at is not None
    assert kasm.session_tokens.get(token.session_token).expires_at == token.expires_at
    assert len(kasm.session_tokens.list(user.user_id)) == 1
    kasm.session_tokens.delete(token.session_token)
    with pytest.raises(errors.NotFound) as info:
        kasm.session_tokens.get(token.session_token)
    assert token.session_token not in str(info.value)


def test_wrong_secret_is_an_authentication_error(local_kasm: LocalKasm) -> None:
    with (
        local_kasm.client_for(local_kasm.api_key, "0" * 32) as bad,
        pytest.raises(errors.AuthenticationError),
    ):
        bad.images.list()


def test_missing_permission_names_it(local_kasm: LocalKasm) -> None:
    from tests.fixtures.kasm_server import add_api_key

    kasm = local_kasm.client
    user = kasm.users.create(local_kasm.name("frank@example.com"))
    image_id = _image(kasm)
    key, secret = add_api_key(local_kasm.app, [100])  # User only: no Users Auth Session
    limited = local_kasm.client_for(key, secret)
    with pytest.raises(errors.PermissionDenied) as info:
        limited.sessions.request(user_id=user.user_id, image_id=image_id)
    assert "Users Auth Session" in info.value.hint
    with pytest.raises(errors.PermissionDenied) as info:
        limited.groups.create("nope", priority=5)
    assert info.value.permissions == ("Groups Create",)
    limited.close()


def test_one_client_shared_by_threads(local_kasm: LocalKasm) -> None:
    from concurrent.futures import ThreadPoolExecutor

    kasm = local_kasm.client

    def work(i: int) -> tuple[str, str, int]:
        user = kasm.users.create(local_kasm.name(f"thread{i}@example.com"))
        group = kasm.groups.create(local_kasm.name(f"thread-group-{i}"), priority=100 + i)
        kasm.groups.add_user(group.group_id, user.user_id)
        return user.user_id, group.group_id, len(kasm.images.list())

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(16)))
    assert len({u for u, _, _ in results}) == 16
    for user_id, group_id, image_count in results:
        assert image_count > 0
        assert [m.user_id for m in kasm.groups.users(group_id)] == [user_id]


def test_image_update_clears_what_is_left_none(local_kasm: LocalKasm) -> None:
    """update_image replaces the object: a session limit, docker credentials or registry left None
    are cleared, while a docker token sent back masked (as get_images shows it) is kept."""
    kasm = local_kasm.client
    created = kasm.images.create(
        ImageSpec(
            name=local_kasm.name("kasmweb/limited:1.0"),
            session_time_limit=3600,
            docker_registry="https://registry.example/",
            docker_user="bot",
            docker_token="tok-1",
        )
    )
    assert created.session_time_limit == 3600 and created.docker_token == "**********"
    kept = kasm.images.update(created.image_id, created.to_spec())
    assert (kept.session_time_limit, kept.docker_user, kept.docker_token) == (3600, "bot", "**********")
    spec = dataclasses.replace(
        created.to_spec(), session_time_limit=None, docker_user=None, docker_token=None, docker_registry=None
    )
    cleared = kasm.images.update(created.image_id, spec)
    assert (cleared.session_time_limit, cleared.docker_user, cleared.docker_token) == (None, None, None)
    assert cleared.docker_registry is None
    kasm.images.delete(created.image_id)
