"""The demo: the kasm_images "Image Authorization Workflow" example against a local Kasm-compatible server.

Starts the local server (a SQLite file under ./demo), installs the provider into a plugin directory of
its own under ./demo (with a CLI configuration naming it: nothing is written to ~/.terraform.d), copies
examples/workflow/main.tf (a group, a user, a membership, the group's image, and the image's details as
outputs) to ./demo, then runs terraform init / apply / output / plan and, unless --keep, destroy.
Run it through scripts/demo, which sets up the virtual environment first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from terraform_provider_kasm.install import cli_config_block

ROOT = Path(__file__).resolve().parent.parent

# The "Image Authorization Workflow" example with its "Output Image Details" outputs: the same file
# the docs show, so the demo and the documentation cannot drift apart.
WORKFLOW_EXAMPLE = ROOT / "examples" / "workflow" / "main.tf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_serving(base_url: str, key: str, secret: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the local server exited with status {server.returncode}")
        try:
            reply = httpx.post(
                f"{base_url}/api/public/get_images", json={"api_key": key, "api_key_secret": secret}, timeout=2
            )
            if reply.status_code == 200 and "images" in reply.json():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the local server did not answer within 30 s")


def terraform(binary: str, *args: str, cwd: Path, env: dict[str, str]) -> None:
    print(f"\n$ terraform {' '.join(args)}", flush=True)
    subprocess.run([binary, *args], cwd=cwd, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=ROOT / "demo", help="working directory (default ./demo)")
    parser.add_argument("--keep", action="store_true", help="keep the objects and the server running at the end")
    args = parser.parse_args()

    workdir: Path = args.dir
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    bin_dir = Path(sys.executable).parent
    terraform_bin = os.environ.get("TERRAFORM") or shutil.which("terraform", path=str(bin_dir)) or "terraform"

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    api_key, api_secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    provider_cli = str(bin_dir / "terraform-provider-kasm")
    print(f"Starting the local Kasm-compatible server on {base_url} (database {workdir / 'kasm.db'})")
    server = subprocess.Popen(
        [provider_cli, "server", "--db", f"sqlite:///{workdir / 'kasm.db'}", "--port", str(port),
         "--api-key", api_key, "--api-secret", api_secret, "--session-start-seconds", "2"],
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "wb"),  # noqa: SIM115 - closed when the process ends
    )
    try:
        wait_until_serving(base_url, api_key, api_secret, server)
        plugins = workdir / "plugins"
        print(f"\n$ terraform-provider-kasm install --dir {plugins}", flush=True)
        subprocess.run([provider_cli, "install", "--dir", str(plugins)], check=True, stdout=subprocess.DEVNULL)
        cli_config = workdir / "terraformrc"
        cli_config.write_text(cli_config_block(plugins))
        shutil.copy(WORKFLOW_EXAMPLE, workdir / "main.tf")
        env = {
            **os.environ,
            "KASM_BASE_URL": base_url,
            "KASM_API_KEY": api_key,
            "KASM_API_SECRET": api_secret,
            "CHECKPOINT_DISABLE": "1",
            "TF_CLI_CONFIG_FILE": str(cli_config),
        }
        version = subprocess.run([terraform_bin, "version"], env=env, capture_output=True, text=True, check=True)
        print(f"Using {version.stdout.splitlines()[0]} ({terraform_bin}; set TERRAFORM to choose another)")
        terraform(terraform_bin, "init", "-input=false", "-no-color", cwd=workdir, env=env)
        terraform(terraform_bin, "apply", "-auto-approve", "-input=false", "-no-color", cwd=workdir, env=env)
        terraform(terraform_bin, "output", "-no-color", cwd=workdir, env=env)
        terraform(terraform_bin, "plan", "-detailed-exitcode", "-input=false", "-no-color", cwd=workdir, env=env)
        if args.keep:
            print(f"\nThe server keeps running at {base_url} (pid {server.pid}); objects kept in {workdir}.")
            print(f"  export KASM_BASE_URL={base_url} KASM_API_KEY={api_key} KASM_API_SECRET=<see {workdir}/.env>")
            print(f"  export TF_CLI_CONFIG_FILE={cli_config}")
            (workdir / ".env").write_text(f"KASM_API_SECRET={api_secret}\n")
            return 0
        terraform(terraform_bin, "destroy", "-auto-approve", "-input=false", "-no-color", cwd=workdir, env=env)
        print("\nDemo complete: the workflow applied, converged (empty second plan) and was destroyed.")
        return 0
    finally:
        if not args.keep:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
