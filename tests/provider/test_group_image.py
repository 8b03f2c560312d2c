"""kasm_group_image with a real Terraform: lifecycle, replacement, import, drift, refresh cost, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def hcl(second_index: int) -> str:
    return f"""
data "kasm_images" "available" {{}}

resource "kasm_group" "g" {{
  name     = "ImageUsers"
  priority = 50
}}

resource "kasm_group_image" "first" {{
  group_id = kasm_group.g.id
  image_id = data.kasm_images.available.images[0].id
}}

resource "kasm_group_image" "second" {{
  group_id = kasm_group.g.id
  image_id = data.kasm_images.available.images[{second_index}].id
}}
"""


def dashed(kasm_id: str) -> str:
    return f"{kasm_id[:8]}-{kasm_id[8:12]}-{kasm_id[12:16]}-{kasm_id[16:20]}-{kasm_id[20:]}"


def test_lifecycle(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    links_before = {g.group_id: len(kasm_client.groups.images(g.group_id)) for g in kasm_client.groups.list()}
    tf = kasm_tf(hcl(1))
    with step("create a group and two links"):
        tf.apply()
        group_id = tf.resource_values("kasm_group.g")["id"]
        first = tf.resource_values("kasm_group_image.first")
        second = tf.resource_values("kasm_group_image.second")
        images = {i.image_id: i for i in kasm_client.images.list()}
        image = images[first["image_id"]]
        assert first["id"] == f"{group_id}:{image.image_id}"
        assert (
            first["group_name"],
            first["image_name"],
            first["image_friendly_name"],
            first["image_src"],
        ) == ("ImageUsers", image.name, image.friendly_name, image.image_src)
        assert first["group_image_id"] and len(first["group_image_id"]) == 32
        assert {r.image_id for r in kasm_client.groups.images(group_id)} == {
            first["image_id"],
            second["image_id"],
        }

    with step("a refresh reads each list once for the whole configuration"):
        kasm_server.reset_call_counts()
        tf.assert_no_changes()
        counts = kasm_server.call_counts()
        assert counts.get("get_images") == 1 and counts.get("get_groups") == 1, counts
        assert counts.get("get_images_group") == 1, counts  # two links, one group

    with step("another image for 'second': replaced, not updated"):
        tf.write(hcl(2))
        tf.assert_actions({"kasm_group_image.second": "replace"})
        tf.apply()
        third = tf.resource_values("kasm_group_image.second")["image_id"]
        assert third not in (first["image_id"], second["image_id"])
        assert {r.image_id for r in kasm_client.groups.images(group_id)} == {first["image_id"], third}
        tf.assert_no_changes()

    with step("import with dashed ids into a fresh directory: stored as 32 hex, empty plan"):
        other = kasm_tf(
            f'resource "kasm_group_image" "x" {{\n  group_id = "{group_id}"\n  image_id = "{third}"\n}}\n'
        )
        other.import_("kasm_group_image.x", f"{dashed(group_id)}:{dashed(third)}")
        imported = other.resource_values("kasm_group_image.x")
        assert imported["id"] == f"{group_id}:{third}" and imported["group_name"] == "ImageUsers"
        other.assert_no_changes()

    with step("removed behind Terraform's back: planned again, re-created"):
        kasm_client.groups.remove_image(group_id, first["image_id"])
        tf.assert_actions({"kasm_group_image.first": ["create"]})
        tf.apply()
        assert first["image_id"] in {r.image_id for r in kasm_client.groups.images(group_id)}

    with step("the whole group deleted: every link is gone with it, and all is planned again"):
        kasm_client.groups.delete(group_id, force=True)
        tf.assert_actions(
            {a: ["create"] for a in ("kasm_group.g", "kasm_group_image.first", "kasm_group_image.second")}
        )
        tf.apply()

    with step("destroy leaves every group's links as before"):
        tf.destroy()
        assert {
            g.group_id: len(kasm_client.groups.images(g.group_id)) for g in kasm_client.groups.list()
        } == links_before


def test_errors(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    group = kasm_client.groups.create("Errors", priority=100)
    missing = "0123456789abcdef0123456789abcdef"
    tf = kasm_tf(
        f'resource "kasm_group_image" "x" {{\n  group_id = "{group.group_id}"\n  image_id = "{missing}"\n}}\n'
    )
    out = tf.apply(expect=(1,)).output
    assert "Image not found" in out and missing in out and f'image_id = "{missing}"' in out
    assert kasm_client.groups.images(group.group_id) == []

    tf.write('resource "kasm_group_image" "x" {\n  group_id = "not-an-id"\n  image_id = "also-not"\n}\n')
    out = tf.plan(expect=(1,)).output
    assert "must be a Kasm id" in out and 'group_id = "not-an-id"' in out and 'image_id = "also-not"' in out

    out = tf.import_("kasm_group_image.x", group.group_id, expect=(1,)).output
    assert "Invalid import ID" in out and "<group_id>:<image_id>" in out

    # A link made outside Terraform is not linked twice: the error says how to import it.
    image = kasm_client.images.list()[0]
    kasm_client.groups.add_image(group.group_id, image.image_id)
    tf.write(
        f'resource "kasm_group_image" "x" {{\n  group_id = "{group.group_id}"\n  image_id = "{image.image_id}"\n}}\n'
    )
    out = " ".join(tf.apply(expect=(1,)).output.split())  # Terraform wraps long lines
    assert "Image already authorized" in out and f"{group.group_id}:{image.image_id}" in out
    assert len(kasm_client.groups.images(group.group_id)) == 1
    assert tf.state_list() == []
