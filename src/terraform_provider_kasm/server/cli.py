"""`terraform-provider-kasm server`: run the local Kasm-compatible API server."""

from __future__ import annotations

import argparse
import ipaddress
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .settings import ServerSettings, default_database_url

DEFAULT_PORT = 8443


def build_parser(prog: str = "terraform-provider-kasm server") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a local Kasm Workspaces-compatible Developer API server (no Kasm deployment needed).",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="SQLAlchemy URL, e.g. postgresql://user@host/kasm, or a SQLite file path "
        "(default: a SQLite file in your data dir)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--api-key", help="the API key to seed (with --api-secret); default: generated once")
    parser.add_argument("--api-secret", help="the API key secret to seed (with --api-key)")
    parser.add_argument(
        "--reset-api-key",
        action="store_true",
        help="give the generated API key a new secret and print it (for a lost secret; same database)",
    )
    parser.add_argument(
        "--tls-self-signed", action="store_true", help="serve HTTPS with a fresh self-signed cert"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="CALL=KIND[,times=N][,retry_after=S][,ms=N]",
        help="inject a fault (repeatable); KIND: an HTTP status, html, reset, reset_after, delay",
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="added latency for every Kasm call")
    parser.add_argument(
        "--session-start-seconds", type=float, default=5.0, help="time for a new session to reach running"
    )
    parser.add_argument(
        "--image-pull-seconds", type=float, default=0.0, help="time before a new image reports available"
    )
    parser.add_argument(
        "--open-local-calls",
        action="store_true",
        help="serve /_local/calls without credentials (default: a Global Admin key's api-key/api-key-secret headers)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=1024 * 1024,
        help="largest request body accepted (default 1 MiB)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if bool(args.api_key) != bool(args.api_secret):
        parser.error("--api-key and --api-secret go together")
    if args.reset_api_key and args.api_key:
        parser.error(
            "--reset-api-key replaces the generated key's secret; with --api-key/--api-secret "
            "the given secret is set anyway"
        )
    # Imported here: the server extra's libraries load only when the server runs.
    from .app import create_app
    from .faults import FaultSpec
    from .runner import bind_socket, uvicorn_config

    try:
        for fault in args.fault:
            FaultSpec.parse(fault)
    except ValueError as exc:
        parser.error(str(exc))
    settings = ServerSettings(
        database_url=_database_url(args.db) if args.db else default_database_url(),
        api_key=args.api_key,
        api_secret=args.api_secret,
        reset_api_key=args.reset_api_key,
        faults=list(args.fault),
        latency_ms=args.latency_ms,
        session_start_seconds=args.session_start_seconds,
        image_pull_seconds=args.image_pull_seconds,
        open_local_calls=args.open_local_calls,
        max_body_bytes=args.max_body_bytes,
    )
    if not _is_loopback(args.host):
        print(f"warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    try:
        app = create_app(settings)
    except KeyboardInterrupt:
        sock.close()
        return 130
    except Exception as exc:  # a database that cannot be opened or migrated: say so without a traceback
        sock.close()
        print(f"error: cannot start on {_redacted(settings.database_url)}: {exc}", file=sys.stderr)
        return 1
    seeded = app.state.kasm.seeded
    scheme = "https" if args.tls_self_signed else "http"
    tls: dict[str, str] = {}
    workdir = tempfile.TemporaryDirectory(prefix="kasm-local-tls-") if args.tls_self_signed else None
    if workdir is not None:
        cert, key = _self_signed(Path(workdir.name), args.host)
        tls = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    url_host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Local Kasm API server: {scheme}://{url_host}:{sock.getsockname()[1]}", flush=True)
    print(f"Database: {_redacted(settings.database_url)}", flush=True)
    if tls:
        print(f"TLS certificate (self-signed, trust it for this run): {tls['ssl_certfile']}", flush=True)
    print(f"API key: {seeded.api_key}", flush=True)
    if seeded.generated:
        print(f"API key secret: {seeded.api_secret}  (shown only now; later starts keep it)", flush=True)
    elif not args.api_secret:
        print(
            "API key secret: as printed on first start with this database (lost? restart with --reset-api-key)",
            flush=True,
        )
    import uvicorn

    config = uvicorn_config(app, host=args.host, port=args.port, log_level=args.log_level, **tls)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        if workdir is not None:
            workdir.cleanup()
    return 0


def _database_url(value: str) -> str:
    """A URL as given; a bare path means a SQLite file."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _redacted(url: str) -> str:
    from sqlalchemy import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable database URL>"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _self_signed(directory: Path, host: str) -> tuple[Path, Path]:
    """A fresh EC key and a one-day self-signed certificate for `host`, localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    try:
        names.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        names.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kasm-local")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path
