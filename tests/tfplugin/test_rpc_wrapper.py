"""The servicer's shared RPC wrapper (``servicer.rpc``) and the response forms of ``toproto``."""

from __future__ import annotations

from typing import Any

from terraform_provider_kasm.tfplugin import toproto
from terraform_provider_kasm.tfplugin._generated import tfplugin6_pb2 as pb
from terraform_provider_kasm.tfplugin.diagnostics import Diagnostic, Key, Severity
from terraform_provider_kasm.tfplugin.servicer import Call, ProviderServicer, rpc
from tests.tfplugin.thing_provider import ThingProvider


class Broken(ProviderServicer):
    @rpc
    def ReadResource(self, call: Call, request: pb.ReadResource.Request, response: Any) -> None:
        call.diags.warning("first", "kept")
        response.private = b"partial"
        raise RuntimeError("layer bug")

    @rpc
    def ImportResourceState(self, call: Call, request: pb.ImportResourceState.Request, response: Any) -> None:
        call.resource(request.type_name)  # ends the RPC for an unknown type
        raise AssertionError("not reached")


def test_an_exception_in_a_handler_answers_with_every_diagnostic() -> None:
    response = Broken(ThingProvider()).ReadResource(pb.ReadResource.Request(type_name="x"), None)
    assert isinstance(response, pb.ReadResource.Response)
    assert [(d.severity, d.summary, d.detail) for d in response.diagnostics] == [
        (pb.Diagnostic.WARNING, "first", "kept"),
        (pb.Diagnostic.ERROR, "Unexpected error in ReadResource", "RuntimeError: layer bug"),
    ]
    assert response.private == b"partial"


def test_a_failed_lookup_ends_the_rpc_with_its_diagnostic() -> None:
    response = Broken(ThingProvider()).ImportResourceState(
        pb.ImportResourceState.Request(type_name="kasm_nope", id="1"), None
    )
    assert [d.summary for d in response.diagnostics] == ["Unknown resource type"]
    assert not response.imported_resources


def test_each_response_form_gets_the_errors() -> None:
    diags = [
        Diagnostic(Severity.WARNING, "careful"),
        Diagnostic(Severity.ERROR, "Broken", "detail", ("a", 0, Key("k"))),
    ]
    with_list = pb.ValidateResourceConfig.Response()
    toproto.add_diagnostics(with_list, diags)
    (_, error) = with_list.diagnostics
    assert [s.WhichOneof("selector") for s in error.attribute.steps] == [
        "attribute_name",
        "element_key_int",
        "element_key_string",
    ]
    function = pb.CallFunction.Response()
    toproto.add_diagnostics(function, diags)
    assert function.error.text == "Broken: detail"
    stop = pb.StopProvider.Response()
    toproto.add_diagnostics(stop, diags)
    assert stop.Error == "Broken: detail"
    quiet = pb.StopProvider.Response()
    toproto.add_diagnostics(quiet, diags[:1])  # a warning has no place there
    assert quiet.Error == ""
