"""The plugin process: go-plugin's handshake, the gRPC server and its lifetime.

Terraform starts the plugin with ``TF_PLUGIN_MAGIC_COOKIE`` set and (for AutoMTLS) its client
certificate in ``PLUGIN_CLIENT_CERT``. We listen on a unix socket in a private 0700 directory, with TLS
(a fresh EC P-256 key and self-signed certificate for "localhost"; the client certificate is not
verified, see ``PluginServer.start``) and print ``1|6|unix|<socket>|grpc|<cert>``, the certificate as unpadded base64 DER.
Then we serve tfplugin6 ``Provider``, go-plugin's ``GRPCController`` (Shutdown stops us),
``GRPCStdio`` and the gRPC health service ("plugin" answers SERVING) until Shutdown or SIGTERM.
SIGINT does not end the plugin, as in go-plugin plugins (a Ctrl-C reaches the whole process group, and
Terraform shuts its plugins down itself), but it is taken as StopProvider: the stop event is set, so
calls in flight are abandoned at once and none starts, whether or not Terraform's StopProvider
arrives (it does on the first Ctrl-C, which Terraform sends to plugins as StopProvider).

The handshake is printed before the provider is built, so importing the provider (and the Kasm client)
does not delay Terraform; RPCs that arrive meanwhile wait for it.
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import message_factory

from ._generated import grpc_controller_pb2, grpc_health_pb2, grpc_stdio_pb2, tfplugin6_pb2
from .handshake import (
    APP_PROTOCOL_VERSION,
    CORE_PROTOCOL_VERSION,
    NOT_A_PLUGIN_MESSAGE,
    has_magic_cookie,
)
from .hclog import bridge_logging, log

if TYPE_CHECKING:  # the provider modules stay out of the import path of the handshake
    from .provider import Provider
    from .servicer import ProviderServicer

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
#: The standard health service's name (our proto declares it in a package of its own, see the .proto).
HEALTH_SERVICE = "grpc.health.v1.Health"
#: Terraform runs up to 10 operations at once (-parallelism); the stdio and health streams hold a
#: worker each for the life of the process.
MAX_WORKERS = 32

# ---------------------------------------------------------------------------------------------------
# TLS


def generate_certificate() -> tuple[bytes, bytes, bytes]:
    """A fresh EC P-256 key and self-signed certificate for "localhost": (key PEM, cert PEM, cert DER)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "terraform-provider-kasm"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        # go-plugin's client uses this certificate as its only root CA: mark it a CA that signed itself.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        key_pem,
        cert.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.DER),
    )


# ---------------------------------------------------------------------------------------------------
# gRPC plumbing


def _message_class(descriptor: Any) -> Any:
    return message_factory.GetMessageClass(descriptor)


def _error_response(response_cls: Any, summary: str, detail: str) -> Any:
    """A response carrying an error, in whatever form the response type has one."""
    from .diagnostics import Diagnostic, Severity
    from .toproto import add_diagnostics  # only on this error path: keeps the handshake's imports small

    response = response_cls()
    add_diagnostics(response, [Diagnostic(Severity.ERROR, summary, detail)])
    return response


class _Handler(grpc.GenericRpcHandler):
    """Routes "/<service>/<method>" to unary handlers built from the service descriptors."""

    def __init__(self) -> None:
        self._methods: dict[str, grpc.RpcMethodHandler] = {}

    def add_unary(
        self,
        service: Any,
        name: str,
        fn: Callable[[Any, Any], Any],
        *,
        catch: bool = False,
        path: str | None = None,
    ) -> None:
        method = service.methods_by_name[name]
        req_cls, resp_cls = _message_class(method.input_type), _message_class(method.output_type)
        rpc_name = name

        def call(request: Any, context: Any) -> Any:
            if not catch:
                return fn(request, context)
            try:
                return fn(request, context)
            except Exception as e:  # a bug in the layer itself: answer, never crash the call
                log.error(f"{rpc_name} failed", error=f"{type(e).__name__}: {e}")
                log.debug(f"{rpc_name} traceback", traceback=traceback.format_exc())
                return _error_response(
                    resp_cls, f"Unexpected error in {rpc_name}", f"{type(e).__name__}: {e}"
                )

        self._methods[f"/{path or service.full_name}/{name}"] = grpc.unary_unary_rpc_method_handler(
            call, request_deserializer=req_cls.FromString, response_serializer=resp_cls.SerializeToString
        )

    def add_stream(
        self, service: Any, name: str, fn: Callable[[Any, Any], Iterator[Any]], *, path: str | None = None
    ) -> None:
        method = service.methods_by_name[name]
        req_cls, resp_cls = _message_class(method.input_type), _message_class(method.output_type)
        self._methods[f"/{path or service.full_name}/{name}"] = grpc.unary_stream_rpc_method_handler(
            fn, request_deserializer=req_cls.FromString, response_serializer=resp_cls.SerializeToString
        )

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        return self._methods.get(handler_call_details.method)


class PluginServer:
    """The gRPC server of one plugin process (also used in-process by tests)."""

    def __init__(self, provider: Provider | Callable[[], Provider]) -> None:
        self._provider_source = provider
        self.shutdown_event = threading.Event()
        self.stop_event = threading.Event()
        self._ready = threading.Event()
        self._servicer: ProviderServicer | None = None
        self._build_error: str | None = None
        self.socket_dir: str | None = None
        self.socket_path: str | None = None
        self._server: grpc.Server | None = None

    # -- the provider, built after the handshake -----------------------------------------------------

    def build_provider(self) -> None:
        from .provider import Provider
        from .servicer import ProviderServicer

        try:
            source = self._provider_source
            provider = source if isinstance(source, Provider) else source()
            self._servicer = ProviderServicer(provider, self.stop_event)
        except Exception as e:
            self._build_error = f"{type(e).__name__}: {e}"
            log.error("the provider could not be loaded", error=self._build_error)
            log.debug("provider load traceback", traceback=traceback.format_exc())
        finally:
            self._ready.set()

    def _provider_rpc(self, name: str) -> Callable[[Any, Any], Any]:
        def call(request: Any, context: Any) -> Any:
            self._ready.wait()
            if self._servicer is None:
                raise RuntimeError(f"the provider could not be loaded: {self._build_error}")
            return getattr(self._servicer, name)(request, context)

        return call

    # -- go-plugin services --------------------------------------------------------------------------

    def _shutdown(self, request: Any, context: Any) -> grpc_controller_pb2.Empty:
        log.debug("GRPCController.Shutdown received")
        self.stop_event.set()
        self.shutdown_event.set()
        return grpc_controller_pb2.Empty()

    def _stream_stdio(self, request: Any, context: Any) -> Iterator[grpc_stdio_pb2.StdioData]:
        # Our output goes straight to the process's stderr, which Terraform reads; nothing to relay.
        while not self.shutdown_event.wait(1.0) and context.is_active():
            pass
        return iter(())

    def _health_check(self, request: Any, context: Any) -> grpc_health_pb2.HealthCheckResponse:
        if request.service in ("", "plugin"):
            return grpc_health_pb2.HealthCheckResponse(status=grpc_health_pb2.HealthCheckResponse.SERVING)
        context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service!r}")
        raise AssertionError("unreachable")

    def _health_watch(self, request: Any, context: Any) -> Iterator[grpc_health_pb2.HealthCheckResponse]:
        known = request.service in ("", "plugin")
        status = grpc_health_pb2.HealthCheckResponse
        yield status(status=status.SERVING if known else status.SERVICE_UNKNOWN)
        while not self.shutdown_event.wait(1.0) and context.is_active():
            pass

    # -- lifetime ------------------------------------------------------------------------------------

    def start(self, *, client_cert_pem: bytes | None = None) -> str:
        """Starts listening; returns the handshake line (without newline)."""
        handler = _Handler()
        provider_service = tfplugin6_pb2.DESCRIPTOR.services_by_name["Provider"]
        for method in provider_service.methods:
            handler.add_unary(provider_service, method.name, self._provider_rpc(method.name), catch=True)
        controller = grpc_controller_pb2.DESCRIPTOR.services_by_name["GRPCController"]
        handler.add_unary(controller, "Shutdown", self._shutdown)
        stdio = grpc_stdio_pb2.DESCRIPTOR.services_by_name["GRPCStdio"]
        handler.add_stream(stdio, "StreamStdio", self._stream_stdio)
        health = grpc_health_pb2.DESCRIPTOR.services_by_name["Health"]
        handler.add_unary(health, "Check", self._health_check, path=HEALTH_SERVICE)
        handler.add_stream(health, "Watch", self._health_watch, path=HEALTH_SERVICE)

        server = grpc.server(
            ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="tfplugin"),
            handlers=[handler],
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ],
        )
        self.socket_dir = tempfile.mkdtemp(
            prefix="tfkasm-", dir=os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or None
        )
        os.chmod(self.socket_dir, 0o700)
        self.socket_path = os.path.join(self.socket_dir, "plugin.sock")
        cert_b64 = ""
        if client_cert_pem:
            key_pem, cert_pem, cert_der = generate_certificate()
            # Server-authenticated TLS only: Terraform's client certificate is ECDSA P-521 signed with
            # SHA-512, a scheme BoringSSL (inside grpcio) leaves out of the signature algorithms it
            # accepts, so requiring it fails every handshake (Go's client then sends no certificate).
            # Only this user can reach the socket anyway (0700 directory). See DESIGN.md.
            credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], require_client_auth=False)
            server.add_secure_port(f"unix:{self.socket_path}", credentials)
            cert_b64 = base64.b64encode(cert_der).decode().rstrip("=")
        else:
            # Without PLUGIN_CLIENT_CERT the host did not ask for AutoMTLS and would not speak TLS.
            server.add_insecure_port(f"unix:{self.socket_path}")
        server.start()
        self._server = server
        return f"{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|unix|{self.socket_path}|grpc|{cert_b64}"

    def wait(self, host_pid: int | None = None) -> None:
        """Blocks until Shutdown, SIGTERM or, when ``host_pid`` is given, the host's end: a plugin whose
        host died without a Shutdown (Terraform killed or crashed) is re-parented, and nobody would ever
        stop it."""
        while not self.shutdown_event.wait(0.5):
            if host_pid is not None and os.getppid() != host_pid:
                log.warn("the host process is gone; stopping")
                self.shutdown_event.set()

    def stop(self, grace: float = 1.0) -> None:
        self.shutdown_event.set()
        self.stop_event.set()
        if self._server is not None:
            self._server.stop(grace).wait(grace + 1.0)
            self._server = None
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
            self.socket_dir = None


def _negotiated_version() -> bool:
    offered = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "")
    return not offered or str(APP_PROTOCOL_VERSION) in [v.strip() for v in offered.split(",")]


#: When set, the plugin writes the names of the modules loaded at handshake time to this file.
HANDSHAKE_MODULES_ENV = "KASM_PROVIDER_HANDSHAKE_MODULES"


def serve(provider: Provider | Callable[[], Provider]) -> int:
    """Runs the plugin until Terraform shuts it down; returns the process exit code.

    ``provider`` may be a factory: it is called after the handshake line is out.
    """
    if not has_magic_cookie():
        sys.stderr.write(NOT_A_PLUGIN_MESSAGE)
        return 1
    if not _negotiated_version():
        sys.stderr.write(
            f"This plugin speaks Terraform plugin protocol {APP_PROTOCOL_VERSION}; the host offered "
            f"{os.environ.get('PLUGIN_PROTOCOL_VERSIONS')}. Terraform 1.0 or later is needed.\n"
        )
        return 1
    host_pid = os.getppid()  # before the handshake: the host may exit right after reading it
    plugin = PluginServer(provider)

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        plugin.shutdown_event.set()

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        # Ctrl-C: stop what is running (as StopProvider); Terraform then shuts the plugin down.
        plugin.stop_event.set()

    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, on_sigint)
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    try:
        line = plugin.start(client_cert_pem=client_cert.encode() if client_cert else None)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        if os.environ.get(HANDSHAKE_MODULES_ENV):
            # Diagnostics (and the release tests): which modules were loaded when the handshake went
            # out, to check the cold-start rule in builds where -X importtime cannot be passed.
            with open(os.environ[HANDSHAKE_MODULES_ENV], "w") as f:
                f.write("\n".join(sorted(sys.modules)) + "\n")
        # Before the provider's modules load: their Python log records go to Terraform as hclog.
        bridge_logging()
        plugin.build_provider()
        plugin.wait(host_pid)
    finally:
        plugin.stop()
    return 0
