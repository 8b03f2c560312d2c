"""A small gRPC client for the plugin's services, built from the same descriptors (tests only)."""

from __future__ import annotations

from typing import Any

import grpc
from google.protobuf import message_factory

from terraform_provider_kasm.tfplugin._generated import (
    grpc_controller_pb2,
    grpc_health_pb2,
    grpc_stdio_pb2,
    tfplugin6_pb2,
)

pb = tfplugin6_pb2


class ServiceClient:
    """``client.GetProviderSchema(request)`` for every unary method of a service."""

    def __init__(self, channel: grpc.Channel, service: Any, name: str | None = None) -> None:
        self._calls: dict[str, Any] = {}
        for method in service.methods:
            req = message_factory.GetMessageClass(method.input_type)
            resp = message_factory.GetMessageClass(method.output_type)
            path = f"/{name or service.full_name}/{method.name}"
            if method.server_streaming:
                self._calls[method.name] = channel.unary_stream(
                    path, request_serializer=req.SerializeToString, response_deserializer=resp.FromString
                )
            else:
                self._calls[method.name] = channel.unary_unary(
                    path, request_serializer=req.SerializeToString, response_deserializer=resp.FromString
                )

    def __getattr__(self, name: str) -> Any:
        try:
            return self._calls[name]
        except KeyError:
            raise AttributeError(name) from None


def clients(channel: grpc.Channel) -> tuple[ServiceClient, ServiceClient, ServiceClient, ServiceClient]:
    """(provider, controller, health, stdio) clients on one channel."""
    return (
        ServiceClient(channel, tfplugin6_pb2.DESCRIPTOR.services_by_name["Provider"]),
        ServiceClient(channel, grpc_controller_pb2.DESCRIPTOR.services_by_name["GRPCController"]),
        # The standard service name, as go-plugin calls it (not our proto's package).
        ServiceClient(
            channel, grpc_health_pb2.DESCRIPTOR.services_by_name["Health"], "grpc.health.v1.Health"
        ),
        ServiceClient(channel, grpc_stdio_pb2.DESCRIPTOR.services_by_name["GRPCStdio"]),
    )
