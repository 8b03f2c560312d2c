"""Scale of ``terraform-provider-kasm export``: a Kasm of N users, M groups and K memberships (spread
over the groups), populated through the API, exported in-process; prints the wall time, the HTTP calls
per endpoint and per object (counted at the server), and the exporting process's peak memory.

Starts the local server as in ``provider_scale.py`` (its own process, SQLite in a temporary
directory). Memberships and users are made with ``create_user`` / ``add_user_group``, one call each.

    python bench/export_scale.py [--users 10000 --groups 500 --memberships 10000] [--quick]

``--quick``: 200 users, 10 groups, 200 memberships (a smoke check).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from provider_scale import environment

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.export import exporter
from terraform_provider_kasm.provider.context import KasmData


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--memberships", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    ns = parser.parse_args()
    if ns.quick:
        ns.users, ns.groups, ns.memberships = 200, 10, 200
    with environment(keep=False) as (tmp, server):
        with KasmClient(server.base_url, server.api_key, server.api_secret) as client:
            started = time.monotonic()
            users = [
                client.users.create(f"user{i:05d}", password="Bench-Passw0rd!").user_id
                for i in range(ns.users)
            ]
            groups = [
                client.groups.create(f"group{i:04d}", priority=10 + i % 4000).group_id
                for i in range(ns.groups)
            ]
            for i in range(ns.memberships):
                # Membership i: user i mod N in group i mod M (distinct pairs while K <= N).
                client.groups.add_user(groups[i % len(groups)], users[i % len(users)])
            print(
                f"populated {ns.users} users, {ns.groups} groups, {ns.memberships} memberships "
                f"in {time.monotonic() - started:.1f}s"
            )
            server.reset_calls()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.monotonic()
            result = exporter.run(KasmData(client), exporter.Options(out=tmp / "out"), progress=None)
            elapsed = time.monotonic() - started
            size = sum(p.stat().st_size for p in result.files)
        calls = server.calls()
    objects = sum(result.counts.values())
    total = sum(calls.values())
    print(f"exported {objects} resources ({dict((k, v) for k, v in result.counts.items() if v)})")
    print(
        f"wall time {elapsed:.1f}s ({objects / elapsed:.0f} objects/s), {len(result.files)} files, {size / 1e6:.1f} MB"
    )
    print(
        f"HTTP calls {total} ({total / max(objects, 1):.2f} per object): "
        + ", ".join(f"{k}={v}" for k, v in sorted(calls.items()))
    )
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the exporting process {rss_mib:.0f} MiB ({rss_before:.0f} MiB before the export)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
