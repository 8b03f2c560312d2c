"""The examples of the kasm_images documentation page, verbatim, against the local server.

Both examples have no provider block: the provider is configured from the environment, and the
implicit source hashicorp/kasm comes from the offline plugin mirror.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform

pytestmark = pytest.mark.terraform

BASIC_QUERY = """
data "kasm_images" "all" {}

output "available_images" {
  value = data.kasm_images.all.images
}
"""

OUTPUT_IMAGE_DETAILS = """
data "kasm_images" "available" {}

output "image_details" {
  value = [
    for img in data.kasm_images.available.images : {
      id            = img.id
      name          = img.name
      friendly_name = img.friendly_name
      description   = img.description
      cores         = img.cores
      memory        = img.memory
    }
  ]
}
"""

DOCUMENTED_IMAGE_FIELDS = {
    "id", "name", "friendly_name", "description", "cores", "memory",
    "cpu_allocation_method", "image_src", "enabled", "available",
}  # fmt: skip


def _apply_then_empty_plan(tf: Terraform) -> None:
    tf.apply()
    tf.assert_no_changes()


def test_basic_query(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    tf = kasm_tf(BASIC_QUERY)
    _apply_then_empty_plan(tf)
    images = tf.output_json()["available_images"]["value"]

    server = {i.image_id: i for i in kasm_client.images.list()}
    assert sorted(i["id"] for i in images) == sorted(server), "every image, once"
    for image in images:
        assert set(image) >= DOCUMENTED_IMAGE_FIELDS
        kasm = server[image["id"]]
        assert (image["name"], image["friendly_name"], image["description"]) == (
            kasm.name,
            kasm.friendly_name,
            kasm.description,
        )
        assert image["memory"] == kasm.memory and isinstance(image["memory"], int)  # bytes, whole
        assert image["cores"] == kasm.cores
        assert (image["enabled"], image["available"]) == (kasm.enabled, kasm.available)
        assert image["cpu_allocation_method"] == kasm.cpu_allocation_method
        assert image["image_src"] == kasm.image_src
    # The documented order: usable images first, then by friendly name.
    usable = [i["enabled"] and i["available"] for i in images]
    assert usable == sorted(usable, reverse=True)
    names = [i["friendly_name"].casefold() for i in images if i["enabled"] and i["available"]]
    assert names == sorted(names)
    assert images[0]["enabled"] and images[0]["available"]


def test_output_image_details(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    # A disabled image must not come first: images[0] stays usable, and the list holds it too.
    disabled = next(i for i in kasm_client.images.list() if i.friendly_name == "Brave")
    kasm_client.images.update(disabled.image_id, dataclasses.replace(disabled.to_spec(), enabled=False))

    tf = kasm_tf(OUTPUT_IMAGE_DETAILS)
    _apply_then_empty_plan(tf)
    details = tf.output_json()["image_details"]["value"]

    assert all(set(d) == {"id", "name", "friendly_name", "description", "cores", "memory"} for d in details)
    by_id = {i.image_id: i for i in kasm_client.images.list()}
    assert sorted(d["id"] for d in details) == sorted(by_id)
    assert details[0]["id"] != disabled.image_id
    assert details[-1]["id"] == disabled.image_id
    first = by_id[details[0]["id"]]
    assert first.enabled and first.available
    assert details[0] == {
        "id": first.image_id,
        "name": first.name,
        "friendly_name": first.friendly_name,
        "description": first.description,
        "cores": first.cores,
        "memory": first.memory,
    }
