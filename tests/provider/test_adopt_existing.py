"""Issue 11 item 3: ``adopt_existing`` (off by default) lets a create take over an existing object
whose every configured field matches, for the recovery after an interrupted apply.

Off: the existing user, group, membership and group image give "already exists" errors with the
import command, nothing enters the state and ``destroy`` leaves them. On: the matching ones are
adopted (same ids, the plan is then empty); a user whose first_name differs is refused with the
same error, saying which field differs, and survives the destroy.
"""

from __future__ import annotations

from collections.abc import Callable

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform, step

CONFIG = """
resource "kasm_group" "g" {{
  name        = "Adopted Team"
  priority    = 60
  description = "made before the crash"
}}

resource "kasm_user" "u" {{
  username   = "adopt.me"
  password   = "Ours12345!"
  first_name = "Same"
  groups     = []
  lifecycle {{
    ignore_changes = [groups]
  }}
}}

resource "kasm_group_membership" "m" {{
  group_id = kasm_group.g.id
  user_id  = kasm_user.u.id
}}

resource "kasm_group_image" "i" {{
  group_id = kasm_group.g.id
  image_id = "{image_id}"
}}
"""

DIFFERING = """
resource "kasm_user" "other" {
  username   = "not.mine"
  password   = "Ours12345!"
  first_name = "Ours"
}
"""


def _flat(text: str) -> str:
    return " ".join(text.split())  # Terraform wraps long lines


def test_adopt_existing(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    image = kasm_client.images.list()[0]
    group = kasm_client.groups.create("Adopted Team", priority=60, description="made before the crash")
    user = kasm_client.users.create("adopt.me", password="Theirs123!", first_name="Same")
    kasm_client.groups.add_user(group.group_id, user.user_id)
    kasm_client.groups.add_image(group.group_id, image.image_id)
    other = kasm_client.users.create("not.mine", password="Theirs123!", first_name="Theirs")
    tf = kasm_tf(CONFIG.format(image_id=image.image_id))

    with step("off by default: already exists, with the import command; nothing adopted"):
        out = _flat(tf.apply(expect=(1,)).output)
        assert "terraform import kasm_user.<NAME> username:adopt.me" in out, out
        assert "terraform import kasm_group.<NAME> name:Adopted Team" in out, out
        assert "adopt_existing = true" in out, out
        assert tf.state_list() == []

    with step("off: destroy leaves the existing objects"):
        tf.destroy()
        assert kasm_client.users.get(user.user_id).first_name == "Same"
        assert kasm_client.groups.get(group.group_id).priority == 60
        assert user.user_id in {m.user_id for m in kasm_client.groups.users(group.group_id)}
        assert [i.image_id for i in kasm_client.groups.images(group.group_id)] == [image.image_id]

    tf.env["KASM_ADOPT_EXISTING"] = "true"
    with step("on: every object whose configured fields match is adopted"):
        tf.apply()
        assert sorted(tf.state_list()) == [
            "kasm_group.g",
            "kasm_group_image.i",
            "kasm_group_membership.m",
            "kasm_user.u",
        ]
        assert tf.resource_values("kasm_user.u")["id"] == user.user_id
        assert tf.resource_values("kasm_group.g")["id"] == group.group_id
        assert tf.resource_values("kasm_group_membership.m")["id"] == f"{group.group_id}:{user.user_id}"
        assert tf.resource_values("kasm_group_image.i")["group_image_id"]
        assert [u.user_id for u in kasm_client.users.list() if u.username == "adopt.me"] == [user.user_id]
        assert len(kasm_client.groups.images(group.group_id)) == 1

    with step("on: the plan after the adoption is empty (with the setting on and off)"):
        tf.assert_no_changes()
        del tf.env["KASM_ADOPT_EXISTING"]
        tf.assert_no_changes()
        tf.env["KASM_ADOPT_EXISTING"] = "true"

    with step("on: a user with a differing field is refused, saying which"):
        tf.write(CONFIG.format(image_id=image.image_id) + DIFFERING)
        out = _flat(tf.apply(expect=(1,)).output)
        assert "terraform import kasm_user.<NAME> username:not.mine" in out, out
        assert 'first_name is "Theirs" in Kasm, "Ours" configured' in out, out
        assert "kasm_user.other" not in tf.state_list()
        assert kasm_client.users.get(other.user_id).first_name == "Theirs"

    with step("destroy removes what was adopted and leaves the refused user"):
        tf.destroy()
        assert kasm_client.users.find(user_id=user.user_id) is None
        assert kasm_client.users.get(other.user_id).first_name == "Theirs"
