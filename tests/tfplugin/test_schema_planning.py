"""The schema model, validators and the default planning, without gRPC."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.tfplugin import schema as s
from terraform_provider_kasm.tfplugin.diagnostics import Diagnostics, Key, format_path
from terraform_provider_kasm.tfplugin.planning import null_write_only, plan_resource_change, validate
from terraform_provider_kasm.tfplugin.types import UNKNOWN, List, Map, Number, Object, String

SCHEMA = s.Schema(
    attributes={
        "id": s.Attribute(String, computed=True, plan_modifiers=[s.UseStateForUnknown()]),
        "name": s.Attribute(String, required=True, validators=[s.LengthBetween(1, 5)]),
        "kind": s.Attribute(String, optional=True, validators=[s.OneOf("a", "b")]),
        "code": s.Attribute(
            String, optional=True, validators=[s.RegexMatches(r"^[a-z]+$", "must be lowercase letters")]
        ),
        "count": s.Attribute(
            Number, optional=True, computed=True, default=2, validators=[s.IntBetween(1, 9)]
        ),
        "image": s.Attribute(String, optional=True, plan_modifiers=[s.RequiresReplace()]),
        "size": s.Attribute(
            Number,
            optional=True,
            plan_modifiers=[
                s.RequiresReplaceIf(lambda prior, planned: planned < prior, "shrinking replaces")
            ],
        ),
        "status": s.Attribute(String, computed=True),
        "password_wo": s.Attribute(String, optional=True, write_only=True),
        "old": s.Attribute(String, optional=True, deprecated="Use name instead."),
        "labels": s.Attribute(Map(String), optional=True, validators=[s.LengthBetween(0, 2)]),
        "even": s.Attribute(
            Number,
            optional=True,
            validators=[s.FuncValidator(lambda v: None if v % 2 == 0 else "must be even")],
        ),
        "rules": s.Attribute(
            nested=s.NestedAttributes(
                s.NestingMode.LIST,
                {
                    "port": s.Attribute(Number, required=True, validators=[s.IntBetween(1, 10)]),
                    "uid": s.Attribute(String, computed=True),
                },
            ),
            optional=True,
        ),
    },
    blocks={
        "settings": s.Block(
            s.NestingMode.MAP,
            attributes={"value": s.Attribute(String, required=True, validators=[s.LengthBetween(1, 3)])},
        ),
        "timeouts": s.Block(s.NestingMode.SINGLE, attributes={"create": s.Attribute(String, optional=True)}),
    },
)
T = SCHEMA.value_type


def config(**values: Any) -> dict[str, Any]:
    out = SCHEMA.empty_value()
    out.update(values)
    return out


def check(cfg: dict[str, Any], write_only_allowed: bool = True) -> dict[str, str]:
    diags = Diagnostics()
    validate(SCHEMA, cfg, diags, write_only_allowed=write_only_allowed)
    return {format_path(d.attribute or ()): d.detail for d in diags}


def test_value_type_and_empty_value() -> None:
    assert T.attributes["rules"] == List(Object({"port": Number, "uid": String}))
    assert T.attributes["settings"] == Map(Object({"value": String}))
    assert SCHEMA.empty_value()["settings"] == {} and SCHEMA.empty_value()["timeouts"] is None


def test_validators() -> None:
    found = check(
        config(
            name="toolong",
            kind="c",
            code="ABC",
            count=10,
            even=3,
            old="x",
            labels={"a": "1", "b": "2", "c": "3"},
            rules=[{"port": 11, "uid": None}],
            settings={"s": {"value": "long"}},
        )
    )
    assert found == {
        "name": "Attribute name must be between 1 and 5 characters long, got 7.",
        "kind": 'Attribute kind must be one of: "a", "b".',
        "code": "Attribute code must be lowercase letters.",
        "count": "Attribute count must be between 1 and 9, got 10.",
        "even": "Attribute even: must be even",
        "old": "Use name instead.",
        "labels": "Attribute labels must be between 0 and 2 elements long, got 3.",
        "rules[0].port": "Attribute rules[0].port must be between 1 and 10, got 11.",
        'settings["s"].value': 'Attribute settings["s"].value must be between 1 and 3 characters long, got 4.',
    }
    assert check(config(name="ok", count=2.5))["count"] == "Attribute count must be a whole number."
    assert check(config(name="ok")) == {}


def test_validators_skip_unknown_and_null() -> None:
    assert (
        check(config(name=UNKNOWN, kind=UNKNOWN, labels={"a": UNKNOWN, "b": "x", "c": "y"}, rules=UNKNOWN))
        == {}
    )


def test_write_only_needs_the_capability() -> None:
    assert "password_wo" in check(config(name="a", password_wo="x"), write_only_allowed=False)
    assert check(config(name="a", password_wo="x"), write_only_allowed=True) == {}


def test_invalid_attribute_definitions() -> None:
    with pytest.raises(ValueError):
        s.Attribute(String)
    with pytest.raises(ValueError):
        s.Attribute(String, required=True, computed=True)
    with pytest.raises(ValueError):
        s.Attribute(String, optional=True, default="x")
    with pytest.raises(ValueError):
        s.Attribute(String, computed=True, write_only=True)
    with pytest.raises(ValueError):
        s.Attribute(String, nested=s.NestedAttributes(s.NestingMode.SINGLE, {}), optional=True)


def test_create_plan() -> None:
    cfg = config(name="n", password_wo="pw", rules=[{"port": 1, "uid": None}])
    planned, replace = plan_resource_change(SCHEMA, T, None, cfg, cfg)
    assert planned is not None and replace == []
    assert planned["id"] is UNKNOWN and planned["status"] is UNKNOWN
    assert planned["count"] == 2  # default
    assert planned["password_wo"] is None
    assert planned["rules"] == [{"port": 1, "uid": UNKNOWN}]
    assert cfg["password_wo"] == "pw"  # inputs are not mutated


def state(**values: Any) -> dict[str, Any]:
    return config(**{"id": "i1", "name": "n", "count": 2, "status": "ok", **values})


def proposed_from(prior: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    out = dict(cfg)
    for name, attr in SCHEMA.attributes.items():
        if attr.computed and cfg.get(name) is None:
            out[name] = prior[name]
    return out


def test_update_plans() -> None:
    prior = state(image="img1", size=5)
    same = config(name="n", image="img1", size=5)
    planned, replace = plan_resource_change(SCHEMA, T, prior, proposed_from(prior, same), same)
    assert planned == prior and replace == []

    changed = config(name="m", image="img1", size=5)
    planned, replace = plan_resource_change(SCHEMA, T, prior, proposed_from(prior, changed), changed)
    assert planned is not None
    assert planned["id"] == "i1"  # UseStateForUnknown
    assert planned["status"] is UNKNOWN
    assert planned["count"] == 2  # defaults are not unknown
    assert replace == []

    # Removing a value that has a default plans the default, not the prior value.
    reset = config(name="n", image="img1", size=5)
    planned, _ = plan_resource_change(
        SCHEMA, T, state(image="img1", size=5, count=7), proposed_from(state(count=7), reset), reset
    )
    assert planned is not None and planned["count"] == 2

    new_image = config(name="n", image="img2", size=5)
    _, replace = plan_resource_change(SCHEMA, T, prior, proposed_from(prior, new_image), new_image)
    assert replace == [("image",)]

    bigger = config(name="n", image="img1", size=6)
    _, replace = plan_resource_change(SCHEMA, T, prior, proposed_from(prior, bigger), bigger)
    assert replace == []
    smaller = config(name="n", image="img1", size=4)
    _, replace = plan_resource_change(SCHEMA, T, prior, proposed_from(prior, smaller), smaller)
    assert replace == [("size",)]


def test_destroy_plan() -> None:
    assert plan_resource_change(SCHEMA, T, state(), None, None) == (None, [])


def test_null_write_only_and_paths() -> None:
    assert null_write_only(SCHEMA, config(password_wo="x"))["password_wo"] is None  # type: ignore[index]
    assert format_path(("a", 0, Key("k"), "b")) == 'a[0]["k"].b'


# --- read-only and required attributes ---------------------------------------------------------------


def test_read_only_and_required_attributes() -> None:
    diags = Diagnostics()
    validate(SCHEMA, config(name=None, status="x", id=UNKNOWN, rules=[{"port": 1, "uid": "u"}]), diags)
    found = {format_path(d.attribute or ()): (d.summary, d.detail) for d in diags}
    assert found["status"][0] == "Invalid Configuration for Read-Only Attribute"
    assert "Remove the configuration line setting the value" in found["status"][1]
    assert "id" in found  # an unknown value is a value too
    assert "rules[0].uid" in found  # nested attributes as well
    assert found["name"][0] == "Missing Configuration for Required Attribute"
    assert "the name attribute" in found["name"][1]
    assert len(diags) == 4


# --- descriptions ------------------------------------------------------------------------------------


def test_plain_description_is_derived_from_markdown() -> None:
    attr = s.Attribute(
        String,
        optional=True,
        markdown_description="The **id** of a `kasm_group`, see [the docs](https://x.example/y) or *that*; password_wo_version stays.",
    )
    assert attr.description == "The id of a kasm_group, see the docs or that; password_wo_version stays."
    assert attr.markdown_description and attr.markdown_description.startswith("The **id**")
    assert s.Schema(markdown_description="# Title\nA `b`.").description == "Title\nA b."
    assert s.Block(s.NestingMode.SINGLE, markdown_description="_x_").description == "x"
    given = s.Attribute(String, optional=True, description="plain", markdown_description="**md**")
    assert given.description == "plain"


# --- config validators -------------------------------------------------------------------------------

RULES = s.Schema(
    attributes={
        "password": s.Attribute(
            String,
            optional=True,
            sensitive=True,
            validators=[s.ConflictsWith("password_wo"), s.AtLeastOneOf("password_wo", on_create=True)],
        ),
        "password_wo": s.Attribute(String, optional=True, write_only=True),
        "password_wo_version": s.Attribute(Number, optional=True, validators=[s.RequiredWith("password_wo")]),
        "a": s.Attribute(String, optional=True, validators=[s.ExactlyOneOf("b")]),
        "b": s.Attribute(String, optional=True),
        "c": s.Attribute(String, optional=True),
        "d": s.Attribute(String, optional=True),
        "timeouts": s.Attribute(
            nested=s.NestedAttributes(s.NestingMode.SINGLE, {"create": s.Attribute(String, optional=True)}),
            optional=True,
        ),
    },
    validators=[s.ConflictsWith("c", "d"), s.RequiredWith("d", ("timeouts", "create"))],
)


def rules(**values: Any) -> dict[tuple[str, ...], tuple[str, str]]:
    cfg = RULES.empty_value()
    cfg.update({"a": "x", **values})
    diags = Diagnostics()
    validate(RULES, cfg, diags)
    return {tuple(str(p) for p in d.attribute or ()): (d.summary, d.detail) for d in diags}


def plan_create(**values: Any) -> list[tuple[str, str]]:
    cfg = RULES.empty_value()
    cfg.update({"a": "x", **values})
    diags = Diagnostics()
    plan_resource_change(RULES, RULES.value_type, None, cfg, cfg, diags)
    return [(d.summary, d.detail) for d in diags]


def test_conflicts_with() -> None:
    assert rules(password="p") == {}
    assert rules(password="p", password_wo="q") == {
        ("password",): (
            "Invalid Attribute Combination",
            'Attribute "password_wo" cannot be specified when "password" is specified. '
            "Remove all but one of password, password_wo.",
        )
    }
    # Unknown delays the check; null is absent.
    assert rules(password="p", password_wo=UNKNOWN) == {}
    assert rules(password=UNKNOWN, password_wo="q") == {}


def test_required_with() -> None:
    assert rules(password_wo_version=1, password_wo="q") == {}
    assert rules(password_wo_version=1) == {
        ("password_wo_version",): (
            "Invalid Attribute Combination",
            'Attribute "password_wo" must be specified when "password_wo_version" is specified. '
            "Set password_wo as well, or remove password_wo_version.",
        )
    }
    assert rules(password_wo_version=UNKNOWN) == {}


def test_exactly_one_of() -> None:
    assert rules(a=None, b="y") == {}
    assert rules(a=None)[("a",)] == (
        "Invalid Attribute Combination",
        "No attribute specified when one (and only one) of [a,b] is required. Set one of a, b.",
    )
    assert rules(b="y")[("a",)][1].startswith(
        "2 attributes specified when one (and only one) of [a,b] is required"
    )
    assert rules(a=None, b=UNKNOWN) == {}


def test_object_level_rules() -> None:
    found = rules(c="1", d="2", timeouts={"create": "5m"})
    assert found == {
        ("d",): (
            "Invalid Attribute Combination",
            "These attributes cannot be configured together: [c,d]. Remove all but one of c, d.",
        )
    }
    assert rules(d="2")[("d",)][1].startswith(
        "These attributes must be configured together: [d,timeouts.create]"
    )
    assert rules(d="2", timeouts={"create": UNKNOWN}) == {}


def test_on_create_rules_run_when_a_create_is_planned() -> None:
    assert rules() == {}  # not at validate time: an imported object has no password in its configuration
    assert plan_create() == [
        (
            "Invalid Attribute Combination",
            "At least one attribute out of [password,password_wo] must be specified. Set one of password, password_wo.",
        )
    ]
    assert plan_create(password_wo="q") == []
    assert plan_create(password=UNKNOWN) == []


def test_a_rule_needs_paths() -> None:
    with pytest.raises(ValueError):
        s.ConflictsWith()


# --- plan modifiers ----------------------------------------------------------------------------------


class Upper(s.PlanModifier):
    """A custom modifier: plans the configured value upper-cased, replacing when it grows."""

    def plan_modify(self, request: s.PlanModifyRequest) -> s.PlanModifyResponse:
        value = request.plan_value
        response = s.PlanModifyResponse(value.upper() if isinstance(value, str) else value)
        if request.state is not None and isinstance(request.state_value, str) and isinstance(value, str):
            response.requires_replace = len(value) > len(request.state_value)
        if value == "bad":
            response.diagnostics.error("Bad value", "no", request.path)
        return response


MODIFIED = s.Schema(
    attributes={
        "id": s.Attribute(String, computed=True, plan_modifiers=[s.UseStateForUnknown()]),
        "name": s.Attribute(String, optional=True, plan_modifiers=[Upper()]),
        "echo": s.Attribute(
            String,
            computed=True,
            plan_modifiers=[s.FuncPlanModifier(lambda r: r.plan["name"], "the planned name")],
        ),
        "status": s.Attribute(String, computed=True),
    }
)


def test_plan_modifiers_are_objects_with_a_method() -> None:
    t = MODIFIED.value_type
    cfg = {"id": None, "name": "ab", "echo": None, "status": None}
    planned, replace = plan_resource_change(MODIFIED, t, None, cfg, cfg)
    assert planned == {"id": UNKNOWN, "name": "AB", "echo": "AB", "status": UNKNOWN} and replace == []

    prior = {"id": "i", "name": "AB", "echo": "AB", "status": "ok"}
    cfg = {"id": None, "name": "abc", "echo": None, "status": None}
    proposed = {**cfg, "id": "i", "echo": "AB", "status": "ok"}
    planned, replace = plan_resource_change(MODIFIED, t, prior, proposed, cfg)
    assert planned == {"id": "i", "name": "ABC", "echo": "ABC", "status": UNKNOWN}
    assert replace == [("name",)]

    diags = Diagnostics()
    plan_resource_change(MODIFIED, t, None, {**cfg, "name": "bad"}, {**cfg, "name": "bad"}, diags)
    assert [(d.summary, d.attribute) for d in diags] == [("Bad value", ("name",))]


SEMANTIC = s.Schema(
    attributes={
        "id": s.Attribute(String, computed=True, plan_modifiers=[s.UseStateForUnknown()]),
        "doc": s.Attribute(String, optional=True, plan_modifiers=[s.SemanticEquality(str.casefold)]),
        "status": s.Attribute(String, computed=True),
    }
)


def test_semantic_equality_plans_the_prior_value_for_an_equivalent_configuration() -> None:
    t = SEMANTIC.value_type
    prior = {"id": "i", "doc": "Hello", "status": "ok"}
    same = {"id": None, "doc": "HELLO", "status": None}
    planned, _ = plan_resource_change(SEMANTIC, t, prior, {**same, "id": "i", "status": "ok"}, same)
    # The prior spelling is planned, so nothing changed and nothing became unknown.
    assert planned == prior
    other = {**same, "doc": "Bye"}
    planned, _ = plan_resource_change(SEMANTIC, t, prior, {**other, "id": "i", "status": "ok"}, other)
    assert planned == {"id": "i", "doc": "Bye", "status": UNKNOWN}
    # On create, from a null prior, or to null, the configuration is planned as it is.
    planned, _ = plan_resource_change(SEMANTIC, t, None, same, same)
    assert planned is not None and planned["doc"] == "HELLO"
    gone = {**same, "doc": None}
    planned, _ = plan_resource_change(SEMANTIC, t, prior, {**gone, "id": "i", "status": "ok"}, gone)
    assert planned is not None and planned["doc"] is None
    unknown = {**same, "doc": UNKNOWN}
    planned, _ = plan_resource_change(SEMANTIC, t, prior, {**unknown, "id": "i", "status": "ok"}, unknown)
    assert planned is not None and planned["doc"] is UNKNOWN


def test_semantic_equality_treats_an_unreadable_value_as_different() -> None:
    import json

    modifier = s.SemanticEquality(json.loads)
    request = s.PlanModifyRequest(
        path=("doc",),
        config_value="{not json",
        plan_value="{not json",
        state_value="{}",
        config={},
        plan={},
        state={"doc": "{}"},
        attribute=SEMANTIC.attributes["doc"],
    )
    assert modifier.plan_modify(request).plan_value == "{not json"
