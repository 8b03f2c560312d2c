"""kasm_session against the local Kasm server, driven by the real Terraform binary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.client.models import Image, User
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

TF = Callable[..., Terraform]


def session_hcl(user_id: str, image_id: str, extra: str = "") -> str:
    return f'resource "kasm_session" "s" {{\n  user_id  = "{user_id}"\n  image_id = "{image_id}"\n{extra}}}\n'


@pytest.fixture
def image(kasm_client: KasmClient) -> Image:
    """A seeded image; as on a real Kasm, no group is authorised for it."""
    return next(i for i in kasm_client.images.list() if i.name.startswith("kasmweb/terminal"))


@pytest.fixture
def user(kasm_client: KasmClient, image: Image) -> User:
    """A user who may launch `image`, the way a Kasm admin allows it (kasm_group_membership and
    kasm_group_image): a member of a dedicated group that is authorised for the image."""
    user = kasm_client.users.create("session.user", password="Password123!")
    group = kasm_client.groups.create("session.users", priority=100)
    kasm_client.groups.add_user(group.group_id, user.user_id)
    kasm_client.groups.add_image(group.group_id, image.image_id)
    return user


def test_running_session_import_and_destroy(
    kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer, user: User, image: Image
) -> None:
    # Starting takes a moment here: create polls until the session runs.
    kasm_server.settings.session_start_seconds = 1.0
    t = kasm_tf(session_hcl(dashed(user.user_id), image.image_id))
    with step("create polls until the session runs"):
        t.apply()
        values = t.resource_values("kasm_session.s")
        assert values["operational_status"] == "running"
        assert values["user_id"] == dashed(user.user_id)  # the configured spelling is kept
        assert values["kasm_id"] == values["id"] and len(values["id"]) == 32
        assert values["username"] == "session.user" and values["share_id"] is None
        assert values["kasm_url"].startswith(kasm_server.base_url + "/#/connect/kasm/")
        assert values["created"].endswith("Z") and values["hostname"] and values["container_ip"]
        on_server = {s.kasm_id: s for s in kasm_client.sessions.list()}
        assert on_server[values["id"]].operational_status == "running"

    with step("refreshes read the session list, never get_kasm_status (which mints a session token)"):
        kasm_server.reset_call_counts()
        t.assert_no_changes()
        counts = kasm_server.call_counts()
        assert counts.get("get_kasm_status", 0) == 0 and counts.get("get_kasms", 0) == 1, counts
        # What create recorded is what a refresh reads.
        t.refresh()
        assert t.resource_values("kasm_session.s") == values

    with step("import by kasm_id and by user_id:kasm_id, then nothing to change"):
        for import_id in (values["id"], f"{user.user_id}:{dashed(values['id'])}"):
            other = kasm_tf(session_hcl(user.user_id, image.image_id))
            other.import_("kasm_session.s", import_id)
            imported = other.resource_values("kasm_session.s")
            assert imported["id"] == values["id"] and imported["image_id"] == image.image_id
            assert imported["kasm_url"] is None
            other.assert_no_changes()
        wrong = kasm_tf(session_hcl(user.user_id, image.image_id))
        result = wrong.import_("kasm_session.s", f"{image.image_id}:{values['id']}", expect=(1,))
        assert "Wrong user for the session" in result.output

    with step("destroy"):
        t.destroy()
        assert values["id"] not in {s.kasm_id for s in kasm_client.sessions.list()}


def test_session_destroyed_outside_terraform_is_recreated(
    kasm_tf: TF, kasm_client: KasmClient, user: User, image: Image
) -> None:
    t = kasm_tf(session_hcl(user.user_id, image.image_id))
    t.apply()
    first = t.resource_values("kasm_session.s")["id"]
    kasm_client.sessions.destroy(first, user.user_id)
    t.assert_actions({"kasm_session.s": ["create"]})
    # Destroying (without a refresh) a session that is already gone succeeds.
    t.destroy("-refresh=false")
    assert t.state_list() == []


def test_unauthorized_image_is_a_clear_error_and_leaves_nothing(
    kasm_tf: TF, kasm_client: KasmClient, image: Image
) -> None:
    # No group is authorised for a seeded image, so a new user may not launch it.
    assert all(
        image.image_id not in {link.image_id for link in kasm_client.groups.images(g.group_id)}
        for g in kasm_client.groups.list()
    )
    hcl = (
        'resource "kasm_user" "u" {\n  username = "no.access"\n  password = "Password123!"\n}\n'
        'resource "kasm_session" "s" {\n'
        "  user_id  = kasm_user.u.id\n"
        f'  image_id = "{image.image_id}"\n'
        "}\n"
    )
    t = kasm_tf(hcl)
    result = t.apply(expect=(1,))
    user_id = t.resource_values("kasm_user.u")["id"]
    out = result.output
    assert "Error: Image Not Authorized" in out
    assert image.friendly_name is not None
    for needle in (
        "no.access",
        user_id,
        image.friendly_name,
        image.image_id,
        "kasm_group_image",
        "kasm_group_membership",
    ):
        assert needle in out, needle
    assert kasm_client.sessions.list() == []
    assert t.state_list() == ["kasm_user.u"]
    t.destroy()
    assert kasm_client.users.find(user_id) is None


def test_bad_input_names_the_attribute(
    kasm_tf: TF, kasm_client: KasmClient, user: User, image: Image
) -> None:
    unknown = "0123456789abcdef0123456789abcdef"
    t = kasm_tf(session_hcl(user.user_id, unknown))
    result = t.plan(expect=(1,))
    assert "Unknown image" in result.output and unknown in result.output and "image_id" in result.output
    t.write(session_hcl(user.user_id, "not-an-id"))
    result = t.plan(expect=(1,))
    assert "Attribute image_id: must be a Kasm id" in result.output
    t.write(session_hcl(user.user_id, image.image_id, '  timeouts {\n    create = "soon"\n  }\n'))
    assert "is not a duration" in t.plan(expect=(1,)).output
    t.write(session_hcl(user.user_id, image.image_id, "  share = true\n  enable_sharing = false\n"))
    assert "Conflicting sharing settings" in t.plan(expect=(1,)).output
    assert kasm_client.sessions.list() == []


def test_sharing_needs_the_group_setting(
    kasm_tf: TF, kasm_client: KasmClient, user: User, image: Image
) -> None:
    t = kasm_tf(session_hcl(user.user_id, image.image_id, "  enable_sharing = true\n"))
    result = t.apply(expect=(1,))
    assert "Sharing not allowed" in result.output and "allow_kasm_sharing" in result.output
    assert kasm_client.sessions.list() == []

    settings = kasm_client.call("get_settings_group", {"target_group": {"group_id": ALL_USERS_GROUP_ID}})
    sharing = next(x for x in settings["settings"] if x["name"] == "allow_kasm_sharing")
    kasm_client.call(
        "update_settings_group",
        {
            "target_group": {"group_id": ALL_USERS_GROUP_ID},
            "target_setting": {"group_setting_id": sharing["group_setting_id"], "value": "true"},
        },
    )
    t.apply()
    values = t.resource_values("kasm_session.s")
    assert values["share_id"] and values["enable_sharing"] and values["share"]
    t.assert_no_changes()
    # The older name means the same: no change; turning sharing off needs a new session.
    t.write(session_hcl(user.user_id, image.image_id, "  share = true\n"))
    t.assert_no_changes()
    t.write(session_hcl(user.user_id, image.image_id))
    t.assert_actions({"kasm_session.s": "replace"})


def test_session_that_does_not_start_in_time_is_destroyed(
    kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer, user: User, image: Image
) -> None:
    kasm_server.settings.session_start_seconds = 60.0
    t = kasm_tf(session_hcl(user.user_id, image.image_id, '  timeouts {\n    create = "2s"\n  }\n'))
    result = t.apply(expect=(1,))
    assert "Session did not start in time" in result.output and "timeouts.create" in result.output
    assert kasm_client.sessions.list() == []
    assert t.state_list() == []


def test_session_limit_is_a_clear_error(
    kasm_tf: TF, kasm_client: KasmClient, user: User, image: Image
) -> None:
    # Kasm allows 2 sessions per user by default (group setting max_kasms_per_user).
    hcl = session_hcl(user.user_id, image.image_id).replace('"s" {', '"s" {\n  count    = 3')
    t = kasm_tf(hcl)
    result = t.apply(expect=(1,))
    assert "No session available" in result.output and "max_kasms_per_user" in result.output
    assert len(t.state_list()) == 2 and len(kasm_client.sessions.list()) == 2


SESSION_DATA_HCL = """
data "kasm_sessions" "mine" {{
  user_id            = "{user_id}"
  operational_status = "running"
}}

data "kasm_session" "first" {{
  id = data.kasm_sessions.mine.sessions[0].id
}}

output "ids" {{
  value = [for x in data.kasm_sessions.mine.sessions : x.id]
}}

output "first" {{
  value = data.kasm_session.first
}}
"""


def test_session_data_sources(
    kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer, user: User, image: Image
) -> None:
    kasm_server.settings.session_start_seconds = 0.0
    kasm_id = kasm_client.sessions.request(user_id=user.user_id, image_id=image.image_id).kasm_id
    kasm_client.sessions.wait_until_running(kasm_id, user.user_id, timeout=10)
    t = kasm_tf(SESSION_DATA_HCL.format(user_id=dashed(user.user_id)))
    with step("read both data sources: one get_kasms for both, no get_kasm_status"):
        kasm_server.reset_call_counts()
        t.apply()
        counts = kasm_server.call_counts()
        assert counts.get("get_kasm_status", 0) == 0 and counts.get("get_kasms", 0) == 1, counts
        out = t.output_json()
        assert out["ids"]["value"] == [kasm_id]
        first = out["first"]["value"]
        assert (first["id"], first["user_id"], first["username"]) == (kasm_id, user.user_id, "session.user")
        assert (first["image_id"], first["operational_status"]) == (image.image_id, "running")
    with step("second plan empty"):
        t.assert_no_changes()
    with step("an unknown id is an error naming the attribute"):
        bad = kasm_tf('data "kasm_session" "x" {\n  id = "' + "0" * 32 + '"\n}\n')
        result = bad.plan(expect=(1,))
        assert "Session not found" in result.output and "0" * 32 in result.output
