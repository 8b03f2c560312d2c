"""The remaining API areas against the local server: zones, staging and cast configs, session
permissions, registries, licenses, and the smaller session/user calls."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.models import CastConfigSpec, ImageSpec, StagingConfigSpec, ZoneSpec

from .conftest import LocalKasm


def test_zones_staging_and_cast_configs(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    assert "default" in {z.zone_name for z in kasm.zones.list()}
    east = local_kasm.name("east")
    zone = kasm.zones.create(ZoneSpec(zone_name=east, proxy_port=8443))
    assert (zone.zone_name, zone.proxy_port) == (east, 8443)
    with pytest.raises(errors.Conflict):
        kasm.zones.create(ZoneSpec(zone_name=east))
    zone = kasm.zones.update(zone.zone_id, dataclasses.replace(zone.to_spec(), proxy_path="vdi"))
    assert kasm.zones.find(name=east).proxy_path == "vdi"  # type: ignore[union-attr]

    image = kasm.images.create(ImageSpec(name=local_kasm.name("kasmweb/staged:1.0")))
    staging = kasm.staging_configs.create(
        StagingConfigSpec(
            zone_id=zone.zone_id,
            image_id=image.image_id,
            num_sessions=2,
            expiration=1.5,
            allow_kasm_audio=True,
        )
    )
    assert (staging.num_sessions, staging.expiration, staging.allow_kasm_audio) == (2, 1.5, True)
    staging = kasm.staging_configs.update(
        staging.staging_config_id, dataclasses.replace(staging.to_spec(), num_sessions=3)
    )
    assert kasm.staging_configs.get(staging.staging_config_id).num_sessions == 3
    assert staging.staging_config_id in {s.staging_config_id for s in kasm.staging_configs.list()}
    kasm.staging_configs.delete(staging.staging_config_id)
    with pytest.raises(errors.NotFound) as info:
        kasm.staging_configs.get(staging.staging_config_id)
    assert info.value.kind == "staging config"

    key, title = local_kasm.name("kiosk"), local_kasm.name("Kiosk")
    cast = kasm.cast_configs.create(
        CastConfigSpec(
            key=key,
            casting_config_name=title,
            image_id=image.image_id,
            allowed_referrers=("a.example", "b.example"),
        )
    )
    assert cast.allowed_referrers == ("a.example", "b.example")
    with pytest.raises(errors.Conflict):
        kasm.cast_configs.create(
            CastConfigSpec(key=key, casting_config_name=local_kasm.name("Other"), image_id=image.image_id)
        )
    cast = kasm.cast_configs.update(
        cast.cast_config_id, dataclasses.replace(cast.to_spec(), limit_sessions=True, session_remaining=5)
    )
    assert (cast.limit_sessions, cast.session_remaining) == (True, 5)
    assert kasm.cast_configs.get(cast.cast_config_id).key == key
    kasm.cast_configs.delete(cast.cast_config_id)
    kasm.cast_configs.delete(cast.cast_config_id, missing_ok=True)
    with pytest.raises(errors.NotFound):
        kasm.cast_configs.get(cast.cast_config_id)

    kasm.zones.delete(zone.zone_id)
    with pytest.raises(errors.NotFound) as info:
        kasm.zones.delete(zone.zone_id)
    assert info.value.kind == "zone"


def test_session_permissions_keepalive_exec(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    owner = kasm.users.create(local_kasm.name("owner@example.com"))
    viewer = kasm.users.create(local_kasm.name("viewer@example.com"))
    image = kasm.images.create(ImageSpec(name=local_kasm.name("kasmweb/shared:1.0")))
    group = kasm.groups.create(local_kasm.name("Sharers"), priority=80)
    kasm.groups.add_user(group.group_id, owner.user_id)
    kasm.groups.add_image(group.group_id, image.image_id)
    session = kasm.sessions.request(user_id=owner.user_id, image_id=image.image_id)

    granted = kasm.session_permissions.set(session.kasm_id, {viewer.user_id: "r"})
    assert [(p.user_id, p.access, p.username) for p in granted] == [(viewer.user_id, "r", viewer.username)]
    kasm.session_permissions.set_all(session.kasm_id, "rw")
    assert [p.access for p in kasm.session_permissions.list(user_id=viewer.user_id)] == ["rw"]
    kasm.session_permissions.delete(session.kasm_id, [viewer.user_id])
    assert kasm.session_permissions.list(kasm_id=session.kasm_id) == []
    with pytest.raises(errors.NotFound):
        kasm.session_permissions.delete(session.kasm_id, [viewer.user_id])
    kasm.session_permissions.delete_all(session.kasm_id)

    kasm.sessions.wait_until_running(session.kasm_id, owner.user_id, timeout=30, interval=0.1)
    assert kasm.sessions.keepalive(session.kasm_id) is False
    assert (
        kasm.sessions.exec_command(session.kasm_id, owner.user_id, "echo hi", user="root").kasm_id
        == session.kasm_id
    )

    assert kasm.users.login_url(owner.user_id).startswith(("http://", "https://"))
    kasm.users.logout(owner.user_id)
    kasm.session_tokens.delete_all(owner.user_id)
    assert kasm.session_tokens.list(owner.user_id) == []
    token = kasm.session_tokens.create(owner.user_id)
    refreshed = kasm.session_tokens.update(token.session_token)
    assert refreshed.expires_at is not None and token.expires_at is not None
    assert refreshed.expires_at >= token.expires_at


def test_registries_and_licenses(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    registries = kasm.registries.list()
    assert registries and registries[0].registry_url.startswith("https://")
    assert kasm.registries.find(url=registries[0].registry_url.rstrip("/")) is not None
    assert kasm.registries.get(registries[0].registry_id).registry_id == registries[0].registry_id
    with pytest.raises(errors.APIError):
        kasm.registries.create("https://registry.invalid.example/")
    assert isinstance(kasm.licenses.list(), list)
    with pytest.raises(errors.APIError, match="Invalid License"):
        kasm.licenses.add("not-a-license")
    with pytest.raises(errors.NotFound) as info:
        kasm.licenses.delete("ab" * 16)
    assert info.value.kind == "license"
    kasm.licenses.delete("ab" * 16, missing_ok=True)


def test_registry_crud_with_a_local_registry(local_kasm: LocalKasm, tmp_path: Path) -> None:
    import json

    (tmp_path / "1.0").mkdir()
    (tmp_path / "versions.txt").write_text("1.0\n")
    listing = {
        "name": "Local",
        "icon": "icon.png",
        "description": "test registry",
        "list_url": "list.json",
        "workspaces": [{"friendly_name": "Term", "name": "x/term:1"}],
    }
    (tmp_path / "1.0" / "list.json").write_text(json.dumps(listing))
    url = tmp_path.as_uri() + "/"

    kasm = local_kasm.client
    registry = kasm.registries.create(url)
    assert registry.registry_url.rstrip("/") == url.rstrip("/")
    assert registry.config.get("name") == "Local"
    assert [w["friendly_name"] for w in registry.workspaces] == ["Term"]
    with pytest.raises(errors.Conflict):
        kasm.registries.create(url)
    kasm.registries.set_auto_updates(registry.registry_id, False)
    assert kasm.registries.get(registry.registry_id).do_auto_update is False
    kasm.registries.refresh(registry.registry_id)
    kasm.registries.delete(registry.registry_id)
    assert kasm.registries.find(registry.registry_id) is None
    kasm.registries.delete(registry.registry_id, missing_ok=True)
