"""kasm_images: the filter block, the top-level id, and what one plan costs in API calls."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform

pytestmark = pytest.mark.terraform

HCL = """
data "kasm_images" "all" {}

data "kasm_images" "terminal" {
  filter {
    name = "kasmweb/terminal:1.16.0"
  }
}

data "kasm_images" "disabled" {
  filter {
    enabled = false
  }
}

data "kasm_images" "enabled_chrome" {
  filter {
    name    = "kasmweb/chrome:1.16.0"
    enabled = true
  }
}

output "all" { value = data.kasm_images.all }
output "terminal" { value = data.kasm_images.terminal }
output "disabled" { value = data.kasm_images.disabled }
output "enabled_chrome" { value = data.kasm_images.enabled_chrome }
"""


def test_filters(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer) -> None:
    chrome = next(i for i in kasm_client.images.list() if i.name == "kasmweb/chrome:1.16.0")
    kasm_client.images.update(chrome.image_id, dataclasses.replace(chrome.to_spec(), enabled=False))
    tf = kasm_tf(HCL)

    kasm_server.reset_call_counts()
    tf.plan()
    # Four data sources read by the plan's one provider process: a single get_images (configure's
    # credential check primes the cache that every read shares). Measured on plan, since an apply
    # configures a second provider process on newer Terraform (1.11) though it has nothing to do.
    assert kasm_server.call_counts().get("get_images") == 1
    tf.apply()

    out = {k: v["value"] for k, v in tf.output_json().items()}
    assert out["all"]["id"] == "all" and out["all"]["filter"] == []
    assert len(out["all"]["images"]) == len(kasm_client.images.list())

    terminal = out["terminal"]
    assert terminal["id"] == "name=kasmweb/terminal:1.16.0"
    assert [i["name"] for i in terminal["images"]] == ["kasmweb/terminal:1.16.0"]

    assert out["disabled"]["id"] == "enabled=false"
    assert [i["id"] for i in out["disabled"]["images"]] == [chrome.image_id]
    assert out["disabled"]["images"][0]["enabled"] is False

    # Both criteria must hold: Chrome is disabled, so nothing matches.
    assert out["enabled_chrome"]["images"] == []
    assert out["enabled_chrome"]["id"] == "name=kasmweb/chrome:1.16.0,enabled=true"

    tf.assert_no_changes()


def test_filter_is_a_single_block(kasm_tf: Callable[..., Terraform]) -> None:
    tf = kasm_tf(
        'data "kasm_images" "x" {\n  filter {\n    enabled = true\n  }\n  filter {\n    enabled = false\n  }\n}\n'
    )
    result = tf.plan(expect=(1,))
    assert "filter" in result.output
