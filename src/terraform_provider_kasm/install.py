"""Writes (and removes) the launcher Terraform starts as the provider plugin.

The launcher is a small shell script that runs this Python environment's interpreter (absolute path)
with ``-m terraform_provider_kasm``. It goes into Terraform's implied local mirror (or ``--dir DIR``,
e.g. a ``filesystem_mirror`` directory) as
``~/.terraform.d/plugins/<registry>/<namespace>/kasm/<version>/<os>_<arch>/terraform-provider-kasm_v<version>``
for the namespaces ``kasmtech`` and ``hashicorp`` (what a configuration without ``required_providers``
resolves ``kasm_*`` resources to) and the registries ``registry.terraform.io`` and OpenTofu's
``registry.opentofu.org``.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import __version__

#: Terraform's registry, and OpenTofu's (where OpenTofu resolves a source without a hostname).
HOSTNAMES = ("registry.terraform.io", "registry.opentofu.org")
NAMESPACES = ("kasmtech", "hashicorp")
TYPE = "kasm"
#: First line after the shebang of every launcher we write; uninstall removes only such files.
MARKER = "# Written by `terraform-provider-kasm install`"
GONE_MESSAGE = (
    "The Kasm provider's Python environment at {prefix} is gone; install the provider again "
    "(pip install ., then terraform-provider-kasm install) or run terraform-provider-kasm uninstall."
)

_ARCHES = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i686": "386",
    "x86": "386",
    "armv7l": "arm",
    "armv6l": "arm",
}


def terraform_platform() -> str:
    """Terraform's name for this platform, e.g. ``linux_amd64``."""
    system = {"win32": "windows", "cygwin": "windows"}.get(sys.platform, sys.platform)
    if system.startswith("linux"):
        system = "linux"
    machine = platform.machine().lower()
    return f"{system}_{_ARCHES.get(machine, machine)}"


def default_plugin_dir() -> Path:
    """Terraform's implied local mirror directory for the current user."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "terraform.d" / "plugins"
    return Path.home() / ".terraform.d" / "plugins"


def launcher_path(
    base: Path,
    namespace: str,
    type_name: str = TYPE,
    version: str = __version__,
    hostname: str = HOSTNAMES[0],
) -> Path:
    return (
        base
        / hostname
        / namespace
        / type_name
        / version
        / terraform_platform()
        / f"terraform-provider-{type_name}_v{version}"
    )


def _interpreter_flags(module: str) -> list[str]:
    """``-E`` (ignore PYTHON* variables from Terraform's environment: a stray PYTHONPATH must not change
    which code runs), unless the module is then not importable (e.g. it only works through PYTHONPATH)."""
    try:
        subprocess.run(
            [sys.executable, "-E", "-c", f"import {module.split('.')[0]}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (subprocess.SubprocessError, OSError):
        return []
    return ["-E"]


def cli_config_block(dir: Path | str) -> str:
    """The CLI configuration (``~/.terraformrc`` or a ``TF_CLI_CONFIG_FILE``) under which Terraform finds
    the launchers in ``dir`` (any directory but the implied local mirror needs one) and every other
    provider in its registry as usual."""
    path = Path(dir).resolve()
    sources = ", ".join(f'"{h}/{ns}/{TYPE}"' for h in HOSTNAMES for ns in NAMESPACES)
    return (
        "provider_installation {\n"
        f"  filesystem_mirror {{\n    path    = {json.dumps(str(path))}\n    include = [{sources}]\n  }}\n"
        f"  direct {{\n    exclude = [{sources}]\n  }}\n"
        "}\n"
    )


def launcher_text(module: str = "terraform_provider_kasm", env: Mapping[str, str] | None = None) -> str:
    python = shlex.quote(sys.executable)
    lines = [
        "#!/bin/sh",
        f"{MARKER} from the Python environment {sys.prefix}.",
        "# Terraform starts this file as the provider plugin; running it by hand only prints a hint.",
        # When the environment is gone (a deleted clone or venv), say so instead of failing Terraform's
        # handshake obscurely. On stdout, since Terraform shows a plugin's unexpected first line.
        f"if [ ! -x {python} ]; then",
        f"  echo {shlex.quote(GONE_MESSAGE.format(prefix=sys.prefix))}",
        # Under Terraform, stay alive a moment: go-plugin races the plugin's first line against its exit,
        # and on a busy machine the exit won ("plugin exited before we could connect", message lost).
        '  [ -n "${TF_PLUGIN_MAGIC_COOKIE:-}" ] && sleep 2',
        "  exit 1",
        "fi",
    ]
    if env:
        # A launcher that needs extra variables (tests: PYTHONPATH) sets them and keeps them.
        lines += [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
        flags: list[str] = []
    else:
        flags = _interpreter_flags(module)
    command = [sys.executable, *flags, "-m", module]
    lines.append("exec " + " ".join(shlex.quote(c) for c in command) + ' "$@"')
    return "\n".join(lines) + "\n"


def write_launcher(path: Path, text: str) -> bool:
    """Writes an executable launcher; returns False when an identical one was already there."""
    if path.is_file() and path.read_text() == text and os.access(path, os.X_OK):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.chmod(0o755)
    tmp.replace(path)
    return True


def install(
    dir: Path | str | None = None,
    *,
    namespaces: Sequence[str] = NAMESPACES,
    hostnames: Sequence[str] = HOSTNAMES,
    type_name: str = TYPE,
    module: str = "terraform_provider_kasm",
    env: Mapping[str, str] | None = None,
) -> list[Path]:
    """Installs the launcher for each namespace; returns the launcher paths. Idempotent."""
    base = Path(dir) if dir is not None else default_plugin_dir()
    text = launcher_text(module, env)
    paths = [launcher_path(base, ns, type_name, hostname=host) for host in hostnames for ns in namespaces]
    for path in paths:
        write_launcher(path, text)
    return paths


def uninstall(
    dir: Path | str | None = None,
    *,
    namespaces: Sequence[str] = NAMESPACES,
    hostnames: Sequence[str] = HOSTNAMES,
    type_name: str = TYPE,
) -> list[Path]:
    """Removes the launchers ``install`` wrote (and the directories left empty); returns what it removed."""
    base = Path(dir) if dir is not None else default_plugin_dir()
    removed: list[Path] = []
    for path in [launcher_path(base, ns, type_name, hostname=h) for h in hostnames for ns in namespaces]:
        try:
            if MARKER not in path.read_text(errors="replace").splitlines()[1]:
                continue
        except (OSError, IndexError):
            continue
        path.unlink()
        removed.append(path)
        parent = path.parent
        while parent != base and base in parent.parents:
            try:
                parent.rmdir()  # only succeeds when empty
            except OSError:
                break
            parent = parent.parent
    return removed
