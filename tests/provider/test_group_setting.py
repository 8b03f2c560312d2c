"""kasm_group_setting with a real Terraform: create (bool, int, JSON), empty second plan, update in
place, import + empty plan, removed outside then re-planned, bad input naming the attribute, destroy."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.provider.context import ALL_USERS_GROUP_ID
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def hcl(expiry: int, sharing: str = "true", extra: str = "") -> str:
    return f"""
resource "kasm_group" "g" {{
  name     = "Settings"
  priority = 60
}}

resource "kasm_group_setting" "sharing" {{
  group_id = kasm_group.g.id
  name     = "allow_kasm_sharing"
  value    = {sharing}
}}

resource "kasm_group_setting" "expiry" {{
  group_id = kasm_group.g.id
  name     = "keepalive_expiration"
  value    = {expiry}
}}

# A default: All Users' own setting, changed in place and restored on destroy.
resource "kasm_group_setting" "default_limit" {{
  group_id = "{ALL_USERS_GROUP_ID}"
  name     = "max_kasms_per_user"
  value    = 4
}}

resource "kasm_group_setting" "metadata" {{
  group_id = kasm_group.g.id
  name     = "metadata"
  value    = jsonencode({{ team = "dev", tags = ["a", "b"] }})
}}
{extra}
"""


def values(client: KasmClient, group_id: str) -> dict[str, str]:
    return {s.name: s.value for s in client.groups.settings(group_id)}


def test_lifecycle(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    tf = kasm_tf(hcl(3600))
    with step("create, typed values stored as Kasm's strings; second plan empty"):
        tf.apply()
        group_id = tf.resource_values("kasm_group.g")["id"]
        stored = values(kasm_client, group_id)
        assert (stored["allow_kasm_sharing"], stored["keepalive_expiration"]) == ("true", "3600")
        assert json.loads(stored["metadata"]) == {"team": "dev", "tags": ["a", "b"]}
        sharing = tf.resource_values("kasm_group_setting.sharing")
        assert (sharing["id"], sharing["value"], sharing["value_type"]) == (
            f"{group_id}:allow_kasm_sharing",
            True,
            "bool",
        )
        assert values(kasm_client, ALL_USERS_GROUP_ID)["max_kasms_per_user"] == "4"
        tf.assert_no_changes()

    with step("update in place"):
        tf.write(hcl(600, "false"))
        tf.assert_actions({"kasm_group_setting.expiry": ["update"], "kasm_group_setting.sharing": ["update"]})
        tf.apply()
        stored = values(kasm_client, group_id)
        assert (stored["allow_kasm_sharing"], stored["keepalive_expiration"]) == ("false", "600")
        tf.assert_no_changes()

    with step("import into a fresh directory: empty plan"):
        other = kasm_tf(
            f'resource "kasm_group_setting" "x" {{\n  group_id = "{group_id}"\n'
            '  name = "keepalive_expiration"\n  value = 600\n}\n'
        )
        other.import_("kasm_group_setting.x", f"{group_id}:keepalive_expiration")
        assert other.resource_values("kasm_group_setting.x")["value"] == 600
        other.assert_no_changes()

    with step("changed and removed outside Terraform: planned again"):
        setting_ids = {s.name: s.group_setting_id for s in kasm_client.groups.settings(group_id)}
        kasm_client.groups.remove_setting(setting_ids["keepalive_expiration"])
        kasm_client.groups.update_setting(group_id, setting_ids["allow_kasm_sharing"], "False")  # same value
        kasm_client.groups.update_setting(
            group_id, setting_ids["metadata"], '{"tags": ["a", "b"], "team": "dev"}'
        )  # same JSON
        tf.assert_actions({"kasm_group_setting.expiry": ["create"]})
        tf.apply()
        assert values(kasm_client, group_id)["keepalive_expiration"] == "600"
        tf.assert_no_changes()

    with step("bad input: unknown setting names name, wrong type names value; nothing written"):
        tf.write(
            hcl(
                600,
                "false",
                'resource "kasm_group_setting" "bad" {\n  group_id = kasm_group.g.id\n'
                '  name     = "allow_kasm_shareing"\n  value    = true\n}\n',
            )
        )
        out = " ".join(tf.plan(expect=(1,)).output.split())
        tf.write(hcl(600, '"yes"'))
        out = " ".join(tf.plan(expect=(1,)).output.split())
        assert "Invalid group setting value" in out and "must be a bool" in out
        assert 'value = "yes"' in out
        assert values(kasm_client, group_id)["allow_kasm_sharing"] == "False"  # as set outside above

    with step("destroy removes the group's values"):
        tf.write(hcl(600, "false"))
        tf.destroy("-target=kasm_group_setting.sharing", "-target=kasm_group_setting.expiry")
        assert set(values(kasm_client, group_id)) == {"metadata"}
        tf.destroy()
        assert kasm_client.groups.find(group_id) is None
        # All Users' setting is back to the value it had before Terraform changed it.
        assert values(kasm_client, ALL_USERS_GROUP_ID)["max_kasms_per_user"] == "2"
