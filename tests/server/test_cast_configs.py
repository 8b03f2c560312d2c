"""Cast configs: CRUD, uniqueness, and Kasm 1.15's public 400 errors."""

from __future__ import annotations

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import error, new_group, new_image, ok, seeded_image_id


def test_cast_config_crud(kasm_server: KasmServer) -> None:
    image_id = seeded_image_id(kasm_server)
    group_id = new_group(kasm_server)
    spec = {
        "key": "kiosk",
        "casting_config_name": "Kiosk",
        "image_id": image_id,
        "group_id": group_id,
        "allowed_referrers": "example.com\n  other.example.com \n",
        "limit_sessions": True,
        "session_remaining": 5,
        "allow_anonymous": True,
        "kasm_url": "https://example.com",
        "remote_app_configs": '{"a": 1}',
        "valid_until": "2030-01-02 03:04:05",
    }
    created = ok(kasm_server.post("create_cast_config", {"target_cast_config": spec}))["cast_config"]
    assert created["key"] == "kiosk" and created["casting_config_name"] == "Kiosk"
    assert created["allowed_referrers"] == ["example.com", "other.example.com"]
    assert (created["limit_sessions"], created["session_remaining"], created["allow_anonymous"]) == (
        True,
        5,
        True,
    )
    assert created["image_friendly_name"] == "Terminal" and created["group_name"]
    assert created["remote_app_configs"] == {"a": 1} and created["valid_until"] == "2030-01-02 03:04:05"
    assert created["allow_kasm_audio"] is False and created["error_url"] is None
    config_id = created["cast_config_id"]
    assert ok(kasm_server.post("get_cast_config", {"cast_config_id": config_id})) == {"cast_config": created}
    assert ok(kasm_server.post("get_cast_configs"))["cast_configs"] == [created]
    updated = ok(
        kasm_server.post(
            "update_cast_config",
            {
                "target_cast_config": {
                    "cast_config_id": config_id,
                    "allowed_referrers": ["a.example"],
                    "disable_tips": True,
                }
            },
        )
    )["cast_config"]
    assert updated["allowed_referrers"] == ["a.example"] and updated["disable_tips"] is True
    assert updated["limit_sessions"] is True and updated["key"] == "kiosk"
    assert ok(kasm_server.post("delete_cast_config", {"cast_config_id": config_id})) == {}
    assert error(kasm_server.post("get_cast_config", {"cast_config_id": config_id}), 400) == (
        f"Cast config with id ({config_id}) does not exist"
    )


def test_cast_config_errors(kasm_server: KasmServer) -> None:
    missing = "Invalid Request. Missing required parameters"
    assert (
        error(
            kasm_server.post("create_cast_config", {"target_cast_config": {"casting_config_name": "x"}}), 400
        )
        == missing
    )
    assert error(kasm_server.post("get_cast_config", {}), 400) == missing
    image_id = seeded_image_id(kasm_server)
    ok(
        kasm_server.post(
            "create_cast_config",
            {"target_cast_config": {"key": "one", "casting_config_name": "One", "image_id": image_id}},
        )
    )
    for spec in ({"key": "one"}, {"key": "two", "casting_config_name": "One"}):
        message = error(kasm_server.post("create_cast_config", {"target_cast_config": spec}), 400)
        assert message.startswith("A Cast config with existing key (") and message.endswith("must be unique")
    unknown = "7" * 32
    assert error(kasm_server.post("delete_cast_config", {"cast_config_id": unknown}), 400) == (
        f"Cast config with id ({unknown}) does not exist"
    )
    assert (
        error(
            kasm_server.post("update_cast_config", {"target_cast_config": {"cast_config_id": unknown}}), 400
        )
        == f"Cast config with id ({unknown}) does not exist"
    )
    assert error(
        kasm_server.post("create_cast_config", {"target_cast_config": {"key": "k", "image_id": unknown}}), 400
    )
    key, secret = kasm_server.create_api_key([P.CASTING_VIEW], read_only=True)
    creds = {"api_key": key, "api_key_secret": secret}
    assert len(ok(kasm_server.post("get_cast_configs", creds))["cast_configs"]) == 1
    assert error(kasm_server.post("create_cast_config", {**creds, "target_cast_config": {"key": "z"}}), 401)


def test_an_image_or_group_in_a_cast_config_cannot_be_deleted(kasm_server: KasmServer) -> None:
    image_id = new_image(kasm_server)
    group_id = new_group(kasm_server)
    cast = ok(
        kasm_server.post(
            "create_cast_config",
            {
                "target_cast_config": {
                    "key": "gone",
                    "casting_config_name": "Gone",
                    "image_id": image_id,
                    "group_id": group_id,
                }
            },
        )
    )["cast_config"]
    refused = kasm_server.post("delete_image", {"target_image": {"image_id": image_id}}).json()
    assert refused["error_message"].endswith(
        f"ID ({image_id}) currently has (1) associated Casting Config(s) and cannot be deleted"
    )
    refused = kasm_server.post("delete_group", {"target_group": {"group_id": group_id}, "force": True}).json()
    assert refused["error_message"].endswith(
        f"is referenced in Cast configuration ({cast['cast_config_id']}) and cannot be deleted"
    )
    ok(kasm_server.post("delete_cast_config", {"cast_config_id": cast["cast_config_id"]}))
    ok(kasm_server.post("delete_image", {"target_image": {"image_id": image_id}}))
    ok(kasm_server.post("delete_group", {"target_group": {"group_id": group_id}}))
    assert ok(kasm_server.post("get_cast_configs")) == {"cast_configs": []}


def test_cast_config_kasm_defaults_and_not_null_columns(kasm_server: KasmServer) -> None:
    """allow_resume defaults to true (Kasm 1.15's column default); image_id and casting_config_name
    are NOT NULL columns Kasm does not check first: a create without them is an unhandled 500."""
    image_id = seeded_image_id(kasm_server)
    for spec in ({"key": "a", "casting_config_name": "A"}, {"key": "b", "image_id": image_id}):
        crashed = kasm_server.post("create_cast_config", {"target_cast_config": spec})
        assert crashed.status_code == 500 and crashed.headers["x-kasm-local-emulated-crash"] == "1"
    assert ok(kasm_server.post("get_cast_configs")) == {"cast_configs": []}
    spec = {"key": "c", "casting_config_name": "C", "image_id": image_id}
    created = ok(kasm_server.post("create_cast_config", {"target_cast_config": spec}))["cast_config"]
    assert created["allow_resume"] is True and created["enable_sharing"] is False
    assert (created["session_remaining"], created["allowed_referrers"]) == (0, [])
