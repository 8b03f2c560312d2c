"""Cold start of the plugin: process start → go-plugin handshake line, as Terraform waits for it.

Runs the installed launcher (or one installed into a temporary directory) N times with Terraform's
magic cookie and a client certificate set (so the TLS certificate is generated as under Terraform),
then stops each process with SIGTERM. Prints the median and 90th percentile.

    python bench/cold_start.py [--runs 30] [--launcher [LABEL=]PATH ...] [--release [LABEL=]ZIP ...]

With ``--release`` (a zip from scripts/release, unpacked into a temporary directory as Terraform
unpacks it) or several ``--launcher``, every executable is measured in the same run, the pip-installed
launcher first, their starts interleaved (round-robin) so a change in the machine's load hits all alike.

Goal: median ≤ 0.20 s (target 0.15 s) on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from terraform_provider_kasm.install import install
from terraform_provider_kasm.tfplugin.handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

# Any PEM will do: only its presence matters (the plugin then serves TLS).
CLIENT_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux), 0.0 where /proc is missing."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(launcher: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from process start to the handshake line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(launcher)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(10)
    if not line.startswith("1|6|unix|"):
        raise SystemExit(f"no handshake line, got {line!r}")
    return elapsed, cpu


def labelled(value: str) -> tuple[str, Path]:
    label, sep, path = value.partition("=")
    return (label, Path(path)) if sep else (Path(value).name, Path(value))


def unpack(zip_path: Path, into: Path) -> Path:
    """Unpacks a release zip (modes kept, as Terraform does); returns its provider executable."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            target = Path(z.extract(info, into))
            target.chmod((info.external_attr >> 16) & 0o777 or 0o644)
    (exe,) = [p for p in into.iterdir() if p.is_file() and p.name.startswith("terraform-provider-kasm_v")]
    return exe


def report(label: str, runs: list[tuple[float, float]]) -> str:
    times = sorted(wall for wall, _ in runs)
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    return (
        f"{label}: cold start to handshake over {len(runs)} runs: median {median:.3f} s, p90 {p90:.3f} s, "
        f"min {times[0]:.3f} s, max {times[-1]:.3f} s; "
        f"CPU time to handshake: median {statistics.median(cpu for _, cpu in runs):.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--launcher",
        type=labelled,
        action="append",
        default=[],
        help="[LABEL=]PATH of a launcher or executable to run (default: install one into a temp dir)",
    )
    parser.add_argument(
        "--release",
        type=labelled,
        action="append",
        default=[],
        help="[LABEL=]ZIP of a release to unpack and run",
    )
    parser.add_argument(
        "--no-pip", action="store_true", help="with --launcher/--release: leave the pip launcher out"
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env.update({MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE, "PLUGIN_CLIENT_CERT": CLIENT_CERT})
    with tempfile.TemporaryDirectory() as tmp:
        launchers: list[tuple[str, Path]] = []
        if not args.no_pip and (args.release or not args.launcher):
            pip = install(dir=tmp, namespaces=("kasmtech",), hostnames=("registry.terraform.io",))[0]
            launchers.append(("pip launcher", pip))
        launchers += args.launcher
        for i, (label, zip_path) in enumerate(args.release):
            launchers.append((label, unpack(zip_path, Path(tmp) / f"release{i}")))
        for _, launcher in launchers:
            one_start(launcher, env)  # warm the bytecode cache and the page cache
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in launchers}
        for _ in range(args.runs):
            for label, launcher in launchers:
                runs[label].append(one_start(launcher, env))
    for label, measured in runs.items():
        print(report(label, measured))
    # CPU time hardly depends on what else the machine is doing; compare it when the wall time is noisy.
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
