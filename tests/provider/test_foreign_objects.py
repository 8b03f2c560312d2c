"""Issue 11 item 1: a create's recovery after a fault never adopts an object Terraform did not create.

A user, group or membership made outside Terraform, then a connection reset (the call never reached
Kasm) or an HTML 502 on the create: the apply fails with the same "already exists, import it" error as
without the fault, nothing foreign enters the state, and ``terraform destroy`` leaves it on the server.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform

TF = Callable[..., Terraform]
FAULTS = ["reset", "html"]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_foreign_user_is_not_adopted_after_a_fault(
    fault: str, kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    foreign = kasm_client.users.create("foreign.user", password="Foreign123!", first_name="Theirs")
    t = kasm_tf('resource "kasm_user" "u" {\n  username = "foreign.user"\n  password = "Ours12345!"\n}\n')
    kasm_server.faults.add(f"create_user={fault},times=1")
    result = t.apply(expect=(1,))
    assert (
        "already" in result.output
        and "terraform import kasm_user.<NAME> username:foreign.user" in result.output
    ), result.output
    assert t.state_list() == []
    t.destroy()
    kept = kasm_client.users.get(foreign.user_id)
    assert kept.first_name == "Theirs"


@pytest.mark.parametrize("fault", FAULTS)
def test_a_foreign_group_is_not_adopted_after_a_fault(
    fault: str, kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    foreign = kasm_client.groups.create("Theirs", priority=77)
    t = kasm_tf('resource "kasm_group" "g" {\n  name = "Theirs"\n  priority = 10\n}\n')
    kasm_server.faults.add(f"create_group={fault},times=1")
    result = t.apply(expect=(1,))
    assert "already" in result.output and "terraform import" in result.output, result.output
    assert t.state_list() == []
    t.destroy()
    assert kasm_client.groups.get(foreign.group_id).priority == 77


@pytest.mark.parametrize("fault", FAULTS)
def test_a_foreign_membership_is_not_adopted_after_a_fault(
    fault: str, kasm_tf: TF, kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    group = kasm_client.groups.create("Members", priority=50)
    user = kasm_client.users.create("member.user", password="Member123!")
    kasm_client.groups.add_user(group.group_id, user.user_id)
    t = kasm_tf(
        'resource "kasm_group_membership" "m" {\n'
        f'  group_id = "{group.group_id}"\n  user_id = "{user.user_id}"\n}}\n'
    )
    kasm_server.faults.add(f"add_user_group={fault},times=1")
    result = t.apply(expect=(1,))
    assert "already" in result.output.lower() and "terraform import" in result.output, result.output
    assert t.state_list() == []
    t.destroy()
    assert user.user_id in [m.user_id for m in kasm_client.groups.users(group.group_id)]
