"""The kasm_images documentation page's "Image Authorization Workflow" example, as written, against the
local Kasm server with the real Terraform binary: settings from the environment (no provider block),
init from the offline mirror, apply, an empty second plan, and a destroy that leaves Kasm as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform, step

# Verbatim from the page (the workflow example, no provider or terraform block).
WORKFLOW = """\
# Get available images
data "kasm_images" "available" {}

# Create a group
resource "kasm_group" "workspace_users" {
  name        = "WorkspaceUsers"
  priority    = 1
  description = "Users with access to workspace images"
}

# Authorize first available image for the group
resource "kasm_group_image" "workspace_access" {
  group_id = kasm_group.workspace_users.id
  image_id = data.kasm_images.available.images[0].id
}

# Create a user
resource "kasm_user" "developer" {
  username     = "developer"
  password     = "Password123!"
  first_name   = "John"
  last_name    = "Doe"
  groups       = []

  lifecycle {
    ignore_changes = [
      groups,
      authorized_images,
    ]
  }
}

# Add user to group
resource "kasm_group_membership" "developer_access" {
  group_id = kasm_group.workspace_users.id
  user_id  = kasm_user.developer.id
}

# Create a session with the authorized image
resource "kasm_session" "developer_workspace" {
  depends_on = [kasm_group_membership.developer_access, kasm_group_image.workspace_access]
  image_id   = data.kasm_images.available.images[0].id
  user_id    = kasm_user.developer.id
}
"""


def snapshot(client: KasmClient) -> dict[str, Any]:
    """What the workflow touches on the server."""
    groups = client.groups.list()
    return {
        "users": sorted((u.user_id, u.username) for u in client.users.list()),
        "groups": sorted((g.group_id, g.name) for g in groups),
        "group_images": sorted(
            (g.group_id, link.image_id) for g in groups for link in client.groups.images(g.group_id)
        ),
        "sessions": sorted(s.kasm_id for s in client.sessions.list()),
    }


def test_image_authorization_workflow_as_written(
    terraform: Callable[..., Terraform], kasm_env: dict[str, str], kasm_client: KasmClient
) -> None:
    # Run on both Terraform legs (scripts/test): newer Terraform checks more (e.g. ignore_changes on
    # computed attributes).
    tf = terraform(WORKFLOW, env=kasm_env)
    before = snapshot(kasm_client)
    # No group is authorised for any image beforehand: the workflow's kasm_group_image is what lets its
    # session start.
    assert before["group_images"] == []
    with step("init and apply the workflow as written"):
        tf.init()
        tf.apply()

    with step("the user, group, image link and running session are on the server"):
        user = tf.resource_values("kasm_user.developer")
        group = tf.resource_values("kasm_group.workspace_users")
        session = tf.resource_values("kasm_session.developer_workspace")
        image_id = tf.show_json()["values"]["root_module"]["resources"][0]["values"]["images"][0]["id"]
        on_server = kasm_client.users.get(user["id"])
        assert on_server.username == "developer" and (on_server.first_name, on_server.last_name) == (
            "John",
            "Doe",
        )
        assert group["id"] in {g.group_id for g in on_server.groups}
        assert image_id in {link.image_id for link in kasm_client.groups.images(group["id"])}
        running = {s.kasm_id: s for s in kasm_client.sessions.list()}
        assert running[session["id"]].operational_status == "running"
        assert running[session["id"]].user_id == user["id"] and running[session["id"]].image_id == image_id

    with step("the second plan is empty"):
        tf.assert_no_changes()

    with step("the first refresh after apply finds nothing changed outside of Terraform"):
        # Memberships and image links made by other resources are not the user's drift.
        tf.assert_no_drift()

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert snapshot(kasm_client) == before
