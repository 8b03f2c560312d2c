"""Images: get/create/update/delete and Kasm 1.15's rules for them."""

from __future__ import annotations

import json
from typing import Any

from terraform_provider_kasm.server.errors import EMULATED_CRASH_HEADER
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID

from ..fixtures.kasm_server import KasmServer


def _create(server: KasmServer, **fields: Any) -> dict[str, Any]:
    response = server.post("create_image", {"target_image": {"name": "kasmweb/test:1.0", **fields}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "error_message" not in body, body
    image: dict[str, Any] = body["image"]
    return image


def test_seeded_catalogue_is_sorted_and_complete(kasm_server: KasmServer) -> None:
    images = kasm_server.post("get_images").json()["images"]
    assert len(images) >= 8
    names = [image["friendly_name"] for image in images]
    assert names == sorted(names)
    terminal = next(image for image in images if image["name"].startswith("kasmweb/terminal:"))
    assert terminal["available"] is True and terminal["enabled"] is True
    assert terminal["image_src"] == "img/thumbnails/terminal.png"
    assert terminal["server"] == {} and terminal["server_pool"] == {}
    assert isinstance(terminal["memory"], int) and terminal["memory"] >= 1_000_000_000
    assert len(terminal["image_id"]) == 32 and "-" not in terminal["image_id"]
    # Kasm's key order starts image_id, cores, description ...
    assert list(terminal)[:3] == ["image_id", "cores", "description"]
    # Seeded images are authorised for no group, not even All Users (images are not linked to All Users
    # by default): sessions need an admin's add_images_group.
    group_images = kasm_server.post("get_images_group", {"target_group": {"group_id": ALL_USERS_GROUP_ID}})
    assert group_images.status_code == 200 and group_images.json() == {"images": []}


def test_create_image_defaults_and_json_string_fields(kasm_server: KasmServer) -> None:
    image = _create(
        kasm_server,
        friendly_name="Test",
        run_config=json.dumps({"hostname": "kasm"}),
        exec_config="",
        categories="Dev\nTools\nDev\n  \n",
        persistent_profile_path="/profiles/{username}",
    )
    assert image["cores"] == 1.0 and image["memory"] == 768000000
    assert (image["x_res"], image["y_res"]) == (800, 600)
    assert image["run_config"] == {"hostname": "kasm"} and image["exec_config"] == {}
    assert image["categories"] == ["Dev", "Tools"] and image["default_category"] == "Dev"
    assert image["persistent_profile_config"]["/profiles/{username}"]["bind"] == "/home/kasm-user"
    assert image["image_type"] == "Container" and image["cpu_allocation_method"] == "Inherit"
    assert image["available"] is True and image["enabled"] is True
    assert image["zone_name"] is None and image["imageAttributes"] == []


def test_create_image_validation_messages(kasm_server: KasmServer) -> None:
    def error(target: Any) -> tuple[int, str]:
        response = kasm_server.post("create_image", {"target_image": target})
        return response.status_code, response.json()["error_message"]

    assert error({}) == (200, "Invalid Request: Missing required parameters")
    assert error({"name": "x", "run_config": {"a": 1}}) == (200, "Invalid json format for run_config")
    assert error({"name": "x", "volume_mappings": "{not json"}) == (
        200,
        "Invalid json format for volume_mappings",
    )
    assert error({"name": "x", "persistent_profile_path": "/p/x"})[1].startswith(
        "Invalid Request:Persistent Profile Path must contain either"
    )
    assert error({"name": "x", "restrict_to_network": True}) == (
        200,
        "Invalid Request: Docker Network Names is required if Restrict Image to Docker Network is True",
    )
    assert error({"name": "x", "restrict_to_zone": True}) == (
        200,
        "Invalid Request: zone_id required if restrict_to_zone is True",
    )
    assert error({"name": "x", "restrict_to_zone": True, "zone_id": "nope"}) == (
        200,
        "Invalid Request: zone_id must be a uuid",
    )
    missing_zone = "0" * 32
    assert error({"name": "x", "restrict_to_zone": True, "zone_id": missing_zone}) == (
        200,
        f"Invalid Request: No Zone exists with id ({missing_zone})",
    )


def test_unknown_keys_and_list_categories_are_kasm_500s(kasm_server: KasmServer) -> None:
    for target in (
        {"name": "x", "available": True},
        {"name": "x", "categories": ["a"]},
        {"name": "x", "categories": None},
        {"name": "x", "cores": "many"},
    ):
        response = kasm_server.post("create_image", {"target_image": target})
        assert response.status_code == 500
        assert response.headers[EMULATED_CRASH_HEADER] == "1"
        assert "An unhandled exception occurred" in response.text
    assert all(i["name"] != "x" for i in kasm_server.post("get_images").json()["images"])


def test_update_image_replaces_some_fields_and_keeps_others(kasm_server: KasmServer) -> None:
    image = _create(
        kasm_server, friendly_name="Before", docker_registry="https://r.example/", description="d", cores=3
    )
    response = kasm_server.post(
        "update_image", {"target_image": {"image_id": image["image_id"], "friendly_name": "After"}}
    )
    updated = response.json()["image"]
    assert updated["friendly_name"] == "After"
    assert updated["description"] == "d" and updated["cores"] == 3.0
    # Kasm 1.15 assigns docker_registry whether or not it was sent.
    assert updated["docker_registry"] is None
    # The dashed id form is accepted too.
    dashed = f"{image['image_id'][:8]}-{image['image_id'][8:12]}-{image['image_id'][12:16]}-" + (
        f"{image['image_id'][16:20]}-{image['image_id'][20:]}"
    )
    again = kasm_server.post("update_image", {"target_image": {"image_id": dashed, "enabled": False}})
    assert again.json()["image"]["enabled"] is False


def test_update_and_delete_unknown_image(kasm_server: KasmServer) -> None:
    unknown = "f" * 32
    response = kasm_server.post("update_image", {"target_image": {"image_id": unknown, "name": "x"}})
    assert response.status_code == 200
    assert response.json()["error_message"].endswith(
        f"attempted to update an image ({unknown}) that does not exist."
    )
    response = kasm_server.post("delete_image", {"target_image": {"image_id": unknown}})
    assert (response.status_code, response.json()) == (
        200,
        {"error_message": f"Image({unknown}) Does not Exist"},
    )
    response = kasm_server.post("delete_image", {"target_image": {}})
    assert response.json() == {"error_message": "Invalid Request: Missing required parameters"}


def test_delete_image(kasm_server: KasmServer) -> None:
    image = _create(kasm_server)
    response = kasm_server.post("delete_image", {"target_image": {"image_id": image["image_id"]}})
    assert (response.status_code, response.json()) == (200, {})
    ids = {i["image_id"] for i in kasm_server.post("get_images").json()["images"]}
    assert image["image_id"] not in ids


def test_docker_token_is_masked_and_kept_when_sent_back_masked(kasm_server: KasmServer) -> None:
    image = _create(kasm_server, docker_token="secret-token", docker_user="u")
    assert image["docker_token"] == "**********"
    response = kasm_server.post(
        "update_image",
        {"target_image": {"image_id": image["image_id"], "docker_token": "**********", "docker_user": "u"}},
    )
    assert response.json()["image"]["docker_token"] == "**********"
    state = kasm_server.app.state.kasm
    from terraform_provider_kasm.server.storage.tables import Image

    with state.db.session(write=False) as db:
        row = db.get(Image, image["image_id"])
        assert row is not None and row.docker_token == "secret-token"


def test_update_image_assigns_texts_and_resources_only_when_truthy(kasm_server: KasmServer) -> None:
    """Kasm 1.15's create_update_image: `if description:` and the like, so "" (or 0 cores) keeps the
    stored value and a description, zone or server pool once set cannot be cleared."""
    zone = kasm_server.post("get_zones", {}).json()["zones"][0]["zone_id"]
    image = _create(
        kasm_server, friendly_name="F", description="d", notes="n", image_src="i.png", cores=2, zone_id=zone
    )
    blank = {
        "image_id": image["image_id"],
        "friendly_name": "",
        "description": "",
        "notes": "",
        "image_src": "",
        "cores": 0,
        "memory": 0,
        "zone_id": "",
    }
    updated = kasm_server.post("update_image", {"target_image": blank}).json()["image"]
    assert (updated["friendly_name"], updated["description"], updated["notes"]) == ("F", "d", "n")
    assert (updated["image_src"], updated["cores"], updated["memory"]) == ("i.png", 2.0, 768000000)
    assert updated["zone_id"] == zone
    # Negative numbers are truthy: Kasm stores them (the provider checks them first).
    negative = kasm_server.post("update_image", {"target_image": {**blank, "cores": -1}}).json()["image"]
    assert negative["cores"] == -1.0


def test_docker_token_is_cleared_unless_sent_back_masked(kasm_server: KasmServer) -> None:
    image = _create(kasm_server, docker_token="secret-token")
    target = {"image_id": image["image_id"]}
    kept = kasm_server.post("update_image", {"target_image": {**target, "docker_token": "**********"}})
    assert kept.json()["image"]["docker_token"] == "**********"
    cleared = kasm_server.post("update_image", {"target_image": target})
    assert cleared.json()["image"]["docker_token"] is None
    kasm_server.post("update_image", {"target_image": {**target, "docker_token": "new"}})
    again = kasm_server.post("update_image", {"target_image": {**target, "docker_token": ""}})
    assert again.json()["image"]["docker_token"] is None


def test_unknown_zone_without_restriction_is_kasms_unhandled_error(kasm_server: KasmServer) -> None:
    response = kasm_server.post("create_image", {"target_image": {"name": "x", "zone_id": "e" * 32}})
    assert response.status_code == 500 and response.headers[EMULATED_CRASH_HEADER] == "1"


def test_delete_image_refused_while_a_cast_config_uses_it(kasm_server: KasmServer) -> None:
    image = _create(kasm_server, friendly_name="Cast me")
    cast = kasm_server.post(
        "create_cast_config",
        {"target_cast_config": {"image_id": image["image_id"], "key": "k1", "casting_config_name": "c1"}},
    )
    assert "error_message" not in cast.json(), cast.json()
    response = kasm_server.post("delete_image", {"target_image": {"image_id": image["image_id"]}})
    assert response.json() == {
        "error_message": f"Image (Cast me): ID ({image['image_id']}) currently has (1) associated Casting "
        "Config(s) and cannot be deleted"
    }
