"""kasm_user against the local Kasm server, driven by the real Terraform binary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.server.seed import ADMINISTRATORS_GROUP_ID, ALL_USERS_GROUP_ID
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step, terraform_at_least, terraform_before

TF = Callable[..., Terraform]


@pytest.fixture
def client(kasm_client: KasmClient) -> KasmClient:
    return kasm_client


@pytest.fixture
def tf(kasm_tf: TF) -> TF:
    return kasm_tf


def user_hcl(**attrs: Any) -> str:
    body = "\n".join(f"  {k} = {v}" for k, v in attrs.items())
    return f'resource "kasm_user" "u" {{\n{body}\n}}\n'


def test_create_update_rename_and_destroy(tf: TF, client: KasmClient) -> None:
    devs = client.groups.create("Developers", priority=10)
    ops = client.groups.create("Operators", priority=20)
    # Kasm grants images only through groups (the seed authorises none): one image for All Users, which
    # every user is in, and one for Developers.
    everyone_image, devs_image = sorted(i.image_id for i in client.images.list() if i.enabled)[:2]
    client.groups.add_image(ALL_USERS_GROUP_ID, everyone_image)
    client.groups.add_image(devs.group_id, devs_image)
    hcl = user_hcl(
        username='"Dev.User@Example.com"',
        password='"Password123!"',
        first_name='"John"',
        last_name='"Doe"',
        phone='""',
        groups=f'["{devs.group_id}", "Operators"]',
    )
    t = tf(hcl)
    with step("create: Kasm lower-cases the username, the configured spelling stays in state"):
        t.apply()
        values = t.resource_values("kasm_user.u")
        user = client.users.get(values["id"])
        assert user.username == "dev.user@example.com"
        assert values["username"] == "Dev.User@Example.com"
        assert (user.first_name, user.last_name, user.locked) == ("John", "Doe", False)
        assert {g.group_id for g in user.groups} == {ALL_USERS_GROUP_ID, devs.group_id, ops.group_id}
        assert sorted(values["groups"]) == sorted([devs.group_id, "Operators"])
        assert set(values["authorized_images"]) == {everyone_image, devs_image}
        t.assert_no_changes()

    with step("in place: names, password, locked, rename, groups (All Users is never stripped)"):
        before = client.users.get(values["id"])
        t.write(
            user_hcl(
                username='"ops.user"',
                password='"Changed456$"',
                first_name='"Jane"',
                locked="true",
                groups=f'["{ops.group_id}"]',
            )
        )
        t.assert_actions({"kasm_user.u": ["update"]})
        t.apply()
        after = client.users.get(values["id"])
        assert after.user_id == before.user_id
        assert after.username == "ops.user"
        assert (after.first_name, after.last_name, after.locked) == ("Jane", "", True)
        assert after.password_set_date is not None and before.password_set_date is not None
        assert after.password_set_date > before.password_set_date
        assert {g.group_id for g in after.groups} == {ALL_USERS_GROUP_ID, ops.group_id}
        assert t.resource_values("kasm_user.u")["authorized_images"] == [everyone_image]
        t.assert_no_changes()

    with step("unlock again; an unchanged password is not sent"):
        t.write(user_hcl(username='"ops.user"', password='"Changed456$"', first_name='"Jane"', groups="[]"))
        t.apply()
        unlocked = client.users.get(values["id"])
        assert not unlocked.locked
        assert unlocked.password_set_date == after.password_set_date
        assert {g.group_id for g in unlocked.groups} == {ALL_USERS_GROUP_ID}
        t.assert_no_changes()

    with step("Kasm checks a changed password's complexity; the error names the attribute"):
        t.write(user_hcl(username='"ops.user"', password='"weakpass1"', first_name='"Jane"', groups="[]"))
        weak = t.apply(expect=(1,))
        assert "Password rejected by Kasm" in weak.output and "special character" in weak.output
        assert "password = " in weak.output.split("Error: Password rejected by Kasm")[1]  # points at it

    with step("destroy"):
        t.destroy()
        assert client.users.find(values["id"]) is None


def test_groups_not_configured_leaves_memberships_alone(tf: TF, client: KasmClient) -> None:
    t = tf(user_hcl(username='"reporter"', password='"Password123!"'))
    t.apply()
    values = t.resource_values("kasm_user.u")
    assert values["groups"] == [] and values["authorized_images"] == []
    # Memberships made elsewhere (kasm_group_membership, or by hand) are not this resource's: no drift.
    extra = client.groups.create("Extra", priority=30)
    client.groups.add_user(extra.group_id, values["id"])
    client.groups.add_user(ADMINISTRATORS_GROUP_ID, values["id"])
    t.assert_no_drift()
    t.assert_no_changes()
    # An update of another attribute keeps them.
    t.write(user_hcl(username='"reporter"', password='"Password123!"', first_name='"Rita"'))
    t.apply()
    assert {g.group_id for g in client.users.get(values["id"]).groups} >= {
        extra.group_id,
        ADMINISTRATORS_GROUP_ID,
    }
    assert t.resource_values("kasm_user.u")["groups"] == []


def test_import_by_id_and_username_then_empty_plan(tf: TF, client: KasmClient) -> None:
    group = client.groups.create("Imported", priority=40)
    user = client.users.create(
        "imported.user", password="Password123!", first_name="Ann", organization="ACME"
    )
    client.groups.add_user(group.group_id, user.user_id)
    hcl = user_hcl(
        username='"Imported.User"',
        first_name='"Ann"',
        organization='"ACME"',
        groups=f'["{group.group_id}"]',
    )
    with step("import by username keeps the configured spelling"):
        t = tf(hcl)
        t.import_("kasm_user.u", "username:Imported.User")
        values = t.resource_values("kasm_user.u")
        assert values["id"] == user.user_id
        assert values["username"] == "Imported.User"
        assert values["password"] is None
        t.assert_no_changes()

    with step("by id the configured spelling is unknown: Kasm's lower-case one matches without a diff"):
        t2 = tf(hcl.replace("Imported.User", "imported.user"))
        t2.import_("kasm_user.u", dashed(user.user_id))
        assert t2.resource_values("kasm_user.u")["id"] == user.user_id
        t2.assert_no_changes()

    with step("past the first get_users page (100 users, sorted by username): paging is never truncated"):
        for n in range(110):
            client.users.create(f"bulk{n:03d}")
        last = client.users.create("zz.last", password="Password123!")
        t3 = tf(user_hcl(username='"zz.last"'))
        t3.import_("kasm_user.u", "username:zz.last")
        assert t3.resource_values("kasm_user.u")["id"] == last.user_id

    with step("bad and unknown import ids"):
        bad = tf(user_hcl(username='"x"')).import_("kasm_user.u", "not-an-id", expect=(1,))
        assert "Invalid import ID" in bad.output
        missing = tf(user_hcl(username='"x"')).import_("kasm_user.u", "username:nobody", expect=(1,))
        assert "User not found" in missing.output


def test_deleted_outside_terraform_is_recreated(tf: TF, client: KasmClient) -> None:
    t = tf(user_hcl(username='"ephemeral"', password='"Password123!"'))
    t.apply()
    first = t.resource_values("kasm_user.u")["id"]
    client.users.delete(first)
    t.assert_actions({"kasm_user.u": ["create"]})
    # Destroying (without a refresh) a user that is already gone succeeds.
    t.destroy("-refresh=false")
    assert t.state_list() == []


def test_bad_input_names_the_attribute(tf: TF, client: KasmClient) -> None:
    t = tf(user_hcl(username='""', password='"Password123!"'))
    result = t.plan(expect=(1,))
    assert "Attribute username must be between 1 and 255 characters long, got 0" in result.output
    t.write(user_hcl(username='"   "', password='"Password123!"'))
    assert "Attribute username: must not be empty or only whitespace" in t.plan(expect=(1,)).output
    t.write(user_hcl(username='"nopass"'))
    result = t.plan(expect=(1,))
    assert "A new kasm_user needs a password: set password, or password_wo" in " ".join(result.output.split())
    t.write(user_hcl(username='"prefs"', password='"Password123!"', attributes='{ language = "en" }'))
    result = t.plan(expect=(1,))
    assert 'Attribute attributes: unknown key "language"' in result.output
    t.write(user_hcl(username='"nogroup"', password='"Password123!"', groups='["No Such Group"]'))
    result = t.apply(expect=(1,))
    assert "Unknown group" in result.output and "No Such Group" in result.output
    assert client.users.find(username="nogroup") is None


def test_failed_create_leaves_nothing_behind(tf: TF, client: KasmClient, kasm_server: KasmServer) -> None:
    group = client.groups.create("Flaky", priority=50)
    t = tf(user_hcl(username='"atomic"', password='"Password123!"', groups=f'["{group.group_id}"]'))
    kasm_server.faults.add("add_user_group=400")
    result = t.apply(expect=(1,))
    assert "Could not set the user's groups" in result.output
    kasm_server.faults.clear()
    assert client.users.find(username="atomic") is None
    assert t.state_list() == []


def test_existing_username_is_a_clear_error(tf: TF, client: KasmClient) -> None:
    client.users.create("taken", password="Password123!")
    result = tf(user_hcl(username='"Taken"', password='"Password123!"')).apply(expect=(1,))
    assert "Username already taken" in result.output and "username:" in result.output


def test_password_wo_on_old_terraform_is_rejected(terraform: TF, kasm_env: dict[str, str]) -> None:
    t = terraform(user_hcl(username='"wo"', password_wo='"Password123!"'), env=kasm_env)
    t.binary = terraform_before((1, 11))
    t.init()
    result = t.plan(expect=(1,))
    assert "Write-only attribute not supported" in result.output and "password_wo" in result.output


def test_password_wo_with_version(terraform: TF, kasm_env: dict[str, str], client: KasmClient) -> None:
    binary = terraform_at_least((1, 11))
    t = terraform(
        user_hcl(username='"wo.user"', password_wo='"Password123!"', password_wo_version="1"), env=kasm_env
    )
    t.binary = binary
    t.init()
    t.apply()
    values = t.resource_values("kasm_user.u")
    assert values["password_wo"] is None and values["password"] is None
    first = client.users.get(values["id"]).password_set_date
    t.assert_no_changes()
    # A new password alone is not a change; bumping the version sends it.
    t.write(user_hcl(username='"wo.user"', password_wo='"Another789%"', password_wo_version="1"))
    t.assert_no_changes()
    t.write(user_hcl(username='"wo.user"', password_wo='"Another789%"', password_wo_version="2"))
    t.apply()
    second = client.users.get(values["id"]).password_set_date
    assert first is not None and second is not None and second > first
    t.write(user_hcl(username='"wo.user"', password='"Password123!"', password_wo='"Password123!"'))
    assert "Set password or password_wo, not both." in " ".join(t.plan(expect=(1,)).output.split())


def test_refresh_costs_one_user_list(tf: TF, client: KasmClient, kasm_server: KasmServer) -> None:
    group = client.groups.create("Readers", priority=60)
    hcl = (
        'resource "kasm_user" "u" {\n  count    = 4\n  username = "reader${count.index}"\n'
        f'  password = "Password123!"\n  groups   = ["{group.group_id}"]\n}}\n'
    )
    t = tf(hcl)
    t.apply()
    kasm_server.reset_call_counts()
    t.assert_no_changes()
    counts = kasm_server.call_counts()
    # One paged get_users for all four users, one get_groups, and one get_images_group per group
    # (All Users and Readers); no get_user per user.
    assert counts.get("get_users") == 1 and counts.get("get_user", 0) == 0, counts
    assert counts.get("get_groups") == 1 and counts.get("get_images_group") == 2, counts


def test_attributes_round_trip(tf: TF, client: KasmClient) -> None:
    image = client.images.list()[0]
    prefs = f'{{\n    theme = "Dark"\n    show_tips = "True"\n    default_image = "{dashed(image.image_id)}"\n  }}'
    t = tf(user_hcl(username='"prefs"', password='"Password123!"', attributes=prefs))
    t.apply()
    values = t.resource_values("kasm_user.u")
    # Configured spellings are kept; keys not configured are not managed.
    assert values["attributes"] == {
        "theme": "Dark",
        "show_tips": "True",
        "default_image": dashed(image.image_id),
    }
    on_server = client.users.get_attributes(values["id"])
    assert (on_server.theme, on_server.show_tips, on_server.default_image) == ("Dark", True, image.image_id)
    t.assert_no_changes()
    # Changed in Kasm: the plan puts it back, in place.
    client.users.update_attributes(values["id"], theme="Light")
    t.assert_actions({"kasm_user.u": ["update"]})
    t.apply()
    assert client.users.get_attributes(values["id"]).theme == "Dark"
