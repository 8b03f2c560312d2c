"""kasm_cast_config with a real Terraform: the Go provider's documentation example, update in place,
import, drift, bad input and destroy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform

ALL_USERS = "68d557ac4cac42cca9f31c7c853de0f3"


def go_doc_example(image_id: str) -> str:
    """The Go provider's docs/resources/cast_config.md example, unchanged but for an image this server has."""
    return f"""
resource "kasm_cast_config" "example" {{
  name    = "Chrome Configuration"
  image_id = "{image_id}"
  key     = "abc123"

  allowed_referrers = [
    "acme.com",
    "contoso.com"
  ]

  limit_sessions    = true
  session_remaining = 100

  limit_ips           = true
  ip_request_limit    = 1
  ip_request_seconds  = 60

  error_url = "https://error.example.com"

  enable_sharing         = true
  disable_control_panel = false
  disable_tips         = false
  disable_fixed_res    = false

  allow_anonymous    = true
  group_id          = "{ALL_USERS}"
  require_recaptcha = true

  kasm_url              = "https://google.com"
  dynamic_kasm_url      = true
  dynamic_docker_network = false
  allow_resume          = true

  enforce_client_settings   = true
  allow_kasm_audio         = true
  allow_kasm_uploads       = false
  allow_kasm_downloads     = false
  allow_kasm_clipboard_down = false
  allow_kasm_clipboard_up   = false
  allow_kasm_microphone    = false
  allow_kasm_sharing       = false
  kasm_audio_default_on    = true
  kasm_ime_mode_default_on = true

  valid_until = "2024-12-31 23:59:59"
}}

output "casting_url" {{
  value = "https://my.kasm.server/#/cast/${{kasm_cast_config.example.key}}"
}}
"""


def kasm_names(image_id: str, key: str = "kiosk", extra: str = "") -> str:
    return f"""
resource "kasm_cast_config" "example" {{
  casting_config_name = "Chrome Configuration"
  image_id            = "{image_id}"
  key                 = "{key}"
  group_id            = "{ALL_USERS}"
  valid_until         = "2024-12-31 23:59:59"
  remote_app_configs  = jsonencode({{ remote_app_name = "word", args = [] }})
  disable_tips        = true
  allowed_referrers   = []
  error_url           = ""
{extra}}}
"""


def configs(client: KasmClient) -> dict[str, str]:
    return {c.cast_config_id: c.key for c in client.cast_configs.list()}


def test_cast_config(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    images = sorted(i.image_id for i in kasm_client.images.list())
    before = configs(kasm_client)
    tf = kasm_tf(go_doc_example(images[0]))
    with step("create from the Go provider's documentation example; second plan empty"):
        out = tf.apply().output
        assert "Deprecated" in out  # `name` is the Go provider's alias of casting_config_name
        values = tf.resource_values("kasm_cast_config.example")
        config_id = values["id"]
        stored = kasm_client.cast_configs.get(config_id)
        assert (stored.key, stored.casting_config_name, stored.session_remaining) == (
            "abc123",
            "Chrome Configuration",
            100,
        )
        assert stored.allowed_referrers == ("acme.com", "contoso.com") and stored.kasm_audio_default_on
        assert values["valid_until"] == "2024-12-31 23:59:59" and values["group_name"] == "All Users"
        tf.assert_no_changes()

    with step("Kasm's names, another key and image, zeros and empties: one in-place update, same id"):
        tf.write(kasm_names(images[1]))
        tf.assert_actions({"kasm_cast_config.example": ["update"]})
        tf.apply()
        values = tf.resource_values("kasm_cast_config.example")
        assert values["id"] == config_id and values["error_url"] == "" and values["allowed_referrers"] == []
        stored = kasm_client.cast_configs.get(config_id)
        assert (stored.key, stored.image_id, stored.disable_tips, stored.limit_sessions) == (
            "kiosk",
            images[1],
            True,
            False,
        )
        assert stored.session_remaining == 0 and not stored.kasm_audio_default_on
        tf.assert_no_changes()

    with step("import by id and by key into a fresh directory: empty plan"):
        # Without error_url = "": an import cannot know the configuration wrote "" rather than null.
        other = kasm_tf(kasm_names(images[1]).replace('  error_url           = ""\n', ""))
        for import_id in (config_id, "key:kiosk"):
            other.import_("kasm_cast_config.example", import_id)
            other.assert_no_changes()
            other.run("state", "rm", "kasm_cast_config.example")

    with step("deleted behind Terraform's back: planned again"):
        kasm_client.cast_configs.delete(config_id)
        tf.assert_actions({"kasm_cast_config.example": ["create"]})
        tf.apply()
        config_id = tf.resource_values("kasm_cast_config.example")["id"]
        assert kasm_client.cast_configs.get(config_id).key == "kiosk"

    with step("bad input: errors name the attribute, nothing is created"):
        bad = kasm_tf(
            kasm_names(images[0], key="bad key", extra="  session_remaining = -1\n").replace(
                'kasm_cast_config" "example', 'kasm_cast_config" "bad'
            )
        )
        out = bad.plan(expect=(1,)).output
        assert "key must be letters, digits" in out and 'key                 = "bad key"' in out
        assert "session_remaining must be between 0 and" in out
        bad.write(kasm_names("7" * 32, key="other").replace('"Chrome Configuration"', '"Other"'))
        out = bad.apply(expect=(1,)).output
        assert "Unknown image" in out and "image_id" in out
        bad.write(kasm_names(images[0]))  # the key and name another config has
        out = bad.apply(expect=(1,)).output
        assert "Cast config key in use" in out and "terraform import kasm_cast_config.<NAME> key:kiosk" in out
        assert bad.state_list() == [] and len(configs(kasm_client)) == len(before) + 1

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert configs(kasm_client) == before
