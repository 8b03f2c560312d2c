"""Schema-driven walks: configuration validation and the layer's default planning (see DESIGN.md).

All functions take and return plain values (see ``tfplugin.types``) and never mutate their inputs.
"""

from __future__ import annotations

import copy
from typing import Any

from .codec import contains_unknown, values_equal
from .diagnostics import AttributePath, Diagnostics
from .schema import Container, NestingMode, children, elements
from .types import UNKNOWN

# ---------------------------------------------------------------------------------------------------
# validation


def validate(
    container: Container,
    config: dict[str, Any],
    diags: Diagnostics,
    *,
    write_only_allowed: bool = True,
    path: AttributePath = (),
) -> None:
    """Runs attribute validators (on wholly known, non-null values), warns about deprecated attributes
    and rejects write-only values the client cannot handle."""
    for name, attr in container.attributes.items():
        value = config.get(name)
        p = (*path, name)
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
        for validator in attr.validators:
            validator.validate(value, p, diags)
    for name, block in container.blocks.items():
        if block.deprecated and config.get(name) not in (None, [], {}):
            diags.warning("Deprecated block", block.deprecated, (*path, name))
    for name, nesting, child in children(container):
        for steps, element, _ in elements(nesting, config.get(name), None):
            validate(child, element, diags, write_only_allowed=write_only_allowed, path=(*path, name, *steps))


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
    """Computed attributes the configuration leaves null become unknown (on update: unless they
    keep their state with UseStateForUnknown, or have a default)."""
    for name, attr in container.attributes.items():
        if not attr.computed or (config is not None and config.get(name) is not None):
            continue
        if attr.default is not None:
            continue
        if create:
            if plan.get(name) is None:
                plan[name] = UNKNOWN
        elif not attr.use_state_for_unknown:
            plan[name] = UNKNOWN
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


def _requires_replace(
    container: Container,
    prior: dict[str, Any],
    plan: dict[str, Any],
    config: dict[str, Any] | None,
    path: AttributePath,
    out: list[AttributePath],
) -> None:
    for name, attr in container.attributes.items():
        if not attr.requires_replace:
            continue
        before, after = prior.get(name), plan.get(name)
        if after is UNKNOWN and attr.computed and (config is None or config.get(name) is None):
            continue  # unknown only because something else changed: not a change of this attribute
        if before is None and after is None:
            continue
        if values_equal(before, after, attr.value_type):
            continue
        if any(m.requires_replace(before, after) for m in attr.requires_replace):
            out.append((*path, name))
    for name, nesting, child in children(container):
        if nesting is NestingMode.SET:
            continue  # set elements cannot be paired with their prior selves
        config_elements = {
            steps: c for steps, _, c in elements(nesting, plan.get(name), (config or {}).get(name))
        }
        for steps, element, prior_element in elements(nesting, plan.get(name), prior.get(name)):
            if prior_element is not None:
                _requires_replace(
                    child, prior_element, element, config_elements.get(steps), (*path, name, *steps), out
                )


def plan_resource_change(
    container: Container,
    value_type: Any,
    prior: dict[str, Any] | None,
    proposed: dict[str, Any] | None,
    config: dict[str, Any] | None,
) -> tuple[dict[str, Any] | None, list[AttributePath]]:
    """The default plan for a resource: returns (planned state, paths that require replacement)."""
    if proposed is None:  # destroy
        return None, []
    plan = copy.deepcopy(proposed)
    _apply_defaults(container, plan, config)
    if prior is None:
        _mark_unknown(container, plan, config, create=True)
    elif not values_equal(null_write_only(container, plan), prior, value_type):
        _mark_unknown(container, plan, config, create=False)
    _null_write_only(container, plan)
    replace: list[AttributePath] = []
    if prior is not None:
        _requires_replace(container, prior, plan, config, (), replace)
    return plan, replace


def unknown_paths(container: Container, value: dict[str, Any], path: AttributePath = ()) -> list[AttributePath]:
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
