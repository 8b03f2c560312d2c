"""The repository's docs/ and examples/: up to date, complete, and valid for a real Terraform."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest

from terraform_provider_kasm.provider.provider import provider_factory
from terraform_provider_kasm.tfplugin.diagnostics import DiagnosticError
from terraform_provider_kasm.tfplugin.docs import page_sources
from terraform_provider_kasm.tfplugin.resource import ResourceContext
from tests.fixtures.terraform import REPO_ROOT, Terraform

EXAMPLES = REPO_ROOT / "examples"
DOCS = REPO_ROOT / "docs"
#: Dummy settings, in case anything reaches the provider's configure (validate does not).
DUMMY_KASM_ENV = {
    "KASM_BASE_URL": "http://127.0.0.1:9",
    "KASM_API_KEY": "dummy-key",
    "KASM_API_SECRET": "dummy-secret",
}


def load_gen_docs() -> ModuleType:
    """scripts/gen-docs as a module (it has no .py suffix)."""
    path = REPO_ROOT / "scripts" / "gen-docs"
    loader = importlib.machinery.SourceFileLoader("gen_docs", str(path))
    spec = importlib.util.spec_from_loader("gen_docs", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_docs_are_up_to_date() -> None:
    diff = load_gen_docs().check(DOCS)
    assert not diff, (
        "docs/ does not match the provider schemas and examples/: run scripts/gen-docs and commit docs/.\n"
        + diff.summary()
    )


def test_gen_docs_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The script's write and --check modes, on a scratch docs directory."""
    gen_docs = load_gen_docs()
    scratch = tmp_path / "docs"
    monkeypatch.setattr(gen_docs, "DOCS_DIR", scratch)

    assert gen_docs.main(["--check"]) == 1
    assert "is stale; run scripts/gen-docs" in capsys.readouterr().err
    assert gen_docs.main([]) == 0
    assert capsys.readouterr().out.count("wrote ") == len(gen_docs.pages())
    assert gen_docs.main(["--check"]) == 0
    assert sorted(p.relative_to(scratch).as_posix() for p in scratch.rglob("*.md")) == sorted(
        gen_docs.pages()
    )

    (scratch / "resources" / "removed.md").write_text((scratch / "index.md").read_text())
    assert gen_docs.main(["--check"]) == 1
    assert "no longer generated: resources/removed.md" in capsys.readouterr().err
    assert gen_docs.main([]) == 0
    assert not (scratch / "resources" / "removed.md").exists()


def test_every_type_has_a_page_and_examples() -> None:
    provider = provider_factory()
    missing = []
    for source in page_sources(provider, EXAMPLES):
        if not (DOCS / source.path).is_file():
            missing.append(f"docs/{source.path} (page of {source.type_name})")
        if not source.example.is_file():
            missing.append(str(source.example.relative_to(REPO_ROOT)))
        for path in (source.import_example, source.import_block_example):
            if path is not None and not path.is_file():
                missing.append(str(path.relative_to(REPO_ROOT)))
    assert not missing, "missing documentation files:\n" + "\n".join(missing)


def test_permissions_table_lists_every_type() -> None:
    """templates/index.md's hand-written permissions table has a row per resource and data source."""
    provider = provider_factory()
    rows = set(re.findall(r"^\| `([a-z_.]+)` \|", (REPO_ROOT / "templates" / "index.md").read_text(), re.M))
    expected = {r.type_name for r in provider.get_resources()} | {
        f"data.{d.type_name}" for d in provider.get_data_sources()
    }
    assert rows == expected, (
        f"templates/index.md permissions rows: missing {expected - rows}, unknown {rows - expected}"
    )


def test_no_examples_of_unknown_types() -> None:
    provider = provider_factory()
    known = {
        "resources": {r.type_name for r in provider.get_resources()},
        "data-sources": {d.type_name for d in provider.get_data_sources()},
    }
    for kind, names in known.items():
        found = {p.name for p in (EXAMPLES / kind).iterdir() if p.is_dir()}
        assert found <= names, (
            f"examples/{kind} has directories for unregistered types: {sorted(found - names)}"
        )


_IMPORT_LINE = re.compile(r"^terraform import (\S+) (\S+)$")


@pytest.mark.parametrize("resource", provider_factory().get_resources(), ids=lambda r: r.type_name)
def test_import_examples_match_the_resource(resource: object) -> None:
    """Each import.sh line names a resource of the example and an ID of a form import_state accepts."""
    from terraform_provider_kasm.tfplugin.resource import Resource

    assert isinstance(resource, Resource)
    folder = EXAMPLES / "resources" / resource.type_name
    import_sh = folder / "import.sh"
    if not import_sh.is_file():
        pytest.fail(f"{import_sh.relative_to(REPO_ROOT)} is missing")
    declared = set(
        re.findall(rf'^resource "{resource.type_name}" "([^"]+)"', (folder / "resource.tf").read_text(), re.M)
    )
    commands = [
        line.strip()
        for line in import_sh.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands, "import.sh has no terraform import command"
    for command in commands:
        match = _IMPORT_LINE.match(command)
        assert match, f"not a terraform import command: {command!r}"
        address, import_id = match.groups()
        type_name, _, name = address.partition(".")
        assert type_name == resource.type_name and name in declared, (
            f"{address} is not a resource of {folder.relative_to(REPO_ROOT)}/resource.tf ({sorted(declared)})"
        )
        # Without a configured provider, an ID that needs a lookup (name:…) fails for that reason;
        # what must never happen is a rejection of the ID's form.
        try:
            state = resource.import_state(ResourceContext(type_name=resource.type_name), import_id)
        except DiagnosticError as e:
            assert e.summary != "Invalid import ID", f"{import_id!r}: {e.summary}: {e.detail}"
        else:
            assert state.get("id"), f"import_state({import_id!r}) gave no id: {state}"


_IMPORT_BLOCK = re.compile(r'^import \{\n  to = (\S+)\n  id = "([^"]+)"\n\}$', re.M)


@pytest.mark.parametrize("resource", provider_factory().get_resources(), ids=lambda r: r.type_name)
def test_import_block_examples_match_the_resource(resource: object) -> None:
    """Each import-by-string-id.tf block imports into a resource of the example, with an ID of a form
    import_state accepts, and its page shows it beside the terraform import command."""
    from terraform_provider_kasm.tfplugin.resource import Resource

    assert isinstance(resource, Resource)
    folder = EXAMPLES / "resources" / resource.type_name
    text = (folder / "import-by-string-id.tf").read_text()
    declared = set(
        re.findall(rf'^resource "{resource.type_name}" "([^"]+)"', (folder / "resource.tf").read_text(), re.M)
    )
    blocks = _IMPORT_BLOCK.findall(text)
    assert blocks and text.count("import {") == len(blocks), f"unexpected import blocks in {folder}: {text}"
    for address, import_id in blocks:
        type_name, _, name = address.partition(".")
        assert type_name == resource.type_name and name in declared, address
        state = resource.import_state(ResourceContext(type_name=resource.type_name), import_id)
        assert state.get("id"), f"import_state({import_id!r}) gave no id: {state}"
    page = next(s for s in page_sources(provider_factory(), EXAMPLES) if s.type_name == resource.type_name)
    rendered = (DOCS / page.path).read_text()
    section = rendered[rendered.index("## Import") :]
    assert "```terraform\n" + text.strip() in section and "terraform import " in section


def _supports_import_blocks(tf: Terraform) -> bool:
    version = json.loads(tf.run("version", "-json").stdout)["terraform_version"]
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor) >= (1, 5)


def example_dirs() -> list[Path]:
    return sorted({p.parent for p in EXAMPLES.rglob("*.tf")})


@pytest.mark.terraform
def test_examples_pass_terraform_validate(
    terraform: Callable[..., Terraform], terraform_base_env: dict[str, str]
) -> None:
    """``terraform validate`` of every example directory, with the real provider schema.

    One ``init`` installs the provider under both of its addresses (examples with a
    ``required_providers`` block use kasmtech/kasm, the others hashicorp/kasm); every example then
    validates against that data directory and lock file, in parallel.
    """
    init = terraform(
        'terraform {\n  required_providers {\n    kasm = { source = "kasmtech/kasm" }\n'
        '    kasm-implicit = { source = "hashicorp/kasm" }\n  }\n}\n',
        name="init",
    )
    init.init()
    env = {"TF_DATA_DIR": str(init.workdir / ".terraform"), **DUMMY_KASM_ENV}

    dirs = example_dirs()
    assert {d.relative_to(EXAMPLES).parts[0] for d in dirs} >= {
        "provider",
        "resources",
        "data-sources",
        "workflow",
    }
    import_blocks = _supports_import_blocks(init)
    workdirs = []
    for example in dirs:
        tf = terraform(env=env, name=example.relative_to(EXAMPLES).as_posix().replace("/", "-"))
        for tf_file in example.glob("*.tf"):
            if tf_file.name.startswith("import-") and not import_blocks:
                continue  # an import {} block needs Terraform >= 1.5
            shutil.copy(tf_file, tf.workdir)
        shutil.copy(init.workdir / ".terraform.lock.hcl", tf.workdir)
        workdirs.append((example, tf))

    def validate(item: tuple[Path, Terraform]) -> str | None:
        example, tf = item
        result = tf.run("validate", "-json", "-no-color", expect=None)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            return f"{example.relative_to(REPO_ROOT)}: exit {result.returncode}\n{result.output}"
        if not report.get("valid") or report.get("warning_count"):
            messages = [
                f"  {d.get('severity')}: {d.get('summary')}: {d.get('detail', '')}"
                for d in report.get("diagnostics", [])
            ]
            return f"{example.relative_to(REPO_ROOT)}:\n" + "\n".join(messages)
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f for f in pool.map(validate, workdirs) if f]
    assert not failures, "terraform validate failed:\n" + "\n".join(failures)


@pytest.mark.parametrize("resource", provider_factory().get_resources(), ids=lambda r: r.type_name)
def test_descriptions_leave_import_to_the_import_section(resource: object) -> None:
    """How to import is said once, by the page's Import section (from import.sh and
    import-by-string-id.tf), not again in the resource's description."""
    from terraform_provider_kasm.tfplugin.resource import Resource

    assert isinstance(resource, Resource)
    text = resource.schema.markdown_description or resource.schema.description or ""
    assert not re.search(r"Import (with|by)|terraform import \S+\.", text), text
