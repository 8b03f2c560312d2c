"""Issue 11 item 2: a revoked membership stays revoked, and a user update never strips memberships.

The documented pattern: ``kasm_user`` with ``lifecycle { ignore_changes = [groups] }`` beside
``kasm_group_membership`` (examples/resources/kasm_group_membership). ``ignore_changes`` shows the
provider a plan whose ``groups`` equals the prior state, so an update must leave memberships alone;
only a change of ``groups`` itself is applied, and then only the difference.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform

pytestmark = pytest.mark.terraform


def hcl(*, first_name: str, membership: bool, groups: str | None = None) -> str:
    groups_line = f"  groups     = {groups}\n" if groups is not None else ""
    text = f"""
resource "kasm_group" "g" {{
  name     = "Developers"
  priority = 50
}}

resource "kasm_user" "u" {{
  username   = "jdoe"
  password   = "Passw0rd!x"
  first_name = "{first_name}"
{groups_line}
  lifecycle {{
    ignore_changes = [groups]
  }}
}}
"""
    if membership:
        text += """
resource "kasm_group_membership" "m" {
  group_id = kasm_group.g.id
  user_id  = kasm_user.u.id
}
"""
    return text


def is_member(tf: Terraform, client: KasmClient) -> bool:
    group_id = tf.resource_values("kasm_group.g")["id"]
    user_id = tf.resource_values("kasm_user.u")["id"]
    return user_id in {m.user_id for m in client.groups.users(group_id)}


@pytest.mark.parametrize("groups", [None, "[]"], ids=["groups-unset", "groups-empty"])
@pytest.mark.parametrize("refresh", [True, False], ids=["refresh", "no-refresh"])
def test_revoked_membership_stays_revoked(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, refresh: bool, groups: str | None
) -> None:
    tf = kasm_tf(hcl(first_name="John", membership=True, groups=groups))
    tf.apply()
    assert is_member(tf, kasm_client)
    # A refresh first, so the user's state lists the membership's group (as on any later run).
    tf.apply()

    # Revoke the membership and change the user in the same apply.
    tf.write(hcl(first_name="Johnny", membership=False, groups=groups))
    tf.apply(*([] if refresh else ["-refresh=false"]))
    assert tf.resource_values("kasm_user.u")["first_name"] == "Johnny"
    assert not is_member(tf, kasm_client), "the user update re-added the revoked membership"
    assert tf.plan(detailed_exitcode=True).returncode == 0
    assert not is_member(tf, kasm_client)


@pytest.mark.parametrize("groups", [None, "[]"], ids=["groups-unset", "groups-empty"])
def test_user_update_without_refresh_keeps_memberships(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, groups: str | None
) -> None:
    tf = kasm_tf(hcl(first_name="John", membership=True, groups=groups))
    tf.apply()
    assert is_member(tf, kasm_client)

    tf.write(hcl(first_name="Johnny", membership=True, groups=groups))
    tf.apply("-refresh=false")
    assert tf.resource_values("kasm_user.u")["first_name"] == "Johnny"
    assert is_member(tf, kasm_client), "the user update stripped the membership"
    assert tf.plan(detailed_exitcode=True).returncode == 0
