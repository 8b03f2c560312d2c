"""kasm_group_membership with a real Terraform: lifecycle, replacement, import, drift, All Users, errors.

Users are made with the client directly, so these tests do not depend on kasm_user.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.provider.context import ALL_USERS_GROUP_ID
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def hcl(user_id: str, all_users_user_id: str) -> str:
    return f"""
resource "kasm_group" "g" {{
  name     = "Members"
  priority = 60
}}

resource "kasm_group_membership" "m" {{
  group_id = kasm_group.g.id
  user_id  = "{user_id}"
}}

resource "kasm_group_membership" "all" {{
  group_id = "{ALL_USERS_GROUP_ID}"
  user_id  = "{all_users_user_id}"
}}
"""


def member_ids(client: KasmClient, group_id: str) -> set[str]:
    return {m.user_id for m in client.groups.users(group_id)}


def test_lifecycle(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    alice = kasm_client.users.create("alice@example.com", password="Passw0rd!x")
    bob = kasm_client.users.create("bob@example.com", password="Passw0rd!x")

    tf = kasm_tf(hcl(alice.user_id, bob.user_id))
    with step("create; the All Users membership Kasm already made is adopted"):
        tf.apply()
        group_id = tf.resource_values("kasm_group.g")["id"]
        assert tf.resource_values("kasm_group_membership.m")["id"] == f"{group_id}:{alice.user_id}"
        assert member_ids(kasm_client, group_id) == {alice.user_id}
        assert tf.resource_values("kasm_group_membership.all")["id"] == f"{ALL_USERS_GROUP_ID}:{bob.user_id}"
        tf.assert_no_changes()

    with step("another user: the membership is replaced"):
        tf.write(hcl(bob.user_id, bob.user_id))
        tf.assert_actions({"kasm_group_membership.m": "replace"})
        tf.apply()
        assert member_ids(kasm_client, group_id) == {bob.user_id}
        tf.assert_no_changes()

    with step("import (dashed user id) into a fresh directory: empty plan"):
        other = kasm_tf(
            f'resource "kasm_group_membership" "x" {{\n  group_id = "{group_id}"\n  user_id = "{bob.user_id}"\n}}\n'
        )
        u = bob.user_id
        other.import_(
            "kasm_group_membership.x", f"{group_id}:{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
        )
        assert other.resource_values("kasm_group_membership.x")["user_id"] == bob.user_id
        other.assert_no_changes()

    with step("removed behind Terraform's back: planned again and re-added"):
        kasm_client.groups.remove_user(group_id, bob.user_id)
        tf.assert_actions({"kasm_group_membership.m": ["create"]})
        tf.apply()
        assert member_ids(kasm_client, group_id) == {bob.user_id}

    with step("the user deleted: the membership is gone too (no error), and re-adding fails on user_id"):
        kasm_client.users.delete(bob.user_id, force=True)
        out = tf.apply(expect=(1,)).output
        assert "User not found" in out and f'user_id  = "{bob.user_id}"' in out

    with step("destroy; the All Users membership stays where Kasm put it"):
        tf.write(hcl(alice.user_id, alice.user_id))
        tf.apply()
        tf.destroy()
        assert kasm_client.groups.find(group_id) is None
        assert alice.user_id in member_ids(kasm_client, ALL_USERS_GROUP_ID)


def test_errors(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    group = kasm_client.groups.create("Taken", priority=70)
    carol = kasm_client.users.create("carol@example.com", password="Passw0rd!x")
    kasm_client.groups.add_user(group.group_id, carol.user_id)
    tf = kasm_tf(
        f'resource "kasm_group_membership" "x" {{\n  group_id = "{group.group_id}"\n  user_id = "{carol.user_id}"\n}}\n'
    )
    out = " ".join(tf.apply(expect=(1,)).output.split())  # Terraform wraps long lines
    assert "Already a member" in out
    assert f"terraform import kasm_group_membership.<NAME> {group.group_id}:{carol.user_id}" in out
    assert f'id = "{group.group_id}:{carol.user_id}"' in out  # the import {} block
    assert tf.state_list() == []

    missing = "0123456789abcdef0123456789abcdef"
    tf.write(
        f'resource "kasm_group_membership" "x" {{\n  group_id = "{missing}"\n  user_id = "{carol.user_id}"\n}}\n'
    )
    out = tf.apply(expect=(1,)).output
    assert "Group not found" in out and f'group_id = "{missing}"' in out

    out = tf.import_("kasm_group_membership.x", "a:b:c", expect=(1,)).output
    assert "Invalid import ID" in out and "<group_id>:<user_id>" in out
