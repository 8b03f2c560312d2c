"""Throughput and latency of the local Kasm server, per call, under concurrent clients.

Runs the server in-process on a free loopback port (uvicorn in a thread; SQLite in a temporary directory
unless ``--db`` names another database, e.g. a PostgreSQL URL), then ``--workers`` threads each make
``--calls`` requests of the chosen mix over keep-alive connections:

* ``read``: ``get_images``, ``get_users`` (100 per page), ``get_groups``;
* ``write``: ``create_user`` then ``add_user_group`` (a new member of one shared group);
* ``mixed``: both, alternating.

It prints requests per second, p50/p95/p99 latency per call, any non-200 or ``error_message`` answers,
and checks the server's own count (``GET /_local/calls``) against the requests made.

    python bench/server_throughput.py [--mix mixed] [--workers 8] [--calls 200] [--db URL]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.runner import BackgroundServer
from terraform_provider_kasm.server.settings import ServerSettings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mix", choices=["read", "write", "mixed"], default="mixed")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--calls", type=int, default=200, help="requests per worker")
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite in a temporary directory)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kasm-bench-") as directory:
        key, secret = secrets.token_hex(6), secrets.token_hex(16)
        settings = ServerSettings(
            database_url=args.db or f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            api_key=key,
            api_secret=secret,
            session_start_seconds=0,
        )
        app = create_app(settings)
        auth = {"api_key": key, "api_key_secret": secret}
        latencies: dict[str, list[float]] = defaultdict(list)
        failures: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        with BackgroundServer(app) as server:
            with httpx.Client(base_url=server.base_url) as client:
                group = client.post(
                    "/api/public/create_group",
                    json={**auth, "target_group": {"name": f"bench-{secrets.token_hex(3)}", "priority": 50}},
                ).json()["group"]
                client.post("/_local/calls/reset")

            def call(client: httpx.Client, name: str, body: dict[str, Any]) -> dict[str, Any]:
                start = time.perf_counter()
                response = client.post(f"/api/public/{name}", json={**auth, **body})
                elapsed = time.perf_counter() - start
                payload: dict[str, Any] = response.json()
                with lock:
                    latencies[name].append(elapsed)
                    if response.status_code != 200 or "error_message" in payload:
                        failures[name] += 1
                return payload

            def worker(index: int) -> None:
                with httpx.Client(base_url=server.base_url, timeout=120) as client:
                    for i in range(args.calls):
                        write = args.mix == "write" or (args.mix == "mixed" and i % 2)
                        if write:
                            user = call(
                                client,
                                "create_user",
                                {
                                    "target_user": {
                                        "username": f"bench-{index}-{i}-{secrets.token_hex(3)}@example.com"
                                    }
                                },
                            ).get("user")
                            if user:
                                call(client, "add_user_group", {"target_user": user, "target_group": group})
                        else:
                            name = ("get_images", "get_users", "get_groups")[i % 3]
                            body: dict[str, Any] = (
                                {"page": 0, "page_size": 100} if name == "get_users" else {}
                            )
                            call(client, name, body)

            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.workers) as pool:
                list(pool.map(worker, range(args.workers)))
            wall = time.perf_counter() - start
            with httpx.Client(base_url=server.base_url) as client:
                counted = client.get("/_local/calls").json()["calls"]
        app.state.kasm.db.dispose()

    total = sum(len(v) for v in latencies.values())
    print(f"database: {settings.database_url.split(':', 1)[0]}, mix {args.mix}, {args.workers} workers")
    print(f"{total} requests in {wall:.2f} s: {total / wall:.0f} requests/s")
    print(f"{'call':<18}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'failed':>8}")
    for name, values in sorted(latencies.items()):
        print(
            f"{name:<18}{len(values):>7}{percentile(values, 0.5) * 1000:>9.1f}{percentile(values, 0.95) * 1000:>9.1f}"
            f"{percentile(values, 0.99) * 1000:>9.1f}{statistics.mean(values) * 1000:>9.1f}{failures[name]:>8}"
        )
    made = {name: len(values) for name, values in latencies.items()}
    if counted != made:
        print(f"server counted {counted}, clients made {made}", file=sys.stderr)
        return 1
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
