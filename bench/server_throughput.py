"""Throughput and latency of the local Kasm server, per call, under concurrent clients.

The server runs in its own process (``terraform-provider-kasm server`` on a free loopback port; SQLite
in a temporary directory unless ``--db`` names another database, e.g. a PostgreSQL URL). The load comes
from ``--procs`` client processes, each running ``--clients / --procs`` threads; every client (thread)
holds one keep-alive connection (``http.client``, far cheaper per request than httpx, so the clients
leave the CPU to the server) and makes ``--calls`` requests of the chosen mix:

* ``read``: ``get_images``, ``get_users`` (100 per page), ``get_groups``, in turn;
* ``images``: ``get_images`` only;
* ``write``: ``create_user``, ``create_group``, then ``add_user_group`` (the new user into the new group);
* ``mixed``: reads and writes, alternating.

It prints requests per second, p50/p95/p99 latency per call and any non-200 or ``error_message``
answers, checks the server's own count (``GET /_local/calls``) against the requests made, and after a
write mix checks for lost writes: every user and group created is listed by ``get_users``/``get_groups``
and every new user lists its new group.

    python bench/server_throughput.py [--mix mixed] [--clients 50] [--procs 5] [--calls 40] [--db URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Connection:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, port: int, auth: dict[str, str]) -> None:
        self.port, self.auth = port, auth
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        data = json.dumps({**self.auth, **body}).encode()
        self.conn.request(
            "POST", f"/api/public/{name}", body=data, headers={"Content-Type": "application/json"}
        )
        response = self.conn.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"error_message": raw[:200].decode(errors="replace")}
        return response.status, payload if isinstance(payload, dict) else {"error_message": "not an object"}

    @property
    def control_headers(self) -> dict[str, str]:
        """The `/_local/` controls take the admin key in headers."""
        return {"api-key": self.auth["api_key"], "api-key-secret": self.auth["api_key_secret"]}

    def get(self, path: str) -> Any:
        self.conn.request("GET", path, headers=self.control_headers)
        return json.loads(self.conn.getresponse().read())

    def close(self) -> None:
        self.conn.close()


def client_process(
    port: int, auth: dict[str, str], mix: str, threads: int, calls: int, first: int, start_at: float
) -> dict[str, Any]:
    """Runs `threads` clients; returns latencies and failures per call and what was created."""
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    examples: dict[str, str] = {}
    created: list[tuple[str, str, str, str]] = []  # username, user_id, group name, group_id
    lock = threading.Lock()

    def call(conn: Connection, name: str, body: dict[str, Any]) -> dict[str, Any]:
        start = time.perf_counter()
        status, payload = conn.post(name, body)
        elapsed = time.perf_counter() - start
        with lock:
            latencies[name].append(elapsed)
            if status != 200 or "error_message" in payload:
                failures[name] += 1
                examples.setdefault(name, f"{status} {str(payload.get('error_message'))[:120]}")
        return payload

    def worker(index: int) -> None:
        conn = Connection(port, auth)
        tag = secrets.token_hex(3)
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            for i in range(calls):
                write = mix == "write" or (mix == "mixed" and i % 2)
                if write:
                    name = f"bench-{index}-{i}-{tag}"
                    user = call(conn, "create_user", {"target_user": {"username": f"{name}@example.com"}})
                    group = call(conn, "create_group", {"target_group": {"name": name, "priority": 50}})
                    u, g = user.get("user"), group.get("group")
                    if u and g:
                        call(
                            conn,
                            "add_user_group",
                            {
                                "target_user": {"user_id": u["user_id"]},
                                "target_group": {"group_id": g["group_id"]},
                            },
                        )
                        with lock:
                            created.append((f"{name}@example.com", u["user_id"], name, g["group_id"]))
                elif mix == "images":
                    call(conn, "get_images", {})
                else:
                    name = ("get_images", "get_users", "get_groups")[i % 3]
                    call(conn, name, {"page": 0, "page_size": 100} if name == "get_users" else {})
        finally:
            conn.close()

    pool = [threading.Thread(target=worker, args=(first + n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {
        "latencies": dict(latencies),
        "failures": dict(failures),
        "examples": examples,
        "created": created,
    }


def _run_client_process(args: tuple[Any, ...]) -> dict[str, Any]:
    return client_process(*args)


def wait_until_serving(port: int, auth: dict[str, str], server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the local server exited with status {server.returncode}")
        try:
            conn = Connection(port, auth)
            try:
                status, payload = conn.post("get_images", {})
            finally:
                conn.close()
            if status == 200 and "images" in payload:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the local server did not answer within 60 s")


def server_command() -> list[str]:
    found = shutil.which("terraform-provider-kasm", path=str(Path(sys.executable).parent))
    found = found or shutil.which("terraform-provider-kasm")
    return [found] if found else [sys.executable, "-m", "terraform_provider_kasm"]


def hexid(value: str) -> str:
    """Kasm answers ids with or without dashes depending on the call."""
    return value.replace("-", "").lower()


def check_lost_writes(port: int, auth: dict[str, str], created: list[tuple[str, str, str, str]]) -> int:
    """Counts created users/groups (or memberships) that the server does not list."""
    conn = Connection(port, auth)
    try:
        users: dict[str, dict[str, Any]] = {}
        page = 0
        while True:
            _, payload = conn.post("get_users", {"page": page, "page_size": 500})
            batch = payload.get("users") or []
            users.update({hexid(u["user_id"]): u for u in batch})
            if len(batch) < 500:
                break
            page += 1
        _, payload = conn.post("get_groups", {})
        groups = {hexid(g["group_id"]): g for g in payload.get("groups") or []}
    finally:
        conn.close()
    lost: dict[str, int] = defaultdict(int)
    for username, user_id, group_name, group_id in created:
        user = users.get(hexid(user_id))
        group = groups.get(hexid(group_id))
        if user is None or user.get("username") != username:
            lost["users"] += 1
        if group is None or group.get("name") != group_name:
            lost["groups"] += 1
        if user is not None and hexid(group_id) not in {
            hexid(g.get("group_id") or "") for g in user.get("groups") or []
        }:
            lost["memberships"] += 1
    if lost:
        print(
            f"lost writes: {dict(lost)} (server lists {len(users)} users, {len(groups)} groups)",
            file=sys.stderr,
        )
    return sum(lost.values())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mix", choices=["read", "images", "write", "mixed"], default="mixed")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (threads in all)")
    parser.add_argument("--procs", type=int, default=5, help="client processes the clients are spread over")
    parser.add_argument("--calls", type=int, default=40, help="iterations per client")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite in a temporary directory)")
    parser.add_argument("--server-arg", action="append", default=[], help="extra server option (repeatable)")
    args = parser.parse_args(argv)
    procs = max(1, min(args.procs, args.clients))

    with tempfile.TemporaryDirectory(prefix="kasm-bench-") as directory:
        key, secret = secrets.token_hex(6), secrets.token_hex(16)
        auth = {"api_key": key, "api_key_secret": secret}
        db = args.db or str(Path(directory) / "bench.sqlite3")
        port = free_port()
        command = [
            *server_command(),
            "server",
            *("--db", db, "--host", "127.0.0.1", "--port", str(port)),
            *("--api-key", key, "--api-secret", secret, "--session-start-seconds", "0"),
            *("--log-level", "warning"),
            *args.server_arg,
        ]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ})
        try:
            wait_until_serving(port, auth, server)
            control = Connection(port, auth)
            control.conn.request("POST", "/_local/calls/reset", headers=control.control_headers)
            control.conn.getresponse().read()
            control.close()
            start_at = time.time() + 0.5 + 0.1 * procs
            per = [args.clients // procs + (1 if n < args.clients % procs else 0) for n in range(procs)]
            jobs = [(port, auth, args.mix, per[n], args.calls, sum(per[:n]), start_at) for n in range(procs)]
            with multiprocessing.get_context("spawn").Pool(procs) as pool:
                results = pool.map(_run_client_process, jobs)
            ends = time.time()
            control.close()  # idle past the server's keep-alive timeout: a new connection
            control = Connection(port, auth)
            counted = control.get("/_local/calls")["calls"]
            control.close()
            created = [c for r in results for c in r["created"]]
            lost = check_lost_writes(port, auth, created) if created else 0
        finally:
            server.terminate()
            server.wait(20)

    latencies: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    examples: dict[str, str] = {}
    for result in results:
        for name, values in result["latencies"].items():
            latencies[name].extend(values)
        for name, count in result["failures"].items():
            failures[name] += count
        for name, text in result["examples"].items():
            examples.setdefault(name, text)
    # Wall time: from the common start to the last process's end (pool start-up excluded).
    wall = ends - start_at
    total = sum(len(v) for v in latencies.values())
    every = [x for v in latencies.values() for x in v]
    kind = "sqlite" if "://" not in db else db.split(":", 1)[0]
    print(
        f"database: {kind}, mix {args.mix}, {args.clients} clients in {procs} processes, server in its own process"
    )
    print(
        f"{total} requests in {wall:.2f} s: {total / wall:.0f} requests/s; "
        f"p50 {percentile(every, 0.5) * 1000:.1f} ms, p99 {percentile(every, 0.99) * 1000:.1f} ms"
    )
    print(f"{'call':<18}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'failed':>8}")
    for name, values in sorted(latencies.items()):
        print(
            f"{name:<18}{len(values):>7}{percentile(values, 0.5) * 1000:>9.1f}{percentile(values, 0.95) * 1000:>9.1f}"
            f"{percentile(values, 0.99) * 1000:>9.1f}{statistics.mean(values) * 1000:>9.1f}{failures[name]:>8}"
        )
    for name, text in examples.items():
        print(f"first failure of {name}: {text}", file=sys.stderr)
    errors = sum(failures.values())
    if created or args.mix in ("write", "mixed"):
        print(f"writes: {len(created)} users and {len(created)} groups created, lost writes: {lost}")
    print(f"errors: {errors}")
    made = {name: len(values) for name, values in latencies.items()}
    if counted != made:
        print(f"server counted {counted}, clients made {made}", file=sys.stderr)
        return 1
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
