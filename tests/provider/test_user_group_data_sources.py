"""kasm_users, kasm_user, kasm_groups and kasm_group with a real Terraform: read (every page of
get_users, counted), second plan empty, changes outside seen on the next read, not-found and bad
input errors naming the attribute."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform

HCL = """
data "kasm_users" "all" {}

data "kasm_user" "jdoe" {
  username = "JDoe@example.com"
}

data "kasm_groups" "all" {}

data "kasm_group" "devs" {
  name = "Developers"
}

data "kasm_group" "devs_by_id" {
  id = data.kasm_group.devs.id
}

output "user_count" {
  value = length(data.kasm_users.all.users)
}

output "jdoe" {
  value = data.kasm_user.jdoe
}

output "group_names" {
  value = [for g in data.kasm_groups.all.groups : g.name]
}

output "devs" {
  value = data.kasm_group.devs
}

output "devs_by_id_name" {
  value = data.kasm_group.devs_by_id.name
}
"""


def test_data_sources(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    group = kasm_client.groups.create("Developers", priority=30)
    sharing = next(s for s in kasm_client.groups.settings() if s.name == "allow_kasm_sharing")
    kasm_client.groups.add_setting(group.group_id, sharing, "true")
    jdoe = kasm_client.users.create("jdoe@example.com", first_name="Jane")
    kasm_client.groups.add_user(group.group_id, jdoe.user_id)
    for n in range(110):
        kasm_client.users.create(f"bulk{n:03d}@example.com")
    total = len(kasm_client.users.list())
    assert total > 100

    tf = kasm_tf(HCL)
    with step("read every page: all users, the user, the groups and the group"):
        kasm_server.reset_call_counts()
        tf.apply()
        assert kasm_server.call_counts()["get_users"] == 2  # 112 users at 100 a page
        out = {k: v["value"] for k, v in tf.output_json().items()}
        assert out["user_count"] == total
        assert out["jdoe"]["id"] == jdoe.user_id and out["jdoe"]["username"] == "JDoe@example.com"
        assert out["jdoe"]["groups"] == ["All Users", "Developers"] and out["jdoe"]["first_name"] == "Jane"
        assert {"Administrators", "All Users", "Developers"} <= set(out["group_names"])
        assert out["devs"]["id"] == group.group_id
        assert out["devs"]["settings"] == {"allow_kasm_sharing": "true"}
        assert out["devs_by_id_name"] == "Developers"

    with step("second plan empty"):
        tf.assert_no_changes()

    with step("changed outside Terraform: the next read shows it"):
        kasm_client.users.create("late@example.com")
        kasm_client.groups.update(group.group_id, priority=31)
        tf.apply()
        out = {k: v["value"] for k, v in tf.output_json().items()}
        assert out["user_count"] == total + 1 and out["devs"]["priority"] == 31

    with step("not found: the error names the attribute"):
        tf.write(HCL.replace('"JDoe@example.com"', '"nobody@example.com"'))
        text = " ".join(tf.plan(expect=(1,)).output.split())
        assert "User not found" in text and "'nobody@example.com'" in text
        assert 'username = "nobody@example.com"' in text

    with step("bad input: id and name both given"):
        tf.write(f'data "kasm_group" "x" {{\n  id   = "{group.group_id}"\n  name = "Developers"\n}}\n')
        text = " ".join(tf.plan(expect=(1,)).output.split())
        assert "Invalid Attribute Combination" in text
