"""kasm_group with a real Terraform: lifecycle, import, drift, destroy and validation."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def group_hcl(name: str, priority: int, description: str | None = None, label: str = "g") -> str:
    desc = f'\n  description = "{description}"' if description is not None else ""
    return f'resource "kasm_group" "{label}" {{\n  name     = "{name}"\n  priority = {priority}{desc}\n}}\n'


def groups_on_server(client: KasmClient) -> dict[str, tuple[str, int, str | None]]:
    return {g.group_id: (g.name, g.priority, g.description) for g in client.groups.list()}


def test_lifecycle(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    before = groups_on_server(kasm_client)
    hcl = group_hcl("Developers", 10, "Dev team") + group_hcl("Plain", 4095, label="plain")
    tf = kasm_tf(hcl)
    with step("create two groups"):
        tf.apply()
        dev = tf.resource_values("kasm_group.g")
        plain = tf.resource_values("kasm_group.plain")
        assert len(dev["id"]) == 32 and dev["is_system"] is False
        assert kasm_client.groups.get(dev["id"]).name == "Developers"
        assert kasm_client.groups.get(dev["id"]).priority == 10
        assert plain["description"] is None, "no description stays null"
        tf.assert_no_changes()

    with step("rename, re-prioritise and drop the description: one in-place update, same id"):
        tf.write(group_hcl("Developers2", 20) + group_hcl("Plain", 4095, label="plain"))
        tf.assert_actions({"kasm_group.g": ["update"]})
        tf.apply()
        updated = tf.resource_values("kasm_group.g")
        assert updated["id"] == dev["id"] and updated["description"] is None
        server = kasm_client.groups.get(dev["id"])
        assert (server.name, server.priority, server.description or None) == ("Developers2", 20, None)
        tf.assert_no_changes()

    with step("import by dashed id and by name into a fresh directory: empty plan"):
        dashed = f"{dev['id'][:8]}-{dev['id'][8:12]}-{dev['id'][12:16]}-{dev['id'][16:20]}-{dev['id'][20:]}"
        other = kasm_tf(group_hcl("Developers2", 20))
        for import_id in (dashed, "name:Developers2"):
            other.import_("kasm_group.g", import_id)
            assert other.resource_values("kasm_group.g")["id"] == dev["id"]
            other.assert_no_changes()
            other.run("state", "rm", "kasm_group.g")

    with step("deleted behind Terraform's back: removed from state on refresh and planned again"):
        kasm_client.groups.delete(dev["id"])
        tf.assert_actions({"kasm_group.g": ["create"]})
        tf.apply()
        recreated = tf.resource_values("kasm_group.g")["id"]
        assert recreated != dev["id"] and kasm_client.groups.get(recreated).name == "Developers2"

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert groups_on_server(kasm_client) == before


def test_errors(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    tf = kasm_tf(group_hcl("Zero", 0) + group_hcl("Big", 5000, label="big"))
    with step("priority out of range: each error points at its line"):
        out = tf.plan(expect=(1,)).output
        assert "priority must be between 1 and 4095, got 0" in out
        assert "priority must be between 1 and 4095, got 5000" in out
        assert "priority = 0" in out and "priority = 5000" in out

    with step("bad import ids"):
        for bad in ("nope", "name:No Such Group"):
            result = tf.import_("kasm_group.g", bad, expect=(1,))
            assert ("Invalid import ID" if bad == "nope" else "Group not found") in result.output

    before = groups_on_server(kasm_client)
    with step("a name Kasm already has: a clear error suggesting import, and nothing left behind"):
        tf.write(group_hcl("All Users", 5))
        out = tf.apply(expect=(1,)).output
        assert "Group already exists" in out and "name:All Users" in out
        assert groups_on_server(kasm_client) == before
        assert tf.state_list() == []

    with step("a built-in group can be imported (by name) and managed, but destroy never deletes it"):
        all_users = kasm_client.groups.find(name="All Users")
        assert all_users is not None
        desc = all_users.description
        tf.write(
            group_hcl("All Users", all_users.priority, desc)
            if desc
            else group_hcl("All Users", all_users.priority)
        )
        tf.import_("kasm_group.g", "name:All Users")
        values = tf.resource_values("kasm_group.g")
        assert values["is_system"] is True and values["id"] == all_users.group_id
        tf.assert_no_changes()
        out = tf.destroy().output
        assert "Built-in group kept" in out
        assert groups_on_server(kasm_client) == before


def permissions_hcl(permissions: str | None) -> str:
    line = f"\n  permissions = {permissions}" if permissions is not None else ""
    return f'resource "kasm_group" "g" {{\n  name     = "Auditors"\n  priority = 30{line}\n}}\n'


def held(client: KasmClient, group_id: str) -> set[int]:
    answer = client.call("get_permissions_group", {"target_group": {"group_id": group_id}}, idempotent=True)
    return {p["permission_id"] for p in answer["permissions"]}


def test_permissions(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    before = groups_on_server(kasm_client)
    tf = kasm_tf(permissions_hcl('["Users View", "allow_kasm_sharing"]'))
    with step("an unknown name fails before anything is created, listing Kasm's names"):
        out = " ".join(tf.apply(expect=(1,)).output.split())
        assert "Unknown permission" in out and "'allow_kasm_sharing'" in out and "Groups Modify" in out
        assert "permissions =" in out  # the error points at the attribute
        assert groups_on_server(kasm_client) == before and tf.state_list() == []

    with step("create with two permissions"):
        tf.write(permissions_hcl('["Users View", "Groups View"]'))
        tf.apply()
        group_id = tf.resource_values("kasm_group.g")["id"]
        assert held(kasm_client, group_id) == {300, 400}
        assert sorted(tf.resource_values("kasm_group.g")["permissions"]) == ["Groups View", "Users View"]
        tf.assert_no_changes()

    with step("changed outside Terraform: the drift is shown and put back in place"):
        kasm_client.call(
            "add_permissions_group", {"target_group": {"group_id": group_id}, "target_permissions": [900]}
        )
        plan = tf.assert_actions({"kasm_group.g": ["update"]})
        assert "Images View" in plan.before("kasm_group.g")["permissions"]  # the drift, to be removed
        assert sorted(plan.after("kasm_group.g")["permissions"]) == ["Groups View", "Users View"]
        tf.write(permissions_hcl('["Users View"]'))
        tf.apply()
        assert held(kasm_client, group_id) == {300}
        tf.assert_no_changes()

    with step("left out of the configuration: no longer managed; Kasm keeps them and the plan is empty"):
        tf.write(permissions_hcl(None))
        tf.assert_no_changes()
        tf.apply()
        assert held(kasm_client, group_id) == {300}

    with step("a key without Global Admin manages the group, and gets a clear error setting permissions"):
        key, secret = kasm_server.create_api_key([900, 400, 401, 402, 403])  # images and groups, no admin
        tf.env = {**tf.env, "KASM_API_KEY": key, "KASM_API_SECRET": secret}
        tf.assert_no_changes()
        tf.write(permissions_hcl('["Groups View"]'))
        out = " ".join(tf.apply(expect=(1,)).output.split())
        assert "Cannot manage the group's permissions" in out and "Global Admin" in out
    with step("destroy"):
        tf.destroy()
        assert groups_on_server(kasm_client) == before
