"""The tfplugin6 ``Provider`` service: each RPC decodes its request, calls the provider's resources and
encodes the answer.

Three layers, as in the plugin framework (proto6server / fromproto6 / toproto6): ``fromproto`` and
``toproto`` convert between protobuf and plain values, this module holds the RPC logic, and every
handler is wrapped by :func:`rpc`, which builds the request's :class:`Call` (its diagnostics, the
resource context, decoding and encoding that turn failures into diagnostics), runs the handler and
puts the diagnostics on the response. Every RPC answers; nothing a resource does crashes the server
or hangs a call. An exception other than ``DiagnosticError`` becomes "Unexpected error in <type>
<operation>: <class>: <message>" plus a debug log with the traceback. Configuration and state values
are never logged.
"""

from __future__ import annotations

import functools
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from . import codec, fromproto, toproto
from ._generated import tfplugin6_pb2 as pb
from .diagnostics import AttributePath, DiagnosticError, Diagnostics
from .hclog import log
from .planning import finish_state, normalize_blocks, null_write_only, plan_resource_change, validate
from .provider import Provider, ProviderContext
from .resource import DataSource, Resource, ResourceContext
from .schema import Schema, complete_object
from .types import Type

R = TypeVar("R")


class _Abort(Exception):
    """Ends an RPC early; its diagnostics already say why."""


class Call:
    """One RPC in progress: its name, its diagnostics, and the helpers that build the resource
    context and decode/encode values, each failure becoming a diagnostic."""

    def __init__(self, servicer: ProviderServicer, rpc: str) -> None:
        self.servicer = servicer
        self.rpc = rpc
        self.diags = Diagnostics()

    def check(self) -> None:
        """Ends the RPC if an error has been reported."""
        if self.diags.has_errors:
            raise _Abort()

    def resource(self, type_name: str) -> Resource:
        resource = self.servicer.resources.get(type_name)
        if resource is None:
            self.diags.error("Unknown resource type", f"The provider has no resource type {type_name!r}.")
            raise _Abort()
        return resource

    def data_source(self, type_name: str) -> DataSource:
        ds = self.servicer.data_sources.get(type_name)
        if ds is None:
            self.diags.error(
                "Unknown data source type", f"The provider has no data source type {type_name!r}."
            )
            raise _Abort()
        return ds

    def context(
        self,
        type_name: str,
        caps: pb.ClientCapabilities | None = None,
        *,
        config: dict[str, Any] | None = None,
        private: bytes = b"",
    ) -> ResourceContext:
        """The context a resource or data source method receives (diagnostics: this call's)."""
        data, version = self.servicer.provider_state()
        return ResourceContext(
            type_name=type_name,
            provider_data=data,
            diagnostics=self.diags,
            client_capabilities=fromproto.client_capabilities(caps),
            config=config,
            private=private,
            terraform_version=version,
            stop_event=self.servicer.stop_event,
        )

    def provider_context(
        self, terraform_version: str = "", caps: pb.ClientCapabilities | None = None
    ) -> ProviderContext:
        return ProviderContext(
            terraform_version=terraform_version,
            diagnostics=self.diags,
            client_capabilities=fromproto.client_capabilities(caps),
            stop_event=self.servicer.stop_event,
        )

    def run(self, what: str, fn: Callable[[], R]) -> tuple[bool, R | None, DiagnosticError | None]:
        """Runs resource code: returns (ok, result, the DiagnosticError if one was raised)."""
        try:
            return True, fn(), None
        except DiagnosticError as e:
            self.diags.add(e.diagnostic)
            return False, None, e
        except Exception as e:
            self.diags.error(f"Unexpected error in {what}", f"{type(e).__name__}: {e}")
            log.debug(f"unexpected error in {what}", traceback=traceback.format_exc())
            return False, None, None

    def decode(self, dv: pb.DynamicValue, t: Type, field: str, refined: dict[Any, Any] | None = None) -> Any:
        """A request value; an undecodable one is an error diagnostic (then None: see :meth:`check`)."""
        try:
            return fromproto.dynamic_value(dv, t, self.rpc, field, refined)
        except codec.CodecError as e:
            self.diags.error(f"Invalid {field} value from Terraform", str(e))
            return None

    def encode(
        self, value: Any, t: Type, what: str, refined: dict[Any, Any] | None = None
    ) -> pb.DynamicValue | None:
        """A response value; one that does not fit the type is an error diagnostic (then None)."""
        try:
            return toproto.dynamic_value(value, t, refined)
        except (codec.CodecError, TypeError, ValueError) as e:
            self.diags.error(
                f"Unexpected error in {what}", f"The provider returned a value of the wrong type: {e}"
            )
            return None

    def finish_state(
        self, schema: Schema, value: Any, fallback: dict[str, Any] | None, what: str
    ) -> dict[str, Any] | None:
        return finish_state(schema, value, fallback, self.diags, what)


Handler = Callable[[Any, Call, Any, Any], Any]


def rpc(handler: Handler) -> Callable[[Any, Any, Any], Any]:
    """Makes ``handler(self, call, request, response)`` the RPC of its name: builds the response
    (``pb.<name>.Response``) and the :class:`Call`, runs the handler (which fills the response in, or
    returns another one), then puts the call's diagnostics on the response. ``_Abort`` ends the
    handler early; any other exception is a bug of the layer and answers as "Unexpected error in
    <RPC>"."""
    name = handler.__name__
    response_cls = getattr(pb, name).Response

    @functools.wraps(handler)
    def serve(self: ProviderServicer, request: Any, context: Any) -> Any:
        call = Call(self, name)
        response = response_cls()
        try:
            returned = handler(self, call, request, response)
            if returned is not None:
                response = returned
        except _Abort:
            pass
        except Exception as e:  # a bug in the layer itself: answer with what is known so far
            call.diags.error(f"Unexpected error in {name}", f"{type(e).__name__}: {e}")
            log.error(f"{name} failed", error=f"{type(e).__name__}: {e}")
            log.debug(f"{name} traceback", traceback=traceback.format_exc())
        toproto.add_diagnostics(response, call.diags)
        return response

    return serve


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

    def provider_state(self) -> tuple[Any, str]:
        """(what ConfigureProvider's configure returned, the Terraform version it was told)."""
        with self._lock:
            return self._provider_data, self._terraform_version

    def _unsupported(self, call: Call, feature: str, type_name: str = "") -> None:
        suffix = f" ({type_name})" if type_name else ""
        call.diags.error(
            f"{feature} is not supported",
            f"The {self.provider.type_name} provider does not support {feature.lower()}{suffix}.",
        )

    # -- information ---------------------------------------------------------------------------------

    @rpc
    def GetMetadata(self, call: Call, request: pb.GetMetadata.Request, response: Any) -> None:
        response.server_capabilities.SetInParent()
        response.resources.extend(
            pb.GetMetadata.ResourceMetadata(type_name=n) for n in sorted(self.resources)
        )
        response.data_sources.extend(
            pb.GetMetadata.DataSourceMetadata(type_name=n) for n in sorted(self.data_sources)
        )

    @rpc
    def GetProviderSchema(
        self, call: Call, request: pb.GetProviderSchema.Request, response: Any
    ) -> pb.GetProviderSchema.Response:
        with self._lock:
            if self._schema_response is None:
                self._schema_response = pb.GetProviderSchema.Response(
                    provider=toproto.schema(self.provider.schema),
                    resource_schemas={n: toproto.schema(r.schema) for n, r in self.resources.items()},
                    data_source_schemas={n: toproto.schema(d.schema) for n, d in self.data_sources.items()},
                    server_capabilities=pb.ServerCapabilities(),
                )
            return self._schema_response

    @rpc
    def GetResourceIdentitySchemas(
        self, call: Call, request: pb.GetResourceIdentitySchemas.Request, response: Any
    ) -> None:
        pass

    @rpc
    def UpgradeResourceIdentity(
        self, call: Call, request: pb.UpgradeResourceIdentity.Request, response: Any
    ) -> None:
        self._unsupported(call, "Resource identity", request.type_name)

    @rpc
    def GetFunctions(self, call: Call, request: pb.GetFunctions.Request, response: Any) -> None:
        pass

    @rpc
    def CallFunction(self, call: Call, request: pb.CallFunction.Request, response: Any) -> None:
        response.error.CopyFrom(
            pb.FunctionError(text=f"The {self.provider.type_name} provider has no function {request.name!r}.")
        )

    # -- provider ------------------------------------------------------------------------------------

    @rpc
    def ValidateProviderConfig(
        self, call: Call, request: pb.ValidateProviderConfig.Request, response: Any
    ) -> None:
        schema = self.provider.schema
        config = call.decode(request.config, schema.value_type, "config")
        call.check()
        if config is not None:
            validate(schema, config, call.diags)
            ctx = call.provider_context()
            call.run(
                f"{self.provider.type_name} provider validation",
                lambda: self.provider.validate_config(ctx, config, call.diags),
            )

    @rpc
    def ConfigureProvider(self, call: Call, request: pb.ConfigureProvider.Request, response: Any) -> None:
        schema = self.provider.schema
        config = call.decode(request.config, schema.value_type, "config")
        call.check()
        ctx = call.provider_context(request.terraform_version, request.client_capabilities)
        done, data, _ = call.run(
            f"{self.provider.type_name} provider configure",
            lambda: self.provider.configure(ctx, config if config is not None else schema.empty_value()),
        )
        with self._lock:
            self._terraform_version = request.terraform_version
            if done:
                self._provider_data = data
        log.debug("provider configured", terraform_version=request.terraform_version, ok=done)

    @rpc
    def StopProvider(self, call: Call, request: pb.StopProvider.Request, response: Any) -> None:
        log.debug("StopProvider: asking running operations to stop")
        self.stop_event.set()

    # -- validation ----------------------------------------------------------------------------------

    @rpc
    def ValidateResourceConfig(
        self, call: Call, request: pb.ValidateResourceConfig.Request, response: Any
    ) -> None:
        resource = call.resource(request.type_name)
        config = call.decode(request.config, resource.schema.value_type, "config")
        call.check()
        if config is None:
            return
        caps = fromproto.client_capabilities(request.client_capabilities)
        validate(resource.schema, config, call.diags, write_only_allowed=caps.write_only_attributes_allowed)
        ctx = call.context(request.type_name, request.client_capabilities)
        call.run(f"{request.type_name} validation", lambda: resource.validate_config(ctx, config, call.diags))

    @rpc
    def ValidateDataResourceConfig(
        self, call: Call, request: pb.ValidateDataResourceConfig.Request, response: Any
    ) -> None:
        ds = call.data_source(request.type_name)
        config = call.decode(request.config, ds.schema.value_type, "config")
        call.check()
        if config is None:
            return
        validate(ds.schema, config, call.diags)
        ctx = call.context(request.type_name)
        call.run(f"{request.type_name} validation", lambda: ds.validate_config(ctx, config, call.diags))

    # -- managed resources ---------------------------------------------------------------------------

    @rpc
    def UpgradeResourceState(
        self, call: Call, request: pb.UpgradeResourceState.Request, response: Any
    ) -> None:
        resource = call.resource(request.type_name)
        schema = resource.schema
        diags = call.diags
        if not request.raw_state.json:
            if request.raw_state.flatmap:
                diags.error(
                    "Unsupported state format",
                    f"The stored state of this {request.type_name} is in the legacy flatmap format, "
                    "which this provider cannot read.",
                )
            else:
                response.upgraded_state.CopyFrom(toproto.dynamic_value(None, schema.value_type))
            return
        if request.version > schema.version:
            diags.error(
                "State from a newer provider",
                f"The stored state of this {request.type_name} has schema version {request.version}, newer "
                f"than this provider's {schema.version}. Use the provider version that wrote it.",
            )
            return
        try:
            raw = fromproto.raw_state_json(request.raw_state, call.rpc)
        except codec.CodecError as e:
            diags.error("Invalid stored state", str(e))
            return
        if request.version < schema.version:
            ctx = call.context(request.type_name)
            ok, upgraded, _ = call.run(
                f"{request.type_name} state upgrade",
                lambda: resource.upgrade_state(ctx, int(request.version), raw),
            )
            if not ok:
                return
            raw = upgraded
        try:
            state = codec.from_json_value(raw, schema.value_type)
        except codec.CodecError as e:
            diags.error(
                "Invalid stored state", f"The stored state does not fit the {request.type_name} schema: {e}"
            )
            return
        state = null_write_only(schema, normalize_blocks(schema, state))
        encoded = call.encode(state, schema.value_type, f"{request.type_name} state upgrade")
        if encoded is not None:
            response.upgraded_state.CopyFrom(encoded)

    @rpc
    def ReadResource(self, call: Call, request: pb.ReadResource.Request, response: Any) -> None:
        resource = call.resource(request.type_name)
        schema = resource.schema
        # Until the read succeeds, the answer is the state as it was.
        response.new_state.CopyFrom(request.current_state)
        response.private = request.private
        state = call.decode(request.current_state, schema.value_type, "current_state")
        call.check()
        if state is None:
            return
        ctx = call.context(request.type_name, request.client_capabilities, private=request.private)
        what = f"{request.type_name} read"
        done, result, _ = call.run(what, lambda: resource.read(ctx, state))
        if not done:
            return
        new_state = None if result is None else call.finish_state(schema, result, state, what)
        if result is None or new_state is not None:
            encoded = call.encode(new_state, schema.value_type, what)
            if encoded is not None:
                response.new_state.CopyFrom(encoded)
                response.private = ctx.private

    @rpc
    def PlanResourceChange(self, call: Call, request: pb.PlanResourceChange.Request, response: Any) -> None:
        resource = call.resource(request.type_name)
        schema = resource.schema
        t = schema.value_type
        prior = call.decode(request.prior_state, t, "prior_state")
        proposed = call.decode(request.proposed_new_state, t, "proposed_new_state")
        # Refined unknowns of the configuration go back unchanged in the plan: Terraform (1.6+) rejects
        # a planned unknown whose refinements differ from the configuration's.
        refined: dict[codec.Path, Any] = {}
        config = call.decode(request.config, t, "config", refined)
        call.check()
        response.planned_state.CopyFrom(request.proposed_new_state)
        response.planned_private = request.prior_private
        ctx = call.context(
            request.type_name, request.client_capabilities, config=config, private=request.prior_private
        )
        diags = call.diags
        what = f"{request.type_name} plan"
        done, result, _ = call.run(
            what, lambda: plan_resource_change(schema, t, prior, proposed, config, diags, ctx.private)
        )
        if not done or result is None:
            return
        planned, replace = result
        if planned is not None:
            base: dict[str, Any] = planned
            done, modified, _ = call.run(
                what, lambda: resource.modify_plan(ctx, prior, base, config or schema.empty_value(), diags)
            )
            if done and isinstance(modified, dict):
                planned = null_write_only(
                    schema, normalize_blocks(schema, complete_object(schema, modified, planned))
                )
        encoded = call.encode(planned, t, what, refined)
        if encoded is not None:
            response.planned_state.CopyFrom(encoded)
        seen: set[AttributePath] = set()
        for path in [*replace, *ctx.requires_replace]:
            if path not in seen:
                seen.add(path)
                response.requires_replace.append(toproto.attribute_path(path))
        response.planned_private = ctx.private

    @rpc
    def ApplyResourceChange(self, call: Call, request: pb.ApplyResourceChange.Request, response: Any) -> None:
        resource = call.resource(request.type_name)
        schema = resource.schema
        t = schema.value_type
        prior = call.decode(request.prior_state, t, "prior_state")
        planned = call.decode(request.planned_state, t, "planned_state")
        config = call.decode(request.config, t, "config")
        response.new_state.CopyFrom(request.prior_state)
        call.check()
        ctx = call.context(request.type_name, config=config, private=request.planned_private)
        new_state: dict[str, Any] | None
        if planned is None:
            what = f"{request.type_name} delete"
            done, _, _ = call.run(what, lambda: resource.delete(ctx, prior))
            new_state = None if done else prior
        elif prior is None:
            what = f"{request.type_name} create"
            done, result, err = call.run(what, lambda: resource.create(ctx, planned))
            if done:
                new_state = call.finish_state(schema, result, planned, what)
            elif err is not None and err.state is not None:
                new_state = call.finish_state(schema, err.state, planned, what)
            else:
                new_state = None
        else:
            what = f"{request.type_name} update"
            done, result, err = call.run(what, lambda: resource.update(ctx, prior, planned))
            if done:
                new_state = call.finish_state(schema, result, planned, what)
            elif err is not None and err.state is not None:
                new_state = call.finish_state(schema, err.state, prior, what)
            else:
                new_state = prior
        encoded = call.encode(new_state, t, what)
        if encoded is not None:
            response.new_state.CopyFrom(encoded)
        response.private = ctx.private
        log.debug(f"{what} finished", errors=len(call.diags.errors))

    @rpc
    def ImportResourceState(self, call: Call, request: pb.ImportResourceState.Request, response: Any) -> None:
        resource = call.resource(request.type_name)
        ctx = call.context(request.type_name, request.client_capabilities)
        what = f"{request.type_name} import"
        done, result, _ = call.run(what, lambda: resource.import_state(ctx, request.id))
        if not done:
            return
        state = call.finish_state(resource.schema, result, None, what)
        encoded = call.encode(state, resource.schema.value_type, what) if state is not None else None
        if encoded is not None and not call.diags.has_errors:
            response.imported_resources.append(
                pb.ImportResourceState.ImportedResource(
                    type_name=request.type_name, state=encoded, private=ctx.private
                )
            )

    @rpc
    def MoveResourceState(self, call: Call, request: pb.MoveResourceState.Request, response: Any) -> None:
        self._unsupported(call, "Moving resource state", request.target_type_name)

    # -- data sources --------------------------------------------------------------------------------

    @rpc
    def ReadDataSource(self, call: Call, request: pb.ReadDataSource.Request, response: Any) -> None:
        ds = call.data_source(request.type_name)
        schema = ds.schema
        config = call.decode(request.config, schema.value_type, "config")
        call.check()
        ctx = call.context(request.type_name, request.client_capabilities, config=config)
        what = f"{request.type_name} read"
        cfg = config if config is not None else schema.empty_value()
        done, result, _ = call.run(what, lambda: ds.read(ctx, cfg))
        if not done:
            return
        state = call.finish_state(schema, result, cfg, what)
        encoded = call.encode(state, schema.value_type, what) if state is not None else None
        if encoded is not None:
            response.state.CopyFrom(encoded)

    # -- ephemeral resources (none) ------------------------------------------------------------------

    @rpc
    def ValidateEphemeralResourceConfig(
        self, call: Call, request: pb.ValidateEphemeralResourceConfig.Request, response: Any
    ) -> None:
        self._unsupported(call, "Ephemeral resources", request.type_name)

    @rpc
    def OpenEphemeralResource(
        self, call: Call, request: pb.OpenEphemeralResource.Request, response: Any
    ) -> None:
        self._unsupported(call, "Ephemeral resources", request.type_name)

    @rpc
    def RenewEphemeralResource(
        self, call: Call, request: pb.RenewEphemeralResource.Request, response: Any
    ) -> None:
        self._unsupported(call, "Ephemeral resources", request.type_name)

    @rpc
    def CloseEphemeralResource(
        self, call: Call, request: pb.CloseEphemeralResource.Request, response: Any
    ) -> None:
        self._unsupported(call, "Ephemeral resources", request.type_name)
