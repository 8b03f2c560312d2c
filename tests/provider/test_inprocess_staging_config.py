"""kasm_staging_config through the servicer in-process (tests/fixtures/inprocess.py): numbers as
configured, in-place changes, one config per zone and image, import forms, drift and bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from tests.fixtures.inprocess import Harness, ProviderError

S = "kasm_staging_config"


@pytest.fixture
def ids(provider_harness: Harness) -> tuple[str, list[str]]:
    zone = provider_harness.client.zones.list()[0].zone_id
    return zone, sorted(i.image_id for i in provider_harness.client.images.list())[:2]


def staging(h: Harness, zone: str, image: str, **values: Any) -> dict[str, Any]:
    return h.config(S, **{"zone_id": zone, "image_id": image, "num_sessions": 2, "expiration": 1, **values})


@pytest.mark.parametrize("expiration", [0, 1, Decimal("0.1"), Decimal("2.5")])
def test_create_and_empty_plan(
    provider_harness: Harness, ids: tuple[str, list[str]], expiration: Any
) -> None:
    h = provider_harness
    zone, images = ids
    config = staging(h, dashed(zone), images[0], expiration=expiration, num_sessions=0)
    state = h.create(S, config)
    assert state["expiration"] == expiration and state["zone_id"] == dashed(zone)
    assert (
        state["num_sessions"] == 0 and state["allow_kasm_audio"] is False and state["server_pool_id"] is None
    )
    assert state["zone_name"] == "default" and state["image_friendly_name"]
    stored = h.client.staging_configs.get(state["id"])
    assert (stored.zone_id, stored.image_id, stored.expiration) == (zone, images[0], float(expiration))
    assert h.changes(S, state, config) == {}


def test_update_in_place_and_drift(provider_harness: Harness, ids: tuple[str, list[str]]) -> None:
    h = provider_harness
    zone, images = ids
    state = h.create(S, staging(h, zone, images[0]))
    config = staging(h, zone, images[1], num_sessions=5, expiration=Decimal("0.5"), allow_kasm_audio=True)
    updated = h.update(S, state, config)
    assert updated["id"] == state["id"] and updated["image_friendly_name"] != state["image_friendly_name"]
    stored = h.client.staging_configs.get(state["id"])
    assert (stored.image_id, stored.num_sessions, stored.expiration, stored.allow_kasm_audio) == (
        images[1],
        5,
        0.5,
        True,
    )
    assert h.changes(S, updated, config) == {}
    h.client.staging_configs.delete(state["id"])
    assert h.read(S, updated) is None


def test_one_per_zone_and_image(provider_harness: Harness, ids: tuple[str, list[str]]) -> None:
    h = provider_harness
    zone, images = ids
    first = h.create(S, staging(h, zone, images[0]))
    with pytest.raises(ProviderError) as failed:
        h.create(S, staging(h, zone, images[0], num_sessions=9))
    assert "Image already staged" in failed.value.text and first["id"] in failed.value.text
    assert failed.value.diagnostics[0][2] == "image_id"
    second = h.create(S, staging(h, zone, images[1]))
    with pytest.raises(ProviderError) as failed:  # moving the second onto the first's image
        h.update(S, second, staging(h, zone, images[0]))
    assert "Image already staged" in failed.value.text
    assert len(h.client.staging_configs.list()) == 2


@pytest.mark.parametrize(
    ("values", "attribute", "text"),
    [
        ({"num_sessions": -1}, "num_sessions", "between 0 and"),
        ({"expiration": -0.5}, "expiration", "at least 0"),
        ({"zone_id": "default"}, "zone_id", "Kasm id"),
        ({"server_pool_id": "x"}, "server_pool_id", "Kasm id"),
    ],
)
def test_bad_input_names_the_attribute(
    provider_harness: Harness, ids: tuple[str, list[str]], values: dict[str, Any], attribute: str, text: str
) -> None:
    h = provider_harness
    zone, images = ids
    with pytest.raises(ProviderError) as failed:
        h.validate(S, staging(h, zone, images[0], **values))
    assert text in failed.value.text and failed.value.diagnostics[0][2] == attribute


@pytest.mark.parametrize(
    ("values", "attribute", "summary"),
    [
        ({"zone_id": "7" * 32}, "zone_id", "Unknown zone"),
        ({"image_id": "8" * 32}, "image_id", "Unknown image"),
        ({"server_pool_id": "9" * 32}, "server_pool_id", "Invalid server_pool_id"),
    ],
)
def test_unknown_references_leave_nothing(
    provider_harness: Harness,
    ids: tuple[str, list[str]],
    values: dict[str, Any],
    attribute: str,
    summary: str,
) -> None:
    h = provider_harness
    zone, images = ids
    with pytest.raises(ProviderError) as failed:
        h.create(S, staging(h, zone, images[0], **values))
    assert summary in failed.value.text and failed.value.diagnostics[0][2] == attribute
    assert h.client.staging_configs.list() == []


@pytest.mark.parametrize("form", ["id", "dashed", "zone:image"])
def test_import_forms(provider_harness: Harness, ids: tuple[str, list[str]], form: str) -> None:
    h = provider_harness
    zone, images = ids
    config = staging(h, zone, images[0], expiration=Decimal("0.25"))
    state = h.create(S, config)
    import_id = {"id": state["id"], "dashed": dashed(state["id"]), "zone:image": f"{zone}:{images[0]}"}[form]
    imported = h.import_(S, import_id)
    assert imported is not None and imported["id"] == state["id"] and imported["expiration"] == 0.25
    assert h.changes(S, imported, config) == {}
    with pytest.raises(ProviderError) as failed:
        h.import_(S, f"{zone}:{images[1]}")
    assert "Staging config not found" in failed.value.text
