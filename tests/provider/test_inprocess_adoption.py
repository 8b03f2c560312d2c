"""``adopt_existing`` through the servicer in-process (tests/fixtures/inprocess.py): links are adopted
(identical by their two ids) only with the setting on, a refusal names the differing fields, and an
adopted group whose permissions cannot be set is never deleted. The real-Terraform walk is
tests/provider/test_adopt_existing.py."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.provider.context import KasmData
from tests.fixtures.inprocess import Harness, ProviderError

GI, GM, G, U = "kasm_group_image", "kasm_group_membership", "kasm_group", "kasm_user"


def _adopting(h: Harness, monkeypatch: pytest.MonkeyPatch) -> Harness:
    """The harness with the provider setting ``adopt_existing = true`` for every run."""

    def new_run() -> None:
        h.servicer._provider_data = KasmData(h.client, adopt_existing=True)

    monkeypatch.setattr(h, "new_run", new_run)
    return h


def _links(h: Harness) -> tuple[Any, Any, Any]:
    group = h.client.groups.create("Linked", priority=70)
    user = h.client.users.create("linked.user", password="Linked123!")
    image = h.client.images.list()[0]
    h.client.groups.add_user(group.group_id, user.user_id)
    h.client.groups.add_image(group.group_id, image.image_id)
    return group, user, image


def test_existing_links_are_refused_without_the_setting(provider_harness: Harness) -> None:
    h = provider_harness
    group, user, image = _links(h)
    for type_name, other in ((GM, {"user_id": user.user_id}), (GI, {"image_id": image.image_id})):
        with pytest.raises(ProviderError) as failed:
            h.create(type_name, h.config(type_name, group_id=group.group_id, **other))
        assert "terraform import" in failed.value.text and "adopt_existing = true" in failed.value.text


def test_existing_links_are_adopted_with_the_setting(
    provider_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = _adopting(provider_harness, monkeypatch)
    group, user, image = _links(h)
    membership = h.create(GM, h.config(GM, group_id=group.group_id, user_id=user.user_id))
    assert membership["id"] == f"{group.group_id}:{user.user_id}"
    link = h.create(GI, h.config(GI, group_id=group.group_id, image_id=image.image_id))
    (existing,) = h.client.groups.images(group.group_id)  # adopted, not linked a second time
    assert link["group_image_id"] == existing.group_image_id
    assert h.changes(GI, link, h.config(GI, group_id=group.group_id, image_id=image.image_id)) == {}
    # A link that does not exist yet is simply made.
    other = h.client.images.list()[1]
    made = h.create(GI, h.config(GI, group_id=group.group_id, image_id=other.image_id))
    assert {i.image_id for i in h.client.groups.images(group.group_id)} == {image.image_id, other.image_id}
    assert made["id"] == f"{group.group_id}:{other.image_id}"


def test_a_refusal_names_the_fields_that_differ(
    provider_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = _adopting(provider_harness, monkeypatch)
    h.client.users.create("theirs", password="Theirs123!", first_name="Ann", organization="Them")
    with pytest.raises(ProviderError) as failed:
        h.create(U, h.config(U, username="theirs", password="Ours12345!", first_name="Bob"))
    text = " ".join(failed.value.text.split())
    assert 'first_name is "Ann" in Kasm, "Bob" configured' in text, text
    assert 'organization is "Them" in Kasm, "" configured' in text, text
    assert "username:theirs" in text
    h.client.groups.create("Theirs", priority=9, description="kept")
    with pytest.raises(ProviderError) as failed:
        h.create(G, h.config(G, name="Theirs", priority=10, description="kept"))
    assert "priority is 9 in Kasm, 10 configured" in failed.value.text, failed.value.text


def test_an_adopted_group_is_never_deleted_when_its_permissions_fail(
    provider_harness: Harness, monkeypatch: pytest.MonkeyPatch, kasm_app: Any
) -> None:
    h = _adopting(provider_harness, monkeypatch)
    group = h.client.groups.create("Adopted", priority=20)
    kasm_app.state.faults.add("replace_permissions_group=500")
    with pytest.raises(ProviderError):
        h.create(G, h.config(G, name="Adopted", priority=20, permissions=["Users View"]))
    assert h.client.groups.get(group.group_id).name == "Adopted"
