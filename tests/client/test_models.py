"""Kasm's JSON conventions ↔ the models (reference §1.8)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from terraform_provider_kasm.client import convert
from terraform_provider_kasm.client.models import (
    Group,
    Image,
    ImageSpec,
    RequestedSession,
    SessionStatus,
    SessionToken,
    User,
)

DASHED = "57E8FC1A-FA86-4FF4-9474-60D9831F42D5"
HEX = "57e8fc1afa864ff4947460d9831f42d5"


def test_ids_are_always_32_hex_lowercase() -> None:
    assert convert.kasm_id(DASHED) == HEX
    assert convert.kasm_id(HEX) == HEX
    assert convert.kasm_id("None") is None and convert.kasm_id(None) is None
    assert convert.require_id(DASHED) == HEX
    assert convert.dashed(HEX) == DASHED.lower()
    with pytest.raises(ValueError, match="user_id"):
        convert.require_id("not-a-uuid", "user_id")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-11-12 14:29:25.808258", datetime(2020, 11, 12, 14, 29, 25, 808258, tzinfo=UTC)),
        ("2026-09-10T12:52:49Z", datetime(2026, 9, 10, 12, 52, 49, tzinfo=UTC)),
        ("2026-09-10T14:52:49+02:00", datetime(2026, 9, 10, 12, 52, 49, tzinfo=UTC)),
        ("None", None),
        ("", None),
        (None, None),
        ("yesterday", None),
    ],
)
def test_datetimes(text: str | None, expected: datetime | None) -> None:
    assert convert.parse_datetime(text) == expected


def test_get_users_entry_with_dashed_id_and_none_string() -> None:
    user = User.from_json(
        {
            "user_id": DASHED,
            "username": "bob",
            "last_session": "None",
            "anonymous": False,
            "groups": [{"name": "All Users", "group_id": "68d557ac4cac42cca9f31c7c853de0f3"}],
            "kasms": [{"kasm_id": "b057c375-4cb6-499c-b8d3-afeadd6bf0fc"}],
            "company": {},
        }
    )
    assert user.user_id == HEX
    assert user.last_session is None
    assert user.groups[0].name == "All Users"
    assert user.kasm_ids == ("b057c3754cb6499cb8d3afeadd6bf0fc",)
    assert user.raw == {"company": {}}


def test_image_json_string_fields_both_ways() -> None:
    image = Image.from_json(
        {
            "image_id": HEX,
            "name": "kasmweb/chrome:1.15.0",
            "run_config": '{"hostname": "kasm"}',
            "exec_config": {"go": {"cmd": "x"}},
            "volume_mappings": "",
            "launch_config": None,
            "categories": "Browsers\nWeb\n\nBrowsers",
            "memory": 2768000000,
            "cores": "2",
            "docker_token": "**********",
            "imageAttributes": [{"name": "x"}],
            "server": {},
        }
    )
    assert image.run_config == {"hostname": "kasm"}
    assert image.exec_config == {"go": {"cmd": "x"}}
    assert image.volume_mappings == {} and image.launch_config == {}
    assert image.categories == ("Browsers", "Web")
    assert (image.memory, image.cores) == (2768000000, 2.0)
    assert image.image_attributes == ({"name": "x"},)
    wire = image.to_spec().to_json()
    assert wire["run_config"] == '{"hostname":"kasm"}'
    assert json.loads(wire["exec_config"]) == {"go": {"cmd": "x"}}
    assert wire["volume_mappings"] == "{}"
    assert wire["categories"] == "Browsers\nWeb"
    for computed in ("image_id", "available", "default_category", "imageAttributes", "zone_name", "server"):
        assert computed not in wire


def test_image_spec_leaves_out_unset_fields() -> None:
    wire = ImageSpec(name="x").to_json()
    assert "description" not in wire and "docker_token" not in wire
    assert wire["enabled"] is True and wire["memory"] == 768_000_000


def test_secrets_stay_out_of_reprs() -> None:
    spec = ImageSpec(name="x", docker_token="dckr-secret-1")
    assert "dckr-secret-1" not in repr(spec)
    requested = RequestedSession.from_json(
        {
            "kasm_id": DASHED,
            "session_token": "tok-secret-2",
            "kasm_url": "/#/connect/kasm/a/b/tok-secret-2",
            "status": "starting",
        }
    )
    assert requested.kasm_id == HEX
    assert "tok-secret-2" not in repr(requested)
    token = SessionToken.from_json({"session_token": "tok-secret-3", "expires_at": "2026-01-01 00:00:00"})
    assert "tok-secret-3" not in repr(token)
    status = SessionStatus.from_json(
        {
            "kasm_url": "/#/x/tok-secret-4",
            "kasm": {"kasm_id": HEX, "port_map": {"vnc": {"authorization": "basic-secret-5"}}},
        }
    )
    assert "tok-secret-4" not in repr(status) and "basic-secret-5" not in repr(status)


def test_group_metadata_and_defaults() -> None:
    group = Group.from_json({"group_id": HEX, "name": "G", "priority": "10", "group_metadata": None})
    assert (group.priority, group.group_metadata, group.description) == (10, {}, None)


def test_session_status_reads_operational_fields() -> None:
    status = SessionStatus.from_json({"operational_status": "provisioning", "operational_progress": 40})
    assert (status.status, status.running, status.operational_progress) == ("provisioning", False, 40)
    running = SessionStatus.from_json({"kasm": {"kasm_id": HEX, "operational_status": "running"}})
    assert running.running
