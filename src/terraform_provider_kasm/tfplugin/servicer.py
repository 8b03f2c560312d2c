"""The tfplugin6 ``Provider`` service: decodes requests, calls the provider's resources, encodes answers.

Every RPC answers; nothing a resource does crashes the server or hangs a call. An exception other
than ``DiagnosticError`` becomes "Unexpected error in <type> <operation>: <class>: <message>" plus a
debug log with the traceback. Configuration and state values are never logged.
"""

from __future__ import annotations

import itertools
import os
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from . import codec
from ._generated import tfplugin6_pb2 as pb
from .diagnostics import AttributePath, Diagnostic, DiagnosticError, Diagnostics, Key, format_path
from .hclog import log
from .planning import null_write_only, plan_resource_change, unknown_paths, validate
from .provider import Provider, ProviderContext
from .resource import ClientCapabilities, DataSource, Resource, ResourceContext
from .schema import (
    Attribute,
    Block,
    Container,
    NestedAttributes,
    NestingMode,
    Schema,
    complete_object,
    empty_object,
)
from .types import UNKNOWN, Type

#: Debug aid: when set to a directory, every DynamicValue received is written there as
#: ``<n>-<RPC>-<field>.msgpack`` (or ``.json``). The files hold configuration values, secrets included:
#: use it only against test infrastructure.
DUMP_ENV = "TF_KASM_DUMP_DYNAMIC_VALUES"

_dump_counter = itertools.count(1)
_dump_lock = threading.Lock()

R = TypeVar("R")


# ---------------------------------------------------------------------------------------------------
# conversions


def path_to_proto(path: AttributePath) -> pb.AttributePath:
    steps = []
    for step in path:
        if isinstance(step, Key):
            steps.append(pb.AttributePath.Step(element_key_string=step.key))
        elif isinstance(step, int):
            steps.append(pb.AttributePath.Step(element_key_int=step))
        else:
            steps.append(pb.AttributePath.Step(attribute_name=step))
    return pb.AttributePath(steps=steps)


def diagnostic_to_proto(d: Diagnostic) -> pb.Diagnostic:
    out = pb.Diagnostic(
        severity=cast("pb.Diagnostic.Severity", int(d.severity)), summary=d.summary, detail=d.detail
    )
    if d.attribute:
        out.attribute.CopyFrom(path_to_proto(d.attribute))
    return out


def _description(element: Any, target: Any) -> None:
    if element.markdown_description:
        target.description = element.markdown_description
        target.description_kind = pb.MARKDOWN
    elif element.description:
        target.description = element.description
        target.description_kind = pb.PLAIN


def attribute_to_proto(name: str, attr: Attribute) -> pb.Schema.Attribute:
    out = pb.Schema.Attribute(
        name=name,
        required=attr.required,
        optional=attr.optional,
        computed=attr.computed,
        sensitive=attr.sensitive,
        deprecated=bool(attr.deprecated),
        write_only=attr.write_only,
    )
    _description(attr, out)
    if attr.nested is not None:
        out.nested_type.CopyFrom(nested_to_proto(attr.nested))
    else:
        assert attr.type is not None
        out.type = attr.type.json_bytes()
    return out


def nested_to_proto(nested: NestedAttributes) -> pb.Schema.Object:
    return pb.Schema.Object(
        attributes=[attribute_to_proto(n, a) for n, a in sorted(nested.attributes.items())],
        nesting=cast("pb.Schema.Object.NestingMode", int(nested.nesting)),
    )


def block_to_proto(container: Schema | Block, version: int = 0) -> pb.Schema.Block:
    out = pb.Schema.Block(
        version=version,
        attributes=[attribute_to_proto(n, a) for n, a in sorted(container.attributes.items())],
        block_types=[
            pb.Schema.NestedBlock(
                type_name=n,
                block=block_to_proto(b),
                nesting=cast("pb.Schema.NestedBlock.NestingMode", int(b.nesting)),
                min_items=b.min_items,
                max_items=b.max_items,
            )
            for n, b in sorted(container.blocks.items())
        ],
        deprecated=bool(container.deprecated),
    )
    _description(container, out)
    return out


def schema_to_proto(schema: Schema) -> pb.Schema:
    return pb.Schema(version=schema.version, block=block_to_proto(schema, schema.version))


def _dump(rpc: str, field: str, dv: pb.DynamicValue | None = None, raw_json: bytes = b"") -> None:
    directory = os.environ.get(DUMP_ENV)
    if not directory:
        return
    with _dump_lock:
        n = next(_dump_counter)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{os.getpid()}-{n:04d}-{rpc}-{field}"
    if dv is not None and dv.msgpack:
        (target / f"{stem}.msgpack").write_bytes(dv.msgpack)
    elif dv is not None and dv.json:
        (target / f"{stem}.json").write_bytes(dv.json)
    elif raw_json:
        (target / f"{stem}.json").write_bytes(raw_json)


def decode_dynamic(
    dv: pb.DynamicValue, t: Type, rpc: str = "", field: str = "", refined: dict[Any, Any] | None = None
) -> Any:
    """A request's DynamicValue as a plain value (an absent value is null)."""
    if rpc:
        _dump(rpc, field, dv)
    if dv.msgpack:
        return codec.decode_msgpack(dv.msgpack, t, refined)
    if dv.json:
        return codec.decode_json(dv.json, t)
    return None


def encode_dynamic(value: Any, t: Type) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=codec.encode_msgpack(value, t))


def client_capabilities(msg: pb.ClientCapabilities) -> ClientCapabilities:
    return ClientCapabilities(
        deferral_allowed=msg.deferral_allowed,
        write_only_attributes_allowed=msg.write_only_attributes_allowed,
    )


def normalize_blocks(container: Container, value: dict[str, Any]) -> dict[str, Any]:
    """Fills absent (null) list/set/map/group blocks with empty ones: Terraform rejects null there."""
    for name, block in container.blocks.items():
        v = value.get(name)
        if v is None and block.nesting is not NestingMode.SINGLE:
            value[name] = (
                empty_object(block)
                if block.nesting is NestingMode.GROUP
                else ({} if block.nesting is NestingMode.MAP else [])
            )
        elif isinstance(v, dict) and block.nesting in (NestingMode.SINGLE, NestingMode.GROUP):
            value[name] = normalize_blocks(block, complete_object(block, v, None))
        elif isinstance(v, list):
            value[name] = [
                normalize_blocks(block, complete_object(block, e, None)) if isinstance(e, dict) else e
                for e in v
            ]
        elif isinstance(v, dict):
            value[name] = {
                k: normalize_blocks(block, complete_object(block, e, None)) if isinstance(e, dict) else e
                for k, e in v.items()
            }
    return value


# ---------------------------------------------------------------------------------------------------
# the servicer


class ProviderServicer:
    """Implements every tfplugin6 Provider RPC (method names are the RPC names)."""

    def __init__(self, provider: Provider, stop_event: threading.Event | None = None) -> None:
        self.provider = provider
        self.stop_event = stop_event or threading.Event()
        self.resources: dict[str, Resource] = {r.type_name: r for r in provider.get_resources()}
        self.data_sources: dict[str, DataSource] = {d.type_name: d for d in provider.get_data_sources()}
        self._lock = threading.Lock()
        self._provider_data: Any = None
        self._terraform_version = ""
        self._schema_response: pb.GetProviderSchema.Response | None = None

    # -- helpers -------------------------------------------------------------------------------------

    def _ctx(self, type_name: str, caps: pb.ClientCapabilities | None = None) -> ResourceContext:
        with self._lock:
            data, version = self._provider_data, self._terraform_version
        return ResourceContext(
            type_name=type_name,
            provider_data=data,
            client_capabilities=client_capabilities(caps) if caps is not None else ClientCapabilities(),
            terraform_version=version,
            stop_event=self.stop_event,
        )

    def _call(
        self, diags: Diagnostics, what: str, fn: Callable[[], R]
    ) -> tuple[bool, R | None, DiagnosticError | None]:
        """Runs resource code: returns (ok, result, the DiagnosticError if one was raised)."""
        try:
            return True, fn(), None
        except DiagnosticError as e:
            diags.add(e.diagnostic)
            return False, None, e
        except Exception as e:
            diags.error(f"Unexpected error in {what}", f"{type(e).__name__}: {e}")
            log.debug(f"unexpected error in {what}", traceback=traceback.format_exc())
            return False, None, None

    @staticmethod
    def _diags(diags: Iterable[Diagnostic]) -> list[pb.Diagnostic]:
        return [diagnostic_to_proto(d) for d in diags]

    def _resource(self, type_name: str, diags: Diagnostics) -> Resource | None:
        resource = self.resources.get(type_name)
        if resource is None:
            diags.error("Unknown resource type", f"The provider has no resource type {type_name!r}.")
        return resource

    def _data_source(self, type_name: str, diags: Diagnostics) -> DataSource | None:
        ds = self.data_sources.get(type_name)
        if ds is None:
            diags.error("Unknown data source type", f"The provider has no data source type {type_name!r}.")
        return ds

    def _decode(
        self,
        diags: Diagnostics,
        dv: pb.DynamicValue,
        t: Type,
        rpc: str,
        field: str,
        refined: dict[Any, Any] | None = None,
    ) -> tuple[bool, Any]:
        try:
            return True, decode_dynamic(dv, t, rpc, field, refined)
        except codec.CodecError as e:
            diags.error(f"Invalid {field} value from Terraform", str(e))
            return False, None

    def _encode(
        self, diags: Diagnostics, value: Any, t: Type, what: str, refined: dict[Any, Any] | None = None
    ) -> pb.DynamicValue | None:
        try:
            return pb.DynamicValue(msgpack=codec.encode_msgpack(value, t, refined))
        except (codec.CodecError, TypeError, ValueError) as e:
            diags.error(
                f"Unexpected error in {what}", f"The provider returned a value of the wrong type: {e}"
            )
            return None

    def _finish_state(
        self, diags: Diagnostics, schema: Schema, value: Any, fallback: dict[str, Any] | None, what: str
    ) -> dict[str, Any] | None:
        """A resource's returned state made whole: every key, blocks non-null, no write-only values,
        no unknowns (each one is an error naming the attribute)."""
        if not isinstance(value, dict):
            diags.error(
                f"Unexpected error in {what}",
                f"The provider returned a {type(value).__name__}, not an object.",
            )
            return None
        state = null_write_only(schema, normalize_blocks(schema, complete_object(schema, value, fallback)))
        assert state is not None
        for path in unknown_paths(schema, state):
            diags.error(
                f"Unexpected error in {what}",
                f"The provider left {format_path(path)} unknown in the new state; this is a bug in the provider.",
                path,
            )
        if diags.has_errors:
            state = _replace_unknown(state)
        return state

    # -- information ---------------------------------------------------------------------------------

    def GetMetadata(self, request: pb.GetMetadata.Request, context: Any) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in sorted(self.resources)],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in sorted(self.data_sources)],
        )

    def GetProviderSchema(
        self, request: pb.GetProviderSchema.Request, context: Any
    ) -> pb.GetProviderSchema.Response:
        with self._lock:
            if self._schema_response is None:
                self._schema_response = pb.GetProviderSchema.Response(
                    provider=schema_to_proto(self.provider.schema),
                    resource_schemas={n: schema_to_proto(r.schema) for n, r in self.resources.items()},
                    data_source_schemas={n: schema_to_proto(d.schema) for n, d in self.data_sources.items()},
                    server_capabilities=pb.ServerCapabilities(),
                )
            return self._schema_response

    def GetResourceIdentitySchemas(
        self, request: pb.GetResourceIdentitySchemas.Request, context: Any
    ) -> pb.GetResourceIdentitySchemas.Response:
        return pb.GetResourceIdentitySchemas.Response()

    def UpgradeResourceIdentity(
        self, request: pb.UpgradeResourceIdentity.Request, context: Any
    ) -> pb.UpgradeResourceIdentity.Response:
        return pb.UpgradeResourceIdentity.Response(
            diagnostics=self._unsupported("Resource identity", request.type_name)
        )

    def GetFunctions(self, request: pb.GetFunctions.Request, context: Any) -> pb.GetFunctions.Response:
        return pb.GetFunctions.Response()

    def CallFunction(self, request: pb.CallFunction.Request, context: Any) -> pb.CallFunction.Response:
        return pb.CallFunction.Response(
            error=pb.FunctionError(
                text=f"The {self.provider.type_name} provider has no function {request.name!r}."
            )
        )

    def _unsupported(self, feature: str, type_name: str = "") -> list[pb.Diagnostic]:
        diags = Diagnostics()
        suffix = f" ({type_name})" if type_name else ""
        diags.error(
            f"{feature} is not supported",
            f"The {self.provider.type_name} provider does not support {feature.lower()}{suffix}.",
        )
        return self._diags(diags)

    # -- provider ------------------------------------------------------------------------------------

    def ValidateProviderConfig(
        self, request: pb.ValidateProviderConfig.Request, context: Any
    ) -> pb.ValidateProviderConfig.Response:
        diags = Diagnostics()
        schema = self.provider.schema
        ok, config = self._decode(
            diags, request.config, schema.value_type, "ValidateProviderConfig", "config"
        )
        if ok and config is not None:
            validate(schema, config, diags)
            ctx = ProviderContext(diagnostics=diags, stop_event=self.stop_event)
            self._call(
                diags,
                f"{self.provider.type_name} provider validation",
                lambda: self.provider.validate_config(ctx, config, diags),
            )
        return pb.ValidateProviderConfig.Response(diagnostics=self._diags(diags))

    def ConfigureProvider(
        self, request: pb.ConfigureProvider.Request, context: Any
    ) -> pb.ConfigureProvider.Response:
        diags = Diagnostics()
        schema = self.provider.schema
        ok, config = self._decode(diags, request.config, schema.value_type, "ConfigureProvider", "config")
        if ok:
            ctx = ProviderContext(
                terraform_version=request.terraform_version,
                diagnostics=diags,
                client_capabilities=client_capabilities(request.client_capabilities),
                stop_event=self.stop_event,
            )
            done, data, _ = self._call(
                diags,
                f"{self.provider.type_name} provider configure",
                lambda: self.provider.configure(ctx, config if config is not None else schema.empty_value()),
            )
            with self._lock:
                self._terraform_version = request.terraform_version
                if done:
                    self._provider_data = data
            log.debug("provider configured", terraform_version=request.terraform_version, ok=done)
        return pb.ConfigureProvider.Response(diagnostics=self._diags(diags))

    def StopProvider(self, request: pb.StopProvider.Request, context: Any) -> pb.StopProvider.Response:
        log.debug("StopProvider: asking running operations to stop")
        self.stop_event.set()
        return pb.StopProvider.Response()

    # -- validation ----------------------------------------------------------------------------------

    def ValidateResourceConfig(
        self, request: pb.ValidateResourceConfig.Request, context: Any
    ) -> pb.ValidateResourceConfig.Response:
        diags = Diagnostics()
        resource = self._resource(request.type_name, diags)
        if resource is not None:
            ok, config = self._decode(
                diags, request.config, resource.schema.value_type, "ValidateResourceConfig", "config"
            )
            if ok and config is not None:
                caps = client_capabilities(request.client_capabilities)
                validate(
                    resource.schema, config, diags, write_only_allowed=caps.write_only_attributes_allowed
                )
                ctx = self._ctx(request.type_name, request.client_capabilities)
                ctx.diagnostics = diags
                self._call(
                    diags,
                    f"{request.type_name} validation",
                    lambda: resource.validate_config(ctx, config, diags),
                )
        return pb.ValidateResourceConfig.Response(diagnostics=self._diags(diags))

    def ValidateDataResourceConfig(
        self, request: pb.ValidateDataResourceConfig.Request, context: Any
    ) -> pb.ValidateDataResourceConfig.Response:
        diags = Diagnostics()
        ds = self._data_source(request.type_name, diags)
        if ds is not None:
            ok, config = self._decode(
                diags, request.config, ds.schema.value_type, "ValidateDataResourceConfig", "config"
            )
            if ok and config is not None:
                validate(ds.schema, config, diags)
                ctx = self._ctx(request.type_name)
                ctx.diagnostics = diags
                self._call(
                    diags, f"{request.type_name} validation", lambda: ds.validate_config(ctx, config, diags)
                )
        return pb.ValidateDataResourceConfig.Response(diagnostics=self._diags(diags))

    # -- managed resources ---------------------------------------------------------------------------

    def UpgradeResourceState(
        self, request: pb.UpgradeResourceState.Request, context: Any
    ) -> pb.UpgradeResourceState.Response:
        diags = Diagnostics()
        resource = self._resource(request.type_name, diags)
        response = pb.UpgradeResourceState.Response()
        if resource is None:
            response.diagnostics.extend(self._diags(diags))
            return response
        schema = resource.schema
        if not request.raw_state.json:
            if request.raw_state.flatmap:
                diags.error(
                    "Unsupported state format",
                    f"The stored state of this {request.type_name} is in the legacy flatmap format, "
                    "which this provider cannot read.",
                )
            else:
                response.upgraded_state.CopyFrom(encode_dynamic(None, schema.value_type))
            response.diagnostics.extend(self._diags(diags))
            return response
        if request.version > schema.version:
            diags.error(
                "State from a newer provider",
                f"The stored state of this {request.type_name} has schema version {request.version}, newer "
                f"than this provider's {schema.version}. Use the provider version that wrote it.",
            )
            response.diagnostics.extend(self._diags(diags))
            return response
        _dump("UpgradeResourceState", "raw_state", raw_json=request.raw_state.json)
        try:
            raw = codec.loads_json(request.raw_state.json)
        except codec.CodecError as e:
            diags.error("Invalid stored state", str(e))
            response.diagnostics.extend(self._diags(diags))
            return response
        if request.version < schema.version:
            ctx = self._ctx(request.type_name)
            ctx.diagnostics = diags
            ok, upgraded, _ = self._call(
                diags,
                f"{request.type_name} state upgrade",
                lambda: resource.upgrade_state(ctx, int(request.version), raw),
            )
            if not ok:
                response.diagnostics.extend(self._diags(diags))
                return response
            raw = upgraded
        try:
            state = codec.from_json_value(raw, schema.value_type)
        except codec.CodecError as e:
            diags.error(
                "Invalid stored state", f"The stored state does not fit the {request.type_name} schema: {e}"
            )
            response.diagnostics.extend(self._diags(diags))
            return response
        state = null_write_only(schema, normalize_blocks(schema, state))
        encoded = self._encode(diags, state, schema.value_type, f"{request.type_name} state upgrade")
        if encoded is not None:
            response.upgraded_state.CopyFrom(encoded)
        response.diagnostics.extend(self._diags(diags))
        return response

    def ReadResource(self, request: pb.ReadResource.Request, context: Any) -> pb.ReadResource.Response:
        diags = Diagnostics()
        response = pb.ReadResource.Response()
        resource = self._resource(request.type_name, diags)
        if resource is not None:
            schema = resource.schema
            response.new_state.CopyFrom(request.current_state)
            response.private = request.private
            ok, state = self._decode(
                diags, request.current_state, schema.value_type, "ReadResource", "current_state"
            )
            if ok and state is not None:
                ctx = self._ctx(request.type_name, request.client_capabilities)
                ctx.diagnostics, ctx.private = diags, request.private
                what = f"{request.type_name} read"
                done, result, _ = self._call(diags, what, lambda: resource.read(ctx, state))
                if done:
                    new_state = (
                        None if result is None else self._finish_state(diags, schema, result, state, what)
                    )
                    if result is None or new_state is not None:
                        encoded = self._encode(diags, new_state, schema.value_type, what)
                        if encoded is not None:
                            response.new_state.CopyFrom(encoded)
                            response.private = ctx.private
        response.diagnostics.extend(self._diags(diags))
        return response

    def PlanResourceChange(
        self, request: pb.PlanResourceChange.Request, context: Any
    ) -> pb.PlanResourceChange.Response:
        diags = Diagnostics()
        response = pb.PlanResourceChange.Response()
        resource = self._resource(request.type_name, diags)
        if resource is None:
            response.diagnostics.extend(self._diags(diags))
            return response
        schema = resource.schema
        t = schema.value_type
        ok1, prior = self._decode(diags, request.prior_state, t, "PlanResourceChange", "prior_state")
        ok2, proposed = self._decode(
            diags, request.proposed_new_state, t, "PlanResourceChange", "proposed_new_state"
        )
        # Refined unknowns of the configuration go back unchanged in the plan: Terraform (1.6+) rejects
        # a planned unknown whose refinements differ from the configuration's.
        refined: dict[codec.Path, Any] = {}
        ok3, config = self._decode(diags, request.config, t, "PlanResourceChange", "config", refined)
        if not (ok1 and ok2 and ok3):
            response.diagnostics.extend(self._diags(diags))
            return response
        response.planned_state.CopyFrom(request.proposed_new_state)
        response.planned_private = request.prior_private
        ctx = self._ctx(request.type_name, request.client_capabilities)
        ctx.diagnostics, ctx.config, ctx.private = diags, config, request.prior_private
        what = f"{request.type_name} plan"
        done, result, _ = self._call(
            diags, what, lambda: plan_resource_change(schema, t, prior, proposed, config, diags, ctx.private)
        )
        if done and result is not None:
            planned, replace = result
            if planned is not None:
                base: dict[str, Any] = planned
                done, modified, _ = self._call(
                    diags,
                    what,
                    lambda: resource.modify_plan(ctx, prior, base, config or schema.empty_value(), diags),
                )
                if done and isinstance(modified, dict):
                    planned = null_write_only(
                        schema, normalize_blocks(schema, complete_object(schema, modified, planned))
                    )
            encoded = self._encode(diags, planned, t, what, refined)
            if encoded is not None:
                response.planned_state.CopyFrom(encoded)
            seen: set[AttributePath] = set()
            for path in [*replace, *ctx.requires_replace]:
                if path not in seen:
                    seen.add(path)
                    response.requires_replace.append(path_to_proto(path))
            response.planned_private = ctx.private
        response.diagnostics.extend(self._diags(diags))
        return response

    def ApplyResourceChange(
        self, request: pb.ApplyResourceChange.Request, context: Any
    ) -> pb.ApplyResourceChange.Response:
        diags = Diagnostics()
        response = pb.ApplyResourceChange.Response()
        resource = self._resource(request.type_name, diags)
        if resource is None:
            response.diagnostics.extend(self._diags(diags))
            return response
        schema = resource.schema
        t = schema.value_type
        ok1, prior = self._decode(diags, request.prior_state, t, "ApplyResourceChange", "prior_state")
        ok2, planned = self._decode(diags, request.planned_state, t, "ApplyResourceChange", "planned_state")
        ok3, config = self._decode(diags, request.config, t, "ApplyResourceChange", "config")
        response.new_state.CopyFrom(request.prior_state)
        if not (ok1 and ok2 and ok3):
            response.diagnostics.extend(self._diags(diags))
            return response
        ctx = self._ctx(request.type_name)
        ctx.diagnostics, ctx.config, ctx.private = diags, config, request.planned_private
        new_state: dict[str, Any] | None
        if planned is None:
            what = f"{request.type_name} delete"
            done, _, _ = self._call(diags, what, lambda: resource.delete(ctx, prior))
            new_state = None if done else prior
        elif prior is None:
            what = f"{request.type_name} create"
            done, result, err = self._call(diags, what, lambda: resource.create(ctx, planned))
            if done:
                new_state = self._finish_state(diags, schema, result, planned, what)
            elif err is not None and err.state is not None:
                new_state = self._finish_state(diags, schema, err.state, planned, what)
            else:
                new_state = None
        else:
            what = f"{request.type_name} update"
            done, result, err = self._call(diags, what, lambda: resource.update(ctx, prior, planned))
            if done:
                new_state = self._finish_state(diags, schema, result, planned, what)
            elif err is not None and err.state is not None:
                new_state = self._finish_state(diags, schema, err.state, prior, what)
            else:
                new_state = prior
        encoded = self._encode(diags, new_state, t, what)
        if encoded is not None:
            response.new_state.CopyFrom(encoded)
        response.private = ctx.private
        log.debug(f"{what} finished", errors=len(diags.errors))
        response.diagnostics.extend(self._diags(diags))
        return response

    def ImportResourceState(
        self, request: pb.ImportResourceState.Request, context: Any
    ) -> pb.ImportResourceState.Response:
        diags = Diagnostics()
        response = pb.ImportResourceState.Response()
        resource = self._resource(request.type_name, diags)
        if resource is not None:
            ctx = self._ctx(request.type_name, request.client_capabilities)
            ctx.diagnostics = diags
            what = f"{request.type_name} import"
            done, result, _ = self._call(diags, what, lambda: resource.import_state(ctx, request.id))
            if done:
                state = self._finish_state(diags, resource.schema, result, None, what)
                encoded = (
                    self._encode(diags, state, resource.schema.value_type, what)
                    if state is not None
                    else None
                )
                if encoded is not None and not diags.has_errors:
                    response.imported_resources.append(
                        pb.ImportResourceState.ImportedResource(
                            type_name=request.type_name, state=encoded, private=ctx.private
                        )
                    )
        response.diagnostics.extend(self._diags(diags))
        return response

    def MoveResourceState(
        self, request: pb.MoveResourceState.Request, context: Any
    ) -> pb.MoveResourceState.Response:
        return pb.MoveResourceState.Response(
            diagnostics=self._unsupported("Moving resource state", request.target_type_name)
        )

    # -- data sources --------------------------------------------------------------------------------

    def ReadDataSource(self, request: pb.ReadDataSource.Request, context: Any) -> pb.ReadDataSource.Response:
        diags = Diagnostics()
        response = pb.ReadDataSource.Response()
        ds = self._data_source(request.type_name, diags)
        if ds is not None:
            schema = ds.schema
            ok, config = self._decode(diags, request.config, schema.value_type, "ReadDataSource", "config")
            if ok:
                ctx = self._ctx(request.type_name, request.client_capabilities)
                ctx.diagnostics, ctx.config = diags, config
                what = f"{request.type_name} read"
                cfg = config if config is not None else schema.empty_value()
                done, result, _ = self._call(diags, what, lambda: ds.read(ctx, cfg))
                if done:
                    state = self._finish_state(diags, schema, result, cfg, what)
                    encoded = (
                        self._encode(diags, state, schema.value_type, what) if state is not None else None
                    )
                    if encoded is not None:
                        response.state.CopyFrom(encoded)
        response.diagnostics.extend(self._diags(diags))
        return response

    # -- ephemeral resources (none) ------------------------------------------------------------------

    def ValidateEphemeralResourceConfig(
        self, request: pb.ValidateEphemeralResourceConfig.Request, context: Any
    ) -> pb.ValidateEphemeralResourceConfig.Response:
        return pb.ValidateEphemeralResourceConfig.Response(
            diagnostics=self._unsupported("Ephemeral resources", request.type_name)
        )

    def OpenEphemeralResource(
        self, request: pb.OpenEphemeralResource.Request, context: Any
    ) -> pb.OpenEphemeralResource.Response:
        return pb.OpenEphemeralResource.Response(
            diagnostics=self._unsupported("Ephemeral resources", request.type_name)
        )

    def RenewEphemeralResource(
        self, request: pb.RenewEphemeralResource.Request, context: Any
    ) -> pb.RenewEphemeralResource.Response:
        return pb.RenewEphemeralResource.Response(
            diagnostics=self._unsupported("Ephemeral resources", request.type_name)
        )

    def CloseEphemeralResource(
        self, request: pb.CloseEphemeralResource.Request, context: Any
    ) -> pb.CloseEphemeralResource.Response:
        return pb.CloseEphemeralResource.Response(
            diagnostics=self._unsupported("Ephemeral resources", request.type_name)
        )


def _replace_unknown(value: Any) -> Any:
    """``value`` with every unknown replaced by null (a failed state must still be encodable as state)."""
    if value is UNKNOWN:
        return None
    if isinstance(value, dict):
        return {k: _replace_unknown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_unknown(v) for v in value]
    return value
