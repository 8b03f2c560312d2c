"""A test-only provider ("kasmtest/kasm") with one resource, ``kasm_test_thing``, kept in a JSON file.

It exercises the protocol layer end to end with a real Terraform before the Kasm resources exist:
defaults, computed values, UseStateForUnknown, RequiresReplace, validators, sensitive and write-only
attributes, nested blocks, import and a data source. Run as ``python -m tests.tfplugin.thing_provider``
(the launcher the terraform fixture installs does that).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from terraform_provider_kasm.tfplugin import schema as s
from terraform_provider_kasm.tfplugin.codec import decode_json, encode_json
from terraform_provider_kasm.tfplugin.diagnostics import DiagnosticError, Diagnostics
from terraform_provider_kasm.tfplugin.provider import Provider, ProviderContext
from terraform_provider_kasm.tfplugin.resource import DataSource, Resource, ResourceContext
from terraform_provider_kasm.tfplugin.types import Bool, Dynamic, List, Map, Number, String

STORE_ENV = "KASM_TEST_THING_STORE"


class Store:
    """The "remote API": a JSON file of things, locked across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = json.loads(self.path.read_text()) if self.path.exists() else {}
            before = json.dumps(data, sort_keys=True)
            yield data
            if json.dumps(data, sort_keys=True) != before:
                self.path.write_text(json.dumps(data, indent=1, sort_keys=True))

    def get(self, thing_id: str) -> dict[str, Any] | None:
        with self._locked() as data:
            stored = data.get(thing_id)
        return _from_json(stored) if stored is not None else None

    def put(self, thing_id: str, thing: dict[str, Any]) -> None:
        stored = _to_json({k: v for k, v in thing.items() if k != "token_wo"})
        with self._locked() as data:
            data[thing_id] = stored

    def delete(self, thing_id: str) -> None:
        with self._locked() as data:
            data.pop(thing_id, None)

    def find(self, name: str) -> dict[str, Any] | None:
        with self._locked() as data:
            return next((_from_json(t) for t in data.values() if _from_json(t)["name"] == name), None)


_SPEC = s.Block(
    s.NestingMode.LIST,
    description="Key/value pairs.",
    attributes={
        "key": s.Attribute(String, required=True, validators=[s.LengthBetween(1, 20)]),
        "value": s.Attribute(String, optional=True),
    },
)


class ThingResource(Resource):
    type_name = "kasm_test_thing"
    schema = s.Schema(
        version=1,
        description="A thing kept in a JSON file.",
        attributes={
            "id": s.Attribute(String, computed=True, plan_modifiers=[s.UseStateForUnknown()]),
            "name": s.Attribute(String, required=True, validators=[s.LengthBetween(1, 32)]),
            "zone": s.Attribute(
                String,
                optional=True,
                computed=True,
                default="a",
                plan_modifiers=[s.RequiresReplace()],
                validators=[s.OneOf("a", "b", "c")],
            ),
            "size": s.Attribute(
                Number, optional=True, computed=True, default=1, validators=[s.IntBetween(1, 100)]
            ),
            "ratio": s.Attribute(Number, optional=True),
            "enabled": s.Attribute(Bool, optional=True),
            "tags": s.Attribute(Map(String), optional=True),
            "aliases": s.Attribute(List(String), optional=True),
            "secret": s.Attribute(String, optional=True, sensitive=True),
            "token_wo": s.Attribute(String, optional=True, write_only=True),
            "token_set": s.Attribute(Bool, computed=True, description="Whether token_wo was ever given."),
            "revision": s.Attribute(Number, computed=True, description="Bumped by every update."),
            "created_at": s.Attribute(String, computed=True, plan_modifiers=[s.UseStateForUnknown()]),
            "fail_on": s.Attribute(String, optional=True, description="Test hook: an operation to fail."),
            "extra": s.Attribute(Dynamic, optional=True, description="Any value."),
            "ports": s.Attribute(
                nested=s.NestedAttributes(
                    s.NestingMode.LIST,
                    {
                        "number": s.Attribute(Number, required=True, validators=[s.IntBetween(1, 65535)]),
                        "protocol": s.Attribute(String, optional=True, computed=True, default="tcp"),
                    },
                ),
                optional=True,
            ),
        },
        blocks={"spec": _SPEC},
    )

    def _store(self, ctx: ResourceContext) -> Store:
        assert ctx.provider_data is not None, "provider not configured"
        store: Store = ctx.provider_data
        return store

    @staticmethod
    def _check_failure(plan: dict[str, Any], op: str) -> None:
        if plan.get("fail_on") == op:
            raise RuntimeError(f"injected failure in {op}")

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        self._check_failure(plan, "create")
        thing = dict(plan)
        thing["id"] = uuid.uuid4().hex[:12]
        thing["revision"] = 1
        thing["created_at"] = "2026-01-01T00:00:00Z"
        thing["token_set"] = bool((ctx.config or {}).get("token_wo"))
        self._store(ctx).put(thing["id"], thing)
        if plan.get("fail_on") == "after_create":
            # The object exists although the operation failed: hand Terraform the partial state.
            raise DiagnosticError("Created, but not finished", "fail_on is after_create", state=thing)
        return thing

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        return self._store(ctx).get(state["id"])

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        self._check_failure(plan, "update")
        thing = dict(plan)
        thing["revision"] = int(prior["revision"] or 0) + 1
        thing["token_set"] = bool(prior["token_set"]) or bool((ctx.config or {}).get("token_wo"))
        self._store(ctx).put(thing["id"], thing)
        return thing

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        if state.get("fail_on") == "delete":
            raise DiagnosticError("Cannot delete this thing", "fail_on is delete", attribute=("fail_on",))
        self._store(ctx).delete(state["id"])

    def validate_config(self, ctx: ResourceContext, config: dict[str, Any], diags: Diagnostics) -> None:
        if config.get("name") == "forbidden":
            diags.error("Forbidden name", "The name forbidden is reserved.", ("name",))

    def upgrade_state(self, ctx: ResourceContext, version: int, state: dict[str, Any]) -> dict[str, Any]:
        # Version 0 called "size" "count".
        if version == 0 and "count" in state:
            state = dict(state)
            state["size"] = state.pop("count")
        return state


class ThingDataSource(DataSource):
    type_name = "kasm_test_thing"
    schema = s.Schema(
        attributes={
            "name": s.Attribute(String, required=True),
            "id": s.Attribute(String, computed=True),
            "size": s.Attribute(Number, computed=True),
        }
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        store: Store = ctx.provider_data
        thing = store.find(config["name"])
        if thing is None:
            raise DiagnosticError("No such thing", f"There is no thing named {config['name']}.", ("name",))
        return {"name": config["name"], "id": thing["id"], "size": thing["size"]}


def _to_json(thing: dict[str, Any]) -> str:
    # cty's JSON form keeps numbers exact and dynamic values typed.
    return encode_json(thing, ThingResource.schema.value_type).decode()


def _from_json(stored: str) -> dict[str, Any]:
    value: dict[str, Any] = decode_json(stored, ThingResource.schema.value_type)
    return value


class ThingProvider(Provider):
    type_name = "kasm"
    schema = s.Schema(attributes={"store": s.Attribute(String, optional=True, description="JSON file path.")})
    resources = (ThingResource,)
    data_sources = (ThingDataSource,)

    def configure(self, ctx: ProviderContext, config: dict[str, Any]) -> Any:
        path = config.get("store") or os.environ.get(STORE_ENV)
        if not path:
            raise DiagnosticError(
                "Missing store", f"Set store in the provider block or {STORE_ENV}.", ("store",)
            )
        return Store(Path(path))


def main() -> int:
    from terraform_provider_kasm.tfplugin.server import serve

    return serve(ThingProvider)


if __name__ == "__main__":
    sys.exit(main())
