"""The ``terraform-provider-kasm`` command.

With no arguments it is the Terraform plugin (when Terraform's magic cookie is set; otherwise it prints
a hint and exits 1). Subcommands: ``install``, ``uninstall``, ``version``, ``mirror``, ``server``, ``export``. Imports are
lazy: the plugin path loads only what the handshake needs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # argparse is not loaded on the plugin path
    import argparse


def _serve_plugin() -> int:
    from .tfplugin.server import serve

    def factory():  # type: ignore[no-untyped-def]
        from .provider.provider import provider_factory

        return provider_factory()

    return serve(factory)


#: The top-level modules of the ``server`` extra (pyproject.toml); the server imports them lazily, so
#: their absence must be checked before it starts, not met as a traceback half-way through.
SERVER_EXTRA_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "PIL")
SERVER_EXTRA_HINT = (
    "The local Kasm server needs the package's 'server' extra, which is not installed (missing: {missing}).\n"
    "From a clone of the repository: pip install '.[server]'   (or scripts/demo, which installs it)\n"
)


FROZEN_INSTALL_HINT = (
    "This is the standalone release executable: `install` is for the pip-installed provider.\n"
    "Serve its release zip from a mirror (terraform-provider-kasm mirror DIR, see the README), or unzip\n"
    "it into ~/.terraform.d/plugins/registry.terraform.io/kasmtech/kasm/<version>/<os>_<arch>/.\n"
)


def _missing_server_modules() -> list[str]:
    from importlib.util import find_spec

    missing = []
    for name in SERVER_EXTRA_MODULES:
        try:
            found = find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from .tfplugin.handshake import NOT_A_PLUGIN_MESSAGE, has_magic_cookie

        if has_magic_cookie():
            return _serve_plugin()
        sys.stderr.write(NOT_A_PLUGIN_MESSAGE)
        return 1
    if args[0] == "server":
        missing = _missing_server_modules()
        if missing:
            sys.stderr.write(SERVER_EXTRA_HINT.format(missing=", ".join(missing)))
            return 1
        # The server has its own argument parser; hand it everything after "server".
        from .server.cli import main as server_main

        return server_main(args[1:])
    return _run_subcommand(args)


def _run_subcommand(args: list[str]) -> int:
    import argparse

    from . import __version__

    parser = argparse.ArgumentParser(
        prog="terraform-provider-kasm",
        description="Terraform/OpenTofu provider for Kasm Workspaces. Terraform runs it as a plugin; "
        "the subcommands install it and run a local Kasm-compatible server.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_install = sub.add_parser(
        "install", help="make the provider available to Terraform (local plugin mirror)"
    )
    p_install.add_argument("--dir", help="plugin directory (default: ~/.terraform.d/plugins)")
    p_uninstall = sub.add_parser("uninstall", help="remove what install wrote")
    p_uninstall.add_argument("--dir", help="plugin directory (default: ~/.terraform.d/plugins)")
    sub.add_parser("version", help="print the provider version and its Terraform plugin protocol")
    p_mirror = sub.add_parser(
        "mirror",
        help="write a provider mirror (packed filesystem mirror and network mirror files) from release zips",
        description="Copies the release zips (scripts/release) into DIR as a packed filesystem mirror "
        "(DIR/<hostname>/<namespace>/kasm/<zip>) and writes the provider network mirror protocol's "
        "index.json and <version>.json beside them, so any static HTTPS server can serve DIR.",
    )
    p_mirror.add_argument("dir", metavar="DIR", help="mirror directory (created if missing)")
    p_mirror.add_argument(
        "--release-dir", default="dist/release", help="where the release zips are (default: dist/release)"
    )
    p_mirror.add_argument(
        "--hostname", action="append", help="registry hostname (default: registry.terraform.io)"
    )
    p_mirror.add_argument("--namespace", action="append", help="provider namespace (default: kasmtech)")
    p_mirror.add_argument(
        "--serve",
        action="store_true",
        help="then serve DIR over HTTPS on localhost until interrupted (testing)",
    )
    p_mirror.add_argument("--port", type=int, default=0, help="port for --serve (default: any free port)")
    sub.add_parser("server", help="run the local Kasm-compatible API server (see `server --help`)")
    from .export.cli import add_parser as add_export_parser

    add_export_parser(sub)
    ns = parser.parse_args(args)

    if ns.command == "version":
        from .tfplugin.handshake import APP_PROTOCOL_VERSION

        print(f"terraform-provider-kasm {__version__} (Terraform plugin protocol {APP_PROTOCOL_VERSION})")
        return 0
    if ns.command == "export":
        from .export.cli import run as run_export

        return run_export(ns)
    if ns.command == "mirror":
        return _mirror(ns)
    from . import install as inst

    if ns.command in ("install", "uninstall") and getattr(sys, "frozen", False):
        # The launcher runs a Python environment; the release executable has none to point at.
        sys.stderr.write(FROZEN_INSTALL_HINT)
        return 1
    if ns.command == "install":
        paths = inst.install(ns.dir)
        for p in paths:
            print(f"installed {p}")
        print(
            "Terraform and OpenTofu find it as kasmtech/kasm (and hashicorp/kasm for configurations "
            f"without required_providers), version {__version__}."
        )
        if ns.dir is None:
            print("Run `terraform init` next.")
        else:
            # Only the implied local mirror is searched without configuration.
            print(
                f"Terraform looks in {ns.dir} only when told to: add this to the CLI configuration "
                "(~/.terraformrc, or a file named by TF_CLI_CONFIG_FILE), then run `terraform init`:\n"
            )
            print(inst.cli_config_block(ns.dir), end="")
        return 0
    removed = inst.uninstall(ns.dir)
    for p in removed:
        print(f"removed {p}")
    if not removed:
        print("nothing to remove")
    return 0


def _mirror(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from . import release

    dir = Path(ns.dir)
    hostnames = ns.hostname or [release.DEFAULT_HOSTNAME]
    try:
        written = release.write_mirror(
            Path(ns.release_dir),
            dir,
            hostnames=hostnames,
            namespaces=ns.namespace or [release.DEFAULT_NAMESPACE],
        )
    except FileNotFoundError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    for path in written:
        print(f"wrote {path}")
    if not ns.serve:
        print(
            "\nAs a packed filesystem mirror, in the CLI configuration (~/.terraformrc or TF_CLI_CONFIG_FILE):\n"
        )
        print(release.cli_config(dir=dir, hostname=hostnames[0]))
        print("As a network mirror: serve DIR from any HTTPS server and use network_mirror { url = ... }.")
        return 0
    import tempfile
    import time

    with tempfile.TemporaryDirectory() as cert_dir:
        server = release.serve(dir, Path(cert_dir), port=ns.port)
        print(f"\nserving {dir} at {server.url} (Ctrl-C stops); Terraform needs:\n")
        print(f"  export SSL_CERT_FILE={server.cert}\n")
        print(release.cli_config(url=server.url, hostname=hostnames[0]), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    return 0
