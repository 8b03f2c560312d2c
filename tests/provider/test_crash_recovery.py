"""Issue 11 item 3 with real Terraform: after the plugin is killed (SIGKILL) mid-apply, the
documented recovery (``KASM_ADOPT_EXISTING=true terraform apply``) converges with no manual editing
of state; and a small kill-and-fault suite (tests/fixtures/crash.py; bench/kill_and_fault.py runs
it larger) mixing the local server's faults with plugin kills."""

from __future__ import annotations

import time
from collections.abc import Callable

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.crash import Trial, plan_trials, reusing_init, run_suite, run_trial
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform


def test_a_plugin_killed_mid_apply_of_50_users_converges_with_adopt_existing(
    kasm_tf: Callable[..., Terraform], kasm_server: KasmServer, kasm_client: KasmClient
) -> None:
    started = time.monotonic()
    outcome = run_trial(
        Trial(index=0, users=50, fault=None, kill_after=15),
        kasm_tf,
        kasm_server,
        kasm_client,
        check_without_adoption=True,
    )
    took = time.monotonic() - started
    print(
        f"killed={outcome.killed} left_behind={outcome.left_behind} "
        f"refused_without_adoption={outcome.refused_without_adoption} converged={outcome.converged} "
        f"{took:.1f}s"
    )
    assert outcome.killed and outcome.interrupted_exit != 0, outcome
    # The crash left users made but never recorded: without adoption each one is refused, naming
    # its import command (the failure of issue 11, item 3).
    assert outcome.left_behind > 0, outcome
    assert outcome.refused_without_adoption == outcome.left_behind, outcome
    # One apply with adoption on: 50 in state, exactly 50 on the server, none twice, plan empty.
    assert outcome.recovery_exit == 0, outcome.detail
    assert outcome.orphans == 0 and outcome.duplicates == 0, outcome
    assert outcome.converged, outcome.detail
    assert took < 120, took  # about 30 s on 2 idle cores


def test_kill_and_fault_suite(
    terraform: Callable[..., Terraform],
    kasm_env: dict[str, str],
    kasm_server: KasmServer,
    kasm_client: KasmClient,
) -> None:
    trials = plan_trials(3, users=6)
    assert any(t.kill_after for t in trials) and any(t.fault for t in trials)
    started = time.monotonic()
    summary = run_suite(
        trials, reusing_init(lambda hcl: terraform(hcl, env=kasm_env)), kasm_server, kasm_client
    )
    print(f"{summary.line()} in {time.monotonic() - started:.1f}s")
    print(summary.details())
    assert summary.orphans == 0 and summary.duplicates == 0, summary.details()
    assert summary.converged == summary.trials, summary.details()
    assert any(o.killed for o in summary.outcomes), summary.details()
