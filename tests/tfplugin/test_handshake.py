"""The plugin process as Terraform sees it: the go-plugin handshake, TLS, shutdown, signals."""

from __future__ import annotations

import base64
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from google.protobuf import empty_pb2

from terraform_provider_kasm.tfplugin._generated import grpc_controller_pb2, grpc_health_pb2
from terraform_provider_kasm.tfplugin.handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE
from tests.tfplugin.grpc_client import clients, pb

HANDSHAKE = re.compile(r"^1\|6\|unix\|(?P<socket>/[^|]+)\|grpc\|(?P<cert>[A-Za-z0-9+/]*)$")
# Any PEM certificate will do: the plugin does not verify the client's (see DESIGN.md).
CLIENT_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def plugin_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env[MAGIC_COOKIE_KEY] = MAGIC_COOKIE_VALUE
    env.update(extra)
    return env


@dataclass
class Plugin:
    proc: subprocess.Popen[str]
    line: str
    socket: Path
    cert_der: bytes

    def channel(self) -> grpc.Channel:
        if not self.cert_der:
            return grpc.insecure_channel(f"unix:{self.socket}")
        pem = x509.load_der_x509_certificate(self.cert_der).public_bytes(serialization.Encoding.PEM)
        return grpc.secure_channel(
            f"unix:{self.socket}",
            grpc.ssl_channel_credentials(root_certificates=pem),
            options=[("grpc.ssl_target_name_override", "localhost")],
        )


def start_plugin(env: dict[str, str]) -> Plugin:
    proc = subprocess.Popen(
        [sys.executable, "-m", "terraform_provider_kasm"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().rstrip("\n")
    m = HANDSHAKE.match(line)
    assert m, (
        f"bad handshake line {line!r}; stderr: {proc.stderr.read() if proc.stderr and proc.poll() is not None else ''}"
    )
    cert = m["cert"]
    der = base64.b64decode(cert + "=" * (-len(cert) % 4)) if cert else b""
    return Plugin(proc, line, Path(m["socket"]), der)


@pytest.fixture
def plugin() -> Iterator[Plugin]:
    p = start_plugin(plugin_env(PLUGIN_CLIENT_CERT=CLIENT_CERT, PLUGIN_PROTOCOL_VERSIONS="5,6"))
    try:
        yield p
    finally:
        if p.proc.poll() is None:
            p.proc.kill()
        p.proc.wait(10)


def test_without_the_magic_cookie_it_explains_and_exits_1() -> None:
    env = {k: v for k, v in os.environ.items() if k != MAGIC_COOKIE_KEY}
    proc = subprocess.run(
        [sys.executable, "-m", "terraform_provider_kasm"], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "This is a Terraform plugin" in proc.stderr and "terraform-provider-kasm install" in proc.stderr


def test_a_host_without_protocol_6_is_refused() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "terraform_provider_kasm"],
        env=plugin_env(PLUGIN_PROTOCOL_VERSIONS="5"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and proc.stdout == "" and "protocol 6" in proc.stderr


def test_handshake_tls_and_controller_shutdown(plugin: Plugin) -> None:
    # go-plugin wants unpadded standard base64 of the DER certificate.
    assert "=" not in plugin.line
    cert = x509.load_der_x509_certificate(plugin.cert_der)
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    ) == ["localhost"]
    socket_dir = plugin.socket.parent
    assert stat.S_IMODE(socket_dir.stat().st_mode) == 0o700

    channel = plugin.channel()
    provider, controller, health, _ = clients(channel)
    assert (
        health.Check(grpc_health_pb2.HealthCheckRequest(service="plugin"), timeout=10).status == 1
    )  # SERVING
    schema = provider.GetProviderSchema(pb.GetProviderSchema.Request(), timeout=30)
    names = {a.name: a for a in schema.provider.block.attributes}
    assert set(names) == {
        "base_url",
        "api_key",
        "api_secret",
        "insecure",
        "ca_file",
        "timeout",
        "deadline",
        "max_retries",
        "requests_per_second",
        "adopt_existing",
    }
    assert names["api_secret"].sensitive and all(a.optional for a in names.values())

    controller.Shutdown(grpc_controller_pb2.Empty(), timeout=10)
    channel.close()
    assert plugin.proc.wait(10) == 0
    assert not socket_dir.exists()


def test_without_a_client_certificate_it_serves_plaintext() -> None:
    p = start_plugin(plugin_env())
    try:
        assert p.line.endswith("|grpc|") and not p.cert_der
        channel = p.channel()
        _, controller, health, _ = clients(channel)
        assert health.Check(grpc_health_pb2.HealthCheckRequest(service=""), timeout=10).status == 1
        controller.Shutdown(grpc_controller_pb2.Empty(), timeout=10)
        channel.close()
        assert p.proc.wait(10) == 0
    finally:
        if p.proc.poll() is None:
            p.proc.kill()


def test_sigint_does_not_end_the_plugin_and_sigterm_stops(plugin: Plugin) -> None:
    # SIGINT only sets the stop event (calls in flight are abandoned: tests/provider/test_interrupt.py).
    socket_dir = plugin.socket.parent
    plugin.proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    assert plugin.proc.poll() is None, "SIGINT must not end the plugin (Terraform shuts it down itself)"
    plugin.proc.send_signal(signal.SIGTERM)
    assert plugin.proc.wait(10) == 0
    assert not socket_dir.exists()


def test_stdio_stream_stays_open_until_shutdown(plugin: Plugin) -> None:
    channel = plugin.channel()
    _, controller, _, stdio = clients(channel)
    stream = stdio.StreamStdio(empty_pb2.Empty(), timeout=30)
    controller.Shutdown(grpc_controller_pb2.Empty(), timeout=10)
    assert list(stream) == []  # ends cleanly, nothing relayed
    channel.close()
    assert plugin.proc.wait(10) == 0


def test_no_kasm_client_or_server_module_is_imported_before_the_handshake() -> None:
    code = (
        "import sys, io, os\n"
        "from terraform_provider_kasm.tfplugin import server\n"
        "seen = [m for m in sys.modules if m.startswith(('terraform_provider_kasm.client', "
        "'terraform_provider_kasm.server', 'terraform_provider_kasm.provider', 'httpx'))]\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_the_plugin_stops_when_its_host_dies(tmp_path: Path) -> None:
    # A host process that starts the plugin, prints its handshake line and dies without a Shutdown.
    host = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'terraform_provider_kasm'], stdout=subprocess.PIPE, text=True)\n"
        "print(p.pid, p.stdout.readline().strip(), flush=True)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", host],
        env=plugin_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    pid, line = int(out[0]), out[1]
    socket_dir = Path(HANDSHAKE.match(line)["socket"]).parent  # type: ignore[index]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and socket_dir.exists():
        time.sleep(0.2)
    assert not socket_dir.exists()
    while time.monotonic() < deadline and running(pid):
        time.sleep(0.1)
    assert not running(pid)


def running(pid: int) -> bool:
    """Whether a process runs (a zombie left to a non-reaping init does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_our_health_messages_cannot_clash_with_grpcio_health_checking() -> None:
    """grpcio-health-checking registers grpc.health.v1.HealthCheckRequest/Response in protobuf's default
    pool; ours live in a package of their own, so both can be loaded in one process."""
    from google.protobuf import descriptor_pb2, descriptor_pool

    official = descriptor_pb2.FileDescriptorProto(
        name="grpc_health/v1/health.proto", package="grpc.health.v1"
    )
    official.message_type.add(name="HealthCheckRequest")
    official.message_type.add(name="HealthCheckResponse")
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(official.name)
    except KeyError:
        pool.Add(official)  # raises on a duplicate symbol
    assert (
        grpc_health_pb2.HealthCheckRequest.DESCRIPTOR.full_name
        == "terraform_provider_kasm.health.HealthCheckRequest"
    )
