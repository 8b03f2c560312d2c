"""Retry rules against the local server's fault injection (in-process and over a socket)."""

from __future__ import annotations

import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.models import ImageSpec

from .conftest import LocalKasm
from .helpers import FakeClock


def test_429_with_retry_after_is_waited_out(local_kasm: LocalKasm, clock: FakeClock) -> None:
    local_kasm.faults.add("get_images=429,times=1,retry_after=3")
    assert local_kasm.client.images.list()
    assert clock.sleeps == [3.0]
    assert local_kasm.call_counts()["get_images"] == 2


def test_503_twice_then_success(local_kasm: LocalKasm, clock: FakeClock) -> None:
    local_kasm.faults.add("get_groups=503,times=2")
    assert local_kasm.client.groups.list()
    assert len(clock.sleeps) == 2
    assert clock.sleeps[1] > clock.sleeps[0]
    assert local_kasm.call_counts()["get_groups"] == 3


def test_html_page_gives_invalid_response_naming_call_and_status(local_kasm: LocalKasm) -> None:
    local_kasm.faults.add("get_images=html")
    with pytest.raises(errors.InvalidResponse) as info:
        local_kasm.client.images.list()
    message = str(info.value)
    assert "get_images" in message and "HTTP 502" in message and "Bad Gateway" in message
    assert info.value.status == 502
    # 502 after sending is ambiguous, but get_images is a read: it was retried.
    assert local_kasm.call_counts()["get_images"] == 1 + local_kasm.client.transport.max_retries


def test_unhandled_500_page_is_not_retried(local_kasm: LocalKasm) -> None:
    local_kasm.faults.add("get_images=500")
    with pytest.raises(errors.InvalidResponse, match="HTTP 500"):
        local_kasm.client.images.list()
    assert local_kasm.call_counts()["get_images"] == 1


def test_reset_after_create_user_does_not_create_a_duplicate(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    local_kasm.faults.add("create_user=reset_after,times=1")
    user = kasm.users.create(local_kasm.name("grace@example.com"), password="Str0ng!Passw0rd")
    assert user.username == local_kasm.name("grace@example.com")
    assert [u.user_id for u in kasm.users.list() if u.username == local_kasm.name("grace@example.com")] == [
        user.user_id
    ]
    counts = local_kasm.call_counts()
    # The lookup before sending (absent), one create, then the lookup by username that found it.
    assert (counts["create_user"], counts["get_user"]) == (1, 2)


def test_reset_before_create_user_runs_is_retried(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    local_kasm.faults.add("create_user=reset,times=1")
    user = kasm.users.create(local_kasm.name("heidi@example.com"))
    assert [u.user_id for u in kasm.users.list() if u.username == local_kasm.name("heidi@example.com")] == [
        user.user_id
    ]
    assert local_kasm.call_counts()["create_user"] == 2


def test_reset_after_create_group_does_not_create_a_duplicate(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    local_kasm.faults.add("create_group=reset_after,times=1")
    group = kasm.groups.create(local_kasm.name("Ops"), priority=50)
    assert [g.group_id for g in kasm.groups.list() if g.name == local_kasm.name("Ops")] == [group.group_id]
    assert local_kasm.call_counts()["create_group"] == 1


def test_reset_after_create_image_does_not_create_a_duplicate(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    local_kasm.faults.add("create_image=reset_after,times=1")
    image = kasm.images.create(
        ImageSpec(name=local_kasm.name("kasmweb/vs-code:1.15.0"), friendly_name="VS Code")
    )
    assert [
        i.image_id for i in kasm.images.list() if i.name == local_kasm.name("kasmweb/vs-code:1.15.0")
    ] == [image.image_id]
    assert local_kasm.call_counts()["create_image"] == 1


def test_reset_after_add_image_does_not_link_twice(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    group = kasm.groups.create(local_kasm.name("Linkers"), priority=60)
    image = kasm.images.create(ImageSpec(name=local_kasm.name("kasmweb/gimp:1.15.0")))
    local_kasm.faults.add("add_images_group=reset_after,times=1")
    kasm.groups.add_image(group.group_id, image.image_id)
    assert [i.image_id for i in kasm.groups.images(group.group_id)] == [image.image_id]
    assert local_kasm.call_counts()["add_images_group"] == 1


def test_reset_after_add_user_is_a_success(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    group = kasm.groups.create(local_kasm.name("Joiners"), priority=61)
    user = kasm.users.create(local_kasm.name("ivan@example.com"))
    local_kasm.faults.add("add_user_group=reset_after,times=1")
    kasm.groups.add_user(group.group_id, user.user_id)
    assert [m.user_id for m in kasm.groups.users(group.group_id)] == [user.user_id]


def test_reset_after_request_kasm_adopts_the_new_session(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    user = kasm.users.create(local_kasm.name("judy@example.com"))
    group = kasm.groups.create(local_kasm.name("Sessions"), priority=62)
    image = kasm.images.create(ImageSpec(name=local_kasm.name("kasmweb/firefox:1.15.0")))
    kasm.groups.add_user(group.group_id, user.user_id)
    kasm.groups.add_image(group.group_id, image.image_id)
    local_kasm.faults.add("request_kasm=reset_after,times=1")
    requested = kasm.sessions.request(user_id=user.user_id, image_id=image.image_id)
    sessions = [s for s in kasm.sessions.list() if s.user_id == user.user_id]
    assert [s.kasm_id for s in sessions] == [requested.kasm_id]
    assert local_kasm.call_counts()["request_kasm"] == 1


def test_a_reset_on_a_call_without_lookup_is_raised_not_repeated(local_kasm: LocalKasm) -> None:
    kasm = local_kasm.client
    user = kasm.users.create(local_kasm.name("ken@example.com"))
    local_kasm.faults.add("create_session_token=reset_after,times=1")
    with pytest.raises(errors.TransportError) as info:
        kasm.session_tokens.create(user.user_id)
    assert info.value.sent
    assert local_kasm.call_counts()["create_session_token"] == 1


def test_503_retry_after_is_honoured(local_kasm: LocalKasm, clock: FakeClock) -> None:
    local_kasm.faults.add("get_zones=503,times=1,retry_after=4")
    local_kasm.client.call("get_zones", {}, idempotent=True)
    assert clock.sleeps == [4.0]


@pytest.mark.parametrize("fault", ["reset", "reset_after", "html"])
def test_a_fault_on_create_never_adopts_a_user_that_existed_before(local_kasm: LocalKasm, fault: str) -> None:
    kasm = local_kasm.client
    foreign = kasm.users.create(
        local_kasm.name("olga@example.com"), password="Their0wn!pw", first_name="Olga"
    )
    local_kasm.faults.add(f"create_user={fault},times=1")
    with pytest.raises(errors.AlreadyExisted, match="existed before this call was sent"):
        kasm.users.create(local_kasm.name("olga@example.com"), password="Str0ng!Passw0rd")
    assert kasm.users.get(foreign.user_id).first_name == "Olga"


@pytest.mark.parametrize("fault", ["reset", "html"])
def test_a_fault_on_create_never_adopts_a_group_or_membership_that_existed_before(
    local_kasm: LocalKasm, fault: str
) -> None:
    kasm = local_kasm.client
    group = kasm.groups.create(local_kasm.name("Theirs"), priority=70)
    user = kasm.users.create(local_kasm.name("pete@example.com"))
    kasm.groups.add_user(group.group_id, user.user_id)
    local_kasm.faults.add(f"create_group={fault},times=1")
    with pytest.raises(errors.AlreadyExisted):
        kasm.groups.create(local_kasm.name("Theirs"), priority=70)
    local_kasm.faults.add(f"add_user_group={fault},times=1")
    with pytest.raises(errors.AlreadyExisted):
        kasm.groups.add_user(group.group_id, user.user_id)
    assert [g.group_id for g in kasm.groups.list() if g.name == local_kasm.name("Theirs")] == [group.group_id]
