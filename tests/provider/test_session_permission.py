"""kasm_session_permission with a real Terraform: a shared session, a second user at r then rw,
import, drift, bad input, destroy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def allow_sharing(kasm_client: KasmClient) -> None:
    settings = kasm_client.call("get_settings_group", {"target_group": {"group_id": ALL_USERS_GROUP_ID}})
    sharing = next(x for x in settings["settings"] if x["name"] == "allow_kasm_sharing")
    kasm_client.call(
        "update_settings_group",
        {
            "target_group": {"group_id": ALL_USERS_GROUP_ID},
            "target_setting": {"group_setting_id": sharing["group_setting_id"], "value": "true"},
        },
    )


def hcl(owner: str, image_id: str, viewer: str, access: str) -> str:
    return f"""
resource "kasm_session" "s" {{
  user_id        = "{owner}"
  image_id       = "{image_id}"
  enable_sharing = true
}}

resource "kasm_session_permission" "viewer" {{
  kasm_id = kasm_session.s.id
  user_id = "{viewer}"
  access  = "{access}"
}}
"""


def test_lifecycle(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    image = next(i for i in kasm_client.images.list() if i.name.startswith("kasmweb/terminal"))
    owner = kasm_client.users.create("share.owner", password="Password123!")
    viewer = kasm_client.users.create("share.viewer", password="Password123!")
    group = kasm_client.groups.create("share.users", priority=100)
    kasm_client.groups.add_user(group.group_id, owner.user_id)
    kasm_client.groups.add_image(group.group_id, image.image_id)
    allow_sharing(kasm_client)

    def grants(kasm_id: str) -> dict[str, str | None]:
        return {p.user_id: p.access for p in kasm_client.session_permissions.list(kasm_id=kasm_id)}

    t = kasm_tf(hcl(owner.user_id, image.image_id, viewer.user_id, "r"))
    with step("create: the second user may view the shared session"):
        t.apply()
        kasm_id = t.resource_values("kasm_session.s")["id"]
        values = t.resource_values("kasm_session_permission.viewer")
        assert values["id"] == f"{kasm_id}:{viewer.user_id}" and values["access"] == "r"
        assert values["username"] == "share.viewer" and values["vnc_username"]
        assert grants(kasm_id)[viewer.user_id] == "r"

    with step("second plan is empty"):
        t.assert_no_changes()

    with step("r to rw: updated in place"):
        t.write(hcl(owner.user_id, image.image_id, viewer.user_id, "rw"))
        t.assert_actions({"kasm_session_permission.viewer": ["update"]})
        t.apply()
        assert grants(kasm_id)[viewer.user_id] == "rw"
        t.assert_no_changes()

    with step("import <kasm_id>:<user_id> into a fresh directory, then an empty plan"):
        other = kasm_tf(
            f'resource "kasm_session_permission" "x" {{\n  kasm_id = "{kasm_id}"\n'
            f'  user_id = "{viewer.user_id}"\n  access  = "rw"\n}}\n'
        )
        other.import_("kasm_session_permission.x", f"{kasm_id}:{viewer.user_id}")
        assert other.resource_values("kasm_session_permission.x")["access"] == "rw"
        other.assert_no_changes()

    with step("removed outside Terraform: planned again, re-granted"):
        kasm_client.session_permissions.delete(kasm_id, [viewer.user_id])
        t.assert_actions({"kasm_session_permission.viewer": ["create"]})
        t.apply()
        assert grants(kasm_id)[viewer.user_id] == "rw"

    with step("a bad access value names the attribute"):
        t.write(hcl(owner.user_id, image.image_id, viewer.user_id, "rwo"))
        out = t.plan(expect=(1,)).output
        assert (
            'access  = "rwo"' in out
            and "Attribute access must be one of" in out
            and '"r"' in out
            and '"rw"' in out
        ), out

    with step("destroy withdraws the grant with the session"):
        t.write(hcl(owner.user_id, image.image_id, viewer.user_id, "rw"))
        t.destroy()
        assert grants(kasm_id) == {} and kasm_client.sessions.find(kasm_id) is None
