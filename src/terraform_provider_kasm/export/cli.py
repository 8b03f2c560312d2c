"""``terraform-provider-kasm export``: arguments, settings (as the provider's: flags, else the
``KASM_*`` environment variables), and the summary printed."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    from .exporter import KIND_BY_TYPE

    p = sub.add_parser(
        "export",
        help="write an existing Kasm as Terraform configuration with import blocks",
        description="Reads the Kasm and writes, into --out, a .tf file per resource type, import blocks "
        "(imports.tf, Terraform >= 1.5), imports.sh (terraform import, older Terraform) and variables.tf "
        "for the secrets Kasm never returns. Connection settings: the flags, else the provider's "
        "environment variables (KASM_BASE_URL, KASM_API_KEY, KASM_API_SECRET, KASM_INSECURE, ...).",
    )
    p.add_argument("--out", required=True, type=Path, help="directory to write into (created if missing)")
    p.add_argument(
        "--types",
        help="comma-separated resource types to export (default: all): " + ", ".join(KIND_BY_TYPE),
    )
    p.add_argument(
        "--include-builtin",
        action="store_true",
        help="also export what Kasm made itself (All Users, Administrators, the default zone, Kasm's "
        "images, the official registry, Kasm's default accounts), with lifecycle prevent_destroy",
    )
    p.add_argument(
        "--exclude-users-matching", metavar="REGEX", help="leave out users (and their memberships)"
    )
    p.add_argument("--no-import-blocks", action="store_true", help="no imports.tf (Terraform < 1.5)")
    p.add_argument("--dry-run", action="store_true", help="print the counts per type, write nothing")
    for flag, attribute in (
        ("--base-url", "base_url"),
        ("--api-key", "api_key"),
        ("--api-secret", "api_secret"),
        ("--ca-file", "ca_file"),
    ):
        p.add_argument(flag, dest=attribute, help=f"the provider's {attribute}")
    p.add_argument(
        "--insecure", action="store_true", default=None, help="skip verifying Kasm's TLS certificate"
    )
    p.add_argument("--timeout", type=float, help="seconds to wait for each answer")


def run(ns: argparse.Namespace) -> int:
    from ..provider.context import KasmData, Unconfigured
    from ..provider.provider import make_client, resolve_settings
    from ..tfplugin.diagnostics import DiagnosticError
    from . import exporter

    config = {
        name: getattr(ns, name)
        for name in ("base_url", "api_key", "api_secret", "ca_file", "insecure", "timeout")
    }
    try:
        settings = resolve_settings(config)
    except DiagnosticError as e:
        sys.stderr.write(f"Error: {e.summary}: {e.detail}\n")
        return 2
    if isinstance(settings, Unconfigured):  # only from unknown values, which flags never are
        sys.stderr.write(f"Error: {settings}\n")
        return 2
    types = frozenset(exporter.KIND_BY_TYPE)
    if ns.types:
        types = frozenset(t.strip() for t in ns.types.split(",") if t.strip())
        unknown = sorted(types - set(exporter.KIND_BY_TYPE))
        if unknown:
            sys.stderr.write(
                f"Error: unknown type(s) {', '.join(unknown)}; known: {', '.join(exporter.KIND_BY_TYPE)}\n"
            )
            return 2
    try:
        exclude = re.compile(ns.exclude_users_matching) if ns.exclude_users_matching else None
    except re.error as e:
        sys.stderr.write(f"Error: --exclude-users-matching is not a regular expression: {e}\n")
        return 2
    options = exporter.Options(
        out=ns.out,
        types=types,
        include_builtin=ns.include_builtin,
        exclude_users=exclude,
        import_blocks=not ns.no_import_blocks,
        dry_run=ns.dry_run,
    )
    from ..client import errors as kerr

    with make_client(settings) as client:
        try:
            result = exporter.run(KasmData(client), options)
        except kerr.KasmError as e:
            sys.stderr.write(f"Error: reading the Kasm at {settings.base_url} failed: {e}\n")
            return 1
    for type_name, count in result.counts.items():
        print(f"{type_name}: {count}")
    total = sum(result.counts.values())
    if options.dry_run:
        print(f"{total} resources (dry run, nothing written)")
    else:
        print(f"{total} resources written to {options.out} ({len(result.files)} files)")
    return 0
