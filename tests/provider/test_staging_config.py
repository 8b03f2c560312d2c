"""kasm_staging_config with a real Terraform: create, update in place, import, drift, bad input, destroy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def hcl(zone_id: str, image_id: str, num_sessions: int, expiration: str, extra: str = "") -> str:
    return f"""
resource "kasm_staging_config" "s" {{
  zone_id      = "{zone_id}"
  image_id     = "{image_id}"
  num_sessions = {num_sessions}
  expiration   = {expiration}
{extra}}}
"""


def staged(client: KasmClient) -> dict[str, tuple[str, str, int, float]]:
    return {
        c.staging_config_id: (c.zone_id, c.image_id, c.num_sessions, c.expiration)
        for c in client.staging_configs.list()
    }


def test_staging_config(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    zone = kasm_client.zones.list()[0].zone_id
    images = sorted(i.image_id for i in kasm_client.images.list())
    before = staged(kasm_client)
    tf = kasm_tf(hcl(zone, images[0], 0, "0.1"))
    with step("create with zero sessions and a fractional expiration; second plan empty"):
        tf.apply()
        values = tf.resource_values("kasm_staging_config.s")
        config_id = values["id"]
        assert (
            values["expiration"] == 0.1 and values["num_sessions"] == 0 and values["zone_name"] == "default"
        )
        assert staged(kasm_client)[config_id] == (zone, images[0], 0, 0.1)
        tf.assert_no_changes()

    with step("another image, counts and a flag: one in-place update, same id"):
        tf.write(hcl(zone, images[1], 3, "2", extra="  allow_kasm_audio = true\n"))
        tf.assert_actions({"kasm_staging_config.s": ["update"]})
        tf.apply()
        assert tf.resource_values("kasm_staging_config.s")["id"] == config_id
        assert staged(kasm_client)[config_id] == (zone, images[1], 3, 2.0)
        assert kasm_client.staging_configs.get(config_id).allow_kasm_audio is True
        tf.assert_no_changes()

    with step("import by id and by <zone_id>:<image_id> into a fresh directory: empty plan"):
        other = kasm_tf(hcl(zone, images[1], 3, "2", extra="  allow_kasm_audio = true\n"))
        for import_id in (config_id, f"{zone}:{images[1]}"):
            other.import_("kasm_staging_config.s", import_id)
            other.assert_no_changes()
            other.run("state", "rm", "kasm_staging_config.s")

    with step("deleted behind Terraform's back: planned again"):
        kasm_client.staging_configs.delete(config_id)
        tf.assert_actions({"kasm_staging_config.s": ["create"]})
        tf.apply()
        config_id = tf.resource_values("kasm_staging_config.s")["id"]
        assert staged(kasm_client)[config_id][1] == images[1]

    with step("bad input: errors name the attribute, nothing is created"):
        bad = kasm_tf(hcl(zone, images[0], -1, "-2"))
        out = bad.plan(expect=(1,)).output
        assert "num_sessions must be between 0 and" in out and "num_sessions = -1" in out
        assert "expiration: must be a number of at least 0 (got -2)" in out
        bad.write(hcl("7" * 32, images[0], 1, "1"))
        out = bad.apply(expect=(1,)).output
        assert "Unknown zone" in out and "zone_id" in out
        bad.write(hcl(zone, images[1], 1, "1"))  # the image the other config stages in this zone
        out = bad.apply(expect=(1,)).output
        assert (
            "Image already staged" in out
            and f"terraform import kasm_staging_config.<NAME> {config_id}" in out
        )
        assert bad.state_list() == [] and len(staged(kasm_client)) == len(before) + 1

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert staged(kasm_client) == before
