"""The HCL writer: values exactly as Terraform reads them, names valid and unique, layout as
``terraform fmt`` writes it (the real-Terraform test runs ``fmt -check`` on a whole export)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terraform_provider_kasm.export import hcl


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain", '"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("two\nlines\ttab", r'"two\nlines\ttab"'),
        ("${var.x} and %{ if }", '"$${var.x} and %%{ if }"'),
        ("$ alone, % alone", '"$ alone, % alone"'),
        ("\x01", r'"\u0001"'),
        ("ünïcode", '"ünïcode"'),
    ],
)
def test_quote_is_literal(text: str, written: str) -> None:
    assert hcl.quote(text) == written


def test_values() -> None:
    assert hcl.value(None) == "null"
    assert hcl.value(True) == "true" and hcl.value(0) == "0"
    assert hcl.value(2.0) == "2" and hcl.value(2.5) == "2.5" and hcl.value(Decimal("0.10")) == "0.10"
    assert hcl.value(Decimal("3.000")) == "3"
    assert hcl.value(["a", 1]) == '["a", 1]' and hcl.value([]) == "[]" and hcl.value({}) == "{}"
    assert hcl.value({"k": "v", "two words": 1, "for": 2}) == '{ k = "v", "two words" = 1, "for" = 2 }'
    assert hcl.value(hcl.Expr("kasm_group.ops.id")) == "kasm_group.ops.id"
    with pytest.raises(TypeError):
        hcl.value(object())


def test_block_aligns_equals_and_separates_nested_blocks() -> None:
    block = hcl.Block(
        "resource",
        ["kasm_user", "bob"],
        {"username": "bob", "groups": []},
        [hcl.Block("lifecycle", (), {"prevent_destroy": True})],
    )
    assert block.render() == (
        'resource "kasm_user" "bob" {\n'
        '  username = "bob"\n'
        "  groups   = []\n"
        "\n"
        "  lifecycle {\n"
        "    prevent_destroy = true\n"
        "  }\n"
        "}\n"
    )
    assert hcl.Block("data", ["kasm_zones", "all"], {}).render() == 'data "kasm_zones" "all" {\n}\n'


def test_document_header_and_spacing() -> None:
    text = hcl.document([hcl.Block("a", ()), hcl.Block("b", ())], header="one\ntwo")
    assert text == "# one\n# two\n\na {\n}\n\nb {\n}\n"


@pytest.mark.parametrize(
    ("name", "fallback", "expected"),
    [
        ("Ops Team", "group", "ops_team"),
        ("alice@example.com", "user", "alice_example_com"),
        ("1carol", "user", "u_1carol"),
        ("--", "user", "user"),
        ("Ünï", "x", "n"),
        ("a__b", "x", "a_b"),
    ],
)
def test_identifier(name: str, fallback: str, expected: str) -> None:
    assert hcl.identifier(name, fallback) == expected


def test_names_are_unique_in_order() -> None:
    names = hcl.Names()
    assert [names.take(n) for n in ("ops", "ops", "ops_2", "ops")] == ["ops", "ops_2", "ops_2_2", "ops_3"]


def test_every_resource_type_is_exported_or_excluded_with_a_reason() -> None:
    from terraform_provider_kasm.export.exporter import KIND_BY_TYPE, KINDS, NOT_EXPORTED
    from terraform_provider_kasm.provider.provider import KasmProvider

    served = {r.type_name for r in KasmProvider.resources}
    assert served == set(KIND_BY_TYPE) | set(NOT_EXPORTED)
    assert not set(KIND_BY_TYPE) & set(NOT_EXPORTED)
    # Dependency order: a type refers only to types written before it.
    order = [k.type_name for k in KINDS]
    for kind in KINDS:
        for target in kind.references.values():
            assert order.index(target) < order.index(kind.type_name), (kind.type_name, target)
