"""Schema-driven walks: configuration validation and the layer's default planning (see DESIGN.md).

All functions take and return plain values (see ``tfplugin.types``) and never mutate their inputs.
"""

from __future__ import annotations

import copy
from typing import Any

from .codec import contains_unknown, values_equal
from .diagnostics import AttributePath, Diagnostics, format_path
from .schema import (
    Container,
    NestingMode,
    PlanModifyRequest,
    SemanticEquality,
    children,
    complete_object,
    elements,
)
from .schema import empty_object as container_empty
from .types import UNKNOWN

# ---------------------------------------------------------------------------------------------------
# validation


READ_ONLY_SUMMARY = "Invalid Configuration for Read-Only Attribute"
REQUIRED_SUMMARY = "Missing Configuration for Required Attribute"


def validate(
    container: Container,
    config: dict[str, Any],
    diags: Diagnostics,
    *,
    write_only_allowed: bool = True,
    path: AttributePath = (),
) -> None:
    """Checks a configuration against the schema, as the plugin framework does: no value for a
    read-only (computed-only) attribute, a value for every required one; then runs value validators
    (on wholly known, non-null values) and config validators (see ``schema.ConfigValidator``), warns
    about deprecated attributes and rejects write-only values the client cannot handle."""
    for name, attr in container.attributes.items():
        value = config.get(name)
        p = (*path, name)
        if attr.read_only and value is not None:
            diags.error(
                READ_ONLY_SUMMARY,
                f"Cannot set value for the {format_path(p)} attribute as the provider has marked it as "
                "read-only. Remove the configuration line setting the value.\n\nRefer to the provider "
                "documentation for the attributes that can be configured.",
                p,
            )
            continue
        if attr.required and value is None:
            diags.error(
                REQUIRED_SUMMARY,
                f"Must set a configuration value for the {format_path(p)} attribute as the provider has "
                "marked it as required: give it a value instead of null.",
                p,
            )
        for rule in attr.config_validators:
            if not rule.on_create:
                rule.validate_config(config, name, path, diags)
        if value is None:
            continue
        if attr.deprecated:
            diags.warning("Deprecated attribute", f"{attr.deprecated}", p)
        if attr.write_only and not write_only_allowed:
            diags.error(
                "Write-only attribute not supported",
                f"The attribute {name} is write-only, which this Terraform version does not support. "
                "Upgrade to Terraform 1.11 or later, or leave it unset.",
                p,
            )
        if value is UNKNOWN or contains_unknown(value):
            continue
        for validator in attr.value_validators:
            validator.validate(value, p, diags)
    for rule in container.validators:
        if not rule.on_create:
            rule.validate_config(config, None, path, diags)
    for name, block in container.blocks.items():
        if block.deprecated and config.get(name) not in (None, [], {}):
            diags.warning("Deprecated block", block.deprecated, (*path, name))
    for name, nesting, child in children(container):
        for steps, element, _ in elements(nesting, config.get(name), None):
            validate(child, element, diags, write_only_allowed=write_only_allowed, path=(*path, name, *steps))


def validate_create(
    container: Container, config: dict[str, Any], diags: Diagnostics, path: AttributePath = ()
) -> None:
    """Runs the config validators marked ``on_create`` (when a create is planned)."""
    for name, attr in container.attributes.items():
        for rule in attr.config_validators:
            if rule.on_create:
                rule.validate_config(config, name, path, diags)
    for rule in container.validators:
        if rule.on_create:
            rule.validate_config(config, None, path, diags)
    for name, nesting, child in children(container):
        for steps, element, _ in elements(nesting, config.get(name), None):
            validate_create(child, element, diags, (*path, name, *steps))


# ---------------------------------------------------------------------------------------------------
# planning


def _apply_defaults(container: Container, plan: dict[str, Any], config: dict[str, Any] | None) -> None:
    for name, attr in container.attributes.items():
        if attr.default is None:
            continue
        # A null configuration plans the default also on update, where the proposed value is the
        # prior state's (removing `locked = true` must plan `false`, not keep `true`).
        if (config is not None and config.get(name) is None) or (config is None and plan.get(name) is None):
            plan[name] = copy.deepcopy(attr.default)
    for name, nesting, child in children(container):
        for _, element, config_element in elements(nesting, plan.get(name), (config or {}).get(name)):
            _apply_defaults(child, element, config_element)


def _mark_unknown(
    container: Container, plan: dict[str, Any], config: dict[str, Any] | None, *, create: bool
) -> None:
    """Computed attributes the configuration leaves null become unknown (unless they have a
    default); the plan modifiers run afterwards."""
    for name, attr in container.attributes.items():
        if not attr.computed or (config is not None and config.get(name) is not None):
            continue
        if attr.default is not None:
            continue
        if create:
            if plan.get(name) is None:
                plan[name] = UNKNOWN
        else:
            plan[name] = UNKNOWN  # UseStateForUnknown (a plan modifier) may restore the prior value
    for name, nesting, child in children(container):
        for _, element, config_element in elements(nesting, plan.get(name), (config or {}).get(name)):
            _mark_unknown(child, element, config_element, create=create)


def _null_write_only(container: Container, value: dict[str, Any]) -> None:
    for name, attr in container.attributes.items():
        if attr.write_only:
            value[name] = None
    for name, nesting, child in children(container):
        for _, element, _ in elements(nesting, value.get(name), None):
            _null_write_only(child, element)


def null_write_only(container: Container, value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of ``value`` with every write-only attribute null (plans and states never hold them)."""
    if value is None:
        return None
    out = copy.deepcopy(value)
    _null_write_only(container, out)
    return out


def _run_plan_modifiers(
    container: Container,
    plan: dict[str, Any],
    prior: dict[str, Any] | None,
    config: dict[str, Any] | None,
    root: tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]],
    path: AttributePath,
    replace: list[AttributePath],
    diags: Diagnostics,
    private: bytes,
    only: type | None = None,
) -> None:
    root_plan, root_prior, root_config = root
    for name, attr in container.attributes.items():
        if not attr.plan_modifiers:
            continue
        p = (*path, name)
        for modifier in attr.plan_modifiers:
            if only is not None and not isinstance(modifier, only):
                continue
            request = PlanModifyRequest(
                path=p,
                config_value=(config or {}).get(name),
                plan_value=plan.get(name),
                state_value=prior.get(name) if prior is not None else None,
                config=root_config,
                plan=root_plan,
                state=root_prior,
                attribute=attr,
                private=private,
            )
            response = modifier.plan_modify(request)
            plan[name] = response.plan_value
            diags.extend(response.diagnostics)
            if response.requires_replace and p not in replace:
                replace.append(p)
    for name, nesting, child in children(container):
        config_elements = {
            steps: c for steps, _, c in elements(nesting, plan.get(name), (config or {}).get(name))
        }
        # Elements pair with their prior selves by list index or map key; set elements cannot, and
        # (like new elements of an existing resource) get no plan modifiers.
        prior_value = None if prior is None or nesting is NestingMode.SET else prior.get(name)
        for steps, element, prior_element in elements(nesting, plan.get(name), prior_value):
            if prior is not None and prior_element is None:
                continue  # a new element of an existing resource: nothing to keep or replace
            _run_plan_modifiers(
                child,
                element,
                prior_element,
                config_elements.get(steps),
                root,
                (*path, name, *steps),
                replace,
                diags,
                private,
                only,
            )


def plan_resource_change(
    container: Container,
    value_type: Any,
    prior: dict[str, Any] | None,
    proposed: dict[str, Any] | None,
    config: dict[str, Any] | None,
    diags: Diagnostics | None = None,
    private: bytes = b"",
) -> tuple[dict[str, Any] | None, list[AttributePath]]:
    """The default plan for a resource: returns (planned state, paths that require replacement).

    Defaults are applied, ``SemanticEquality`` modifiers plan equivalent values as the prior ones,
    computed values the configuration leaves null become unknown (on update only when something
    changed), then every attribute's plan modifiers run (their diagnostics go
    to ``diags``), and on create the ``on_create`` config validators.
    """
    if proposed is None:  # destroy
        return None, []
    diags = diags if diags is not None else Diagnostics()
    plan = copy.deepcopy(proposed)
    _apply_defaults(container, plan, config)
    replace: list[AttributePath] = []
    cfg = config if config is not None else container_empty(container)
    if prior is not None:
        # Values that mean the same as the prior ones are planned as the prior ones first, so that
        # they are no change (and make no computed value unknown).
        _run_plan_modifiers(
            container, plan, prior, config, (plan, prior, cfg), (), replace, diags, private, SemanticEquality
        )
    if prior is None:
        _mark_unknown(container, plan, config, create=True)
    elif not values_equal(null_write_only(container, plan), prior, value_type):
        _mark_unknown(container, plan, config, create=False)
    _null_write_only(container, plan)
    _run_plan_modifiers(container, plan, prior, config, (plan, prior, cfg), (), replace, diags, private)
    if prior is None:
        validate_create(container, cfg, diags)
    return plan, replace


def unknown_paths(
    container: Container, value: dict[str, Any], path: AttributePath = ()
) -> list[AttributePath]:
    """Paths of attributes that hold unknowns (a new state must have none)."""
    out: list[AttributePath] = []
    for name in container.attributes:
        if contains_unknown(value.get(name)):
            out.append((*path, name))
    for name, block in container.blocks.items():
        v = value.get(name)
        if v is UNKNOWN:
            out.append((*path, name))
            continue
        for steps, element, _ in elements(block.nesting, v, None):
            out.extend(unknown_paths(block, element, (*path, name, *steps)))
    return out


# ---------------------------------------------------------------------------------------------------
# new states


def normalize_blocks(container: Container, value: dict[str, Any]) -> dict[str, Any]:
    """Fills absent (null) list/set/map/group blocks with empty ones: Terraform rejects null there."""
    for name, block in container.blocks.items():
        v = value.get(name)
        if v is None and block.nesting is not NestingMode.SINGLE:
            value[name] = (
                container_empty(block)
                if block.nesting is NestingMode.GROUP
                else ({} if block.nesting is NestingMode.MAP else [])
            )
        elif isinstance(v, dict) and block.nesting in (NestingMode.SINGLE, NestingMode.GROUP):
            value[name] = normalize_blocks(block, complete_object(block, v, None))
        elif isinstance(v, list):
            value[name] = [
                normalize_blocks(block, complete_object(block, e, None)) if isinstance(e, dict) else e
                for e in v
            ]
        elif isinstance(v, dict):
            value[name] = {
                k: normalize_blocks(block, complete_object(block, e, None)) if isinstance(e, dict) else e
                for k, e in v.items()
            }
    return value


def finish_state(
    container: Container, value: Any, fallback: dict[str, Any] | None, diags: Diagnostics, what: str
) -> dict[str, Any] | None:
    """A resource's returned state made whole: every key (missing ones from ``fallback``), blocks
    non-null, no write-only values, no unknowns (each one is an error naming the attribute, and
    becomes null so the state can still be stored). None, with an error, when it is not an object."""
    if not isinstance(value, dict):
        diags.error(
            f"Unexpected error in {what}",
            f"The provider returned a {type(value).__name__}, not an object.",
        )
        return None
    state = null_write_only(
        container, normalize_blocks(container, complete_object(container, value, fallback))
    )
    assert state is not None
    for path in unknown_paths(container, state):
        diags.error(
            f"Unexpected error in {what}",
            f"The provider left {format_path(path)} unknown in the new state; this is a bug in the provider.",
            path,
        )
    if diags.has_errors:
        state = _replace_unknown(state)
    return state


def _replace_unknown(value: Any) -> Any:
    """``value`` with every unknown replaced by null (a failed state must still be encodable as state)."""
    if value is UNKNOWN:
        return None
    if isinstance(value, dict):
        return {k: _replace_unknown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_unknown(v) for v in value]
    return value
