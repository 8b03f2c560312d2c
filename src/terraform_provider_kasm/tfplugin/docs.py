"""Registry-style Markdown documentation generated from a provider's schemas and example files.

The output follows the layout the Terraform and OpenTofu registries read from a provider repository:

- ``index.md``: the provider (description, ``examples/provider/provider.tf``, its settings);
- ``resources/<name>.md`` and ``data-sources/<name>.md``, ``<name>`` being the type name without the
  provider's prefix (``kasm_group`` → ``group``): description, the example
  (``examples/resources/<type>/resource.tf``, ``examples/data-sources/<type>/data-source.tf``), the
  schema (Required / Optional / Read-Only, nested blocks and attributes in their own anchored
  sections) and, for resources, the import syntax (``examples/resources/<type>/import.sh``).

A hand-written file ``templates/<page>`` (e.g. ``templates/index.md``) is inserted into that page after
its example. The output depends only on the schemas and the files read, so it is deterministic:
:func:`render_docs` gives the pages, :func:`write_docs` writes them, :func:`compare_docs` tells whether a
docs directory is up to date. Only the standard library is used; nothing here runs in the plugin.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .provider import Provider
from .schema import (
    AtLeastOneOf,
    Attribute,
    Block,
    ExactlyOneOf,
    IntBetween,
    LengthBetween,
    NestedAttributes,
    NestingMode,
    OneOf,
    RegexMatches,
    RequiresReplace,
    Schema,
    Validator,
)
from .types import List, Map, Object, Primitive, Set, Tuple, Type

#: The first line of every generated page's front matter (a YAML comment); pages carrying it are
#: ours to rewrite or delete, any other file under docs/ is left alone.
GENERATED_MARKER = "# Generated from the provider schema and examples/: edit those, not this file."

#: Terraform's explanation of write-only arguments (never stored in plan or state; Terraform >= 1.11).
WRITE_ONLY_URL = "https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments"
_PRIMITIVE_LABELS = {"string": "String", "number": "Number", "bool": "Boolean", "dynamic": "Dynamic"}
_NESTING_SUFFIX = {
    NestingMode.SINGLE: "",
    NestingMode.GROUP: "",
    NestingMode.LIST: " List",
    NestingMode.SET: " Set",
    NestingMode.MAP: " Map",
}
#: Backquoted upper-case words with an underscore in a provider setting's description: its
#: environment variable(s), e.g. ``KASM_BASE_URL``.
_ENV_VAR = re.compile(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")
_HCL_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


# ---------------------------------------------------------------------------------------------------
# pages


@dataclass(frozen=True)
class PageSource:
    """What one page is made of: the schema and the example files it uses (paths may not exist)."""

    path: str  # relative to the docs directory, e.g. "resources/group.md"
    kind: str  # "provider", "resource" or "data-source"
    type_name: str
    schema: Schema
    example: Path
    import_example: Path | None = None
    #: An ``import {}`` block (Terraform >= 1.5), tfplugindocs' ``import-by-string-id.tf``.
    import_block_example: Path | None = None


def page_name(provider: Provider, type_name: str) -> str:
    """The page's file stem: the type name without the provider's prefix (``kasm_group`` → ``group``)."""
    prefix = f"{provider.type_name}_"
    return type_name[len(prefix) :] if type_name.startswith(prefix) and type_name != prefix else type_name


def page_sources(provider: Provider, examples_dir: Path) -> list[PageSource]:
    """Every page of the provider, the index first, then resources and data sources by name."""
    sources = [
        PageSource(
            "index.md",
            "provider",
            provider.type_name,
            provider.schema,
            examples_dir / "provider" / "provider.tf",
        )
    ]
    for resource in sorted(provider.get_resources(), key=lambda r: r.type_name):
        folder = examples_dir / "resources" / resource.type_name
        sources.append(
            PageSource(
                f"resources/{page_name(provider, resource.type_name)}.md",
                "resource",
                resource.type_name,
                resource.schema,
                folder / "resource.tf",
                folder / "import.sh",
                folder / "import-by-string-id.tf",
            )
        )
    for data_source in sorted(provider.get_data_sources(), key=lambda d: d.type_name):
        sources.append(
            PageSource(
                f"data-sources/{page_name(provider, data_source.type_name)}.md",
                "data-source",
                data_source.type_name,
                data_source.schema,
                examples_dir / "data-sources" / data_source.type_name / "data-source.tf",
            )
        )
    return sources


def render_docs(
    provider: Provider,
    examples_dir: Path,
    templates_dir: Path | None = None,
    project_name: str | None = None,
) -> dict[str, str]:
    """The documentation pages of ``provider``: relative path → Markdown text.

    ``project_name`` goes into page titles (default ``terraform-provider-<type_name>``).
    """
    project = project_name or f"terraform-provider-{provider.type_name}"
    pages: dict[str, str] = {}
    for source in page_sources(provider, examples_dir):
        extra = _read(templates_dir / source.path) if templates_dir is not None else None
        pages[source.path] = _render_page(source, project, extra)
    return pages


def _render_page(source: PageSource, project: str, extra: str | None) -> str:
    schema = source.schema
    if source.kind == "provider":
        title, heading = f"{source.type_name} Provider", f"{source.type_name} Provider"
    elif source.kind == "resource":
        title, heading = f"{source.type_name} Resource - {project}", f"{source.type_name} (Resource)"
    else:
        title, heading = f"{source.type_name} Data Source - {project}", f"{source.type_name} (Data Source)"

    out: list[str] = [
        "---",
        GENERATED_MARKER,
        f"page_title: {json.dumps(title)}",
        'subcategory: ""',
        *_front_matter_description(_plain(schema.description or schema.markdown_description or "")),
        "---",
        "",
        f"# {heading}",
        "",
    ]
    body = (schema.markdown_description or schema.description).strip()
    if body:
        out += [body, ""]
    if schema.deprecated:
        out += [f"~> **Deprecated:** {schema.deprecated.strip()}", ""]

    example = _read(source.example)
    if example is not None:
        out += ["## Example Usage", "", "```terraform", example, "```", ""]
    if extra is not None:
        out += [extra, ""]

    out += _render_schema(schema)

    if source.kind == "provider":
        out += _render_environment(schema)
    out += _render_import(source)
    return "\n".join(out).rstrip("\n") + "\n"


def _render_import(source: PageSource) -> list[str]:
    """The Import section: the ``import {}`` block (Terraform >= 1.5) and the ``terraform import``
    command (every version), each with the ID forms the examples show."""
    block = _read(source.import_block_example) if source.import_block_example is not None else None
    command = _read(source.import_example) if source.import_example is not None else None
    if block is None and command is None:
        return []
    out = ["## Import", ""]
    if block is not None:
        out += [
            "In Terraform v1.5.0 and later, an `import` block brings an existing object under management "
            "with the ID shown here:",
            "",
            "```terraform",
            block,
            "```",
            "",
        ]
    if command is not None:
        lead = "With any Terraform version, the" if block is not None else "The"
        out += [f"{lead} `terraform import` command takes the same ID:", "", "```shell", command, "```", ""]
    return out


def _read(path: Path) -> str | None:
    """A hand-written file's text without trailing blank space, or None when it does not exist."""
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines)


def _front_matter_description(text: str) -> list[str]:
    if not text:
        return ['description: ""']
    return ["description: |-", *(f"  {line}" if line else "" for line in text.splitlines())]


def _plain(markdown: str) -> str:
    """Markdown reduced to plain text for the front matter: links keep their text, emphasis goes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown.strip())
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text


def _render_environment(schema: Schema) -> list[str]:
    rows = []
    for name in sorted(schema.attributes):
        attribute = schema.attributes[name]
        found = _ENV_VAR.findall(attribute.markdown_description or attribute.description)
        if found:
            variables = ", ".join(f"`{v}`" for v in dict.fromkeys(found))
            rows.append(f"| `{name}` | {variables} |")
    if not rows:
        return []
    return [
        "## Environment Variables",
        "",
        "A setting left out of the provider block is read from its environment variable:",
        "",
        "| Setting | Environment variable |",
        "|---|---|",
        *rows,
        "",
    ]


# ---------------------------------------------------------------------------------------------------
# the schema section


_Nested = Object | NestedAttributes | Block


@dataclass
class _Entry:
    """One line of a schema list, and the nested section it points to (if any)."""

    name: str
    group: str  # "Required", "Optional" or "Read-Only"
    label: str  # "String", "Block List, Max: 1", "Attributes Set", …
    notes: list[str] = field(default_factory=list)  # "Sensitive", "Write-only", "Deprecated"
    description: str = ""
    sentences: list[str] = field(default_factory=list)
    anchor: str | None = None
    nested: _Nested | None = None
    path: tuple[str, ...] = ()
    read_only: bool = False


_GROUPS = ("Required", "Optional", "Read-Only")


def _container_entries(
    attributes: Mapping[str, Attribute], blocks: Mapping[str, Block], path: tuple[str, ...], read_only: bool
) -> list[_Entry]:
    entries = [_attribute_entry(name, a, (*path, name), read_only) for name, a in attributes.items()]
    entries += [_block_entry(name, b, (*path, name), read_only) for name, b in blocks.items()]
    return entries


def _attribute_entry(name: str, attribute: Attribute, path: tuple[str, ...], read_only: bool) -> _Entry:
    is_read_only = read_only or (attribute.computed and not attribute.optional)
    group = "Read-Only" if is_read_only else "Required" if attribute.required else "Optional"
    entry = _Entry(name, group, "", description=_description(attribute), path=path, read_only=is_read_only)
    if attribute.sensitive:
        entry.notes.append("Sensitive")
    if attribute.write_only:
        entry.notes.append(f"[Write-only]({WRITE_ONLY_URL})")
    if attribute.deprecated:
        entry.notes.append("Deprecated")
        entry.sentences.append(f"**Deprecated:** {attribute.deprecated.strip()}")
    if not is_read_only:
        entry.sentences += [_validator_sentence(v, name) for v in attribute.validators]
        entry.sentences += [
            _sentence(m.description) for m in attribute.plan_modifiers if isinstance(m, RequiresReplace)
        ]
        if attribute.default is not None:
            entry.sentences.append(f"Defaults to `{_hcl_literal(attribute.default)}`.")
    entry.sentences = [s for s in entry.sentences if s]

    if attribute.nested is not None:
        entry.label = "Attributes" + _NESTING_SUFFIX[attribute.nested.nesting]
        entry.anchor, entry.nested = _anchor("nestedatt", path), attribute.nested
    else:
        assert attribute.type is not None
        entry.label = type_label(attribute.type)
        obj = _inner_object(attribute.type)
        if obj is not None:
            entry.anchor, entry.nested = _anchor("nestedobjatt", path), obj
    return entry


def _block_entry(name: str, block: Block, path: tuple[str, ...], read_only: bool) -> _Entry:
    is_read_only = read_only or _all_computed(block)
    group = "Read-Only" if is_read_only else "Required" if block.min_items > 0 else "Optional"
    label = "Block" + _NESTING_SUFFIX[block.nesting]
    if block.nesting in (NestingMode.LIST, NestingMode.SET):
        if block.min_items:
            label += f", Min: {block.min_items}"
        if block.max_items:
            label += f", Max: {block.max_items}"
    entry = _Entry(
        name,
        group,
        label,
        description=_description(block),
        anchor=_anchor("nestedblock", path),
        nested=block,
        path=path,
        read_only=is_read_only,
    )
    if block.deprecated:
        entry.notes.append("Deprecated")
        entry.sentences.append(f"**Deprecated:** {block.deprecated.strip()}")
    return entry


def _object_entries(obj: Object, path: tuple[str, ...], read_only: bool) -> list[_Entry]:
    entries = []
    for name, t in obj.attributes.items():
        group = "Read-Only" if read_only else "Optional" if name in obj.optional else "Required"
        entry = _Entry(name, group, type_label(t), path=(*path, name), read_only=read_only)
        inner = _inner_object(t)
        if inner is not None:
            entry.anchor, entry.nested = _anchor("nestedobjatt", entry.path), inner
        entries.append(entry)
    return entries


def _nested_entries(entry: _Entry) -> list[_Entry]:
    target = entry.nested
    if isinstance(target, Object):
        return _object_entries(target, entry.path, entry.read_only)
    if isinstance(target, NestedAttributes):
        return _container_entries(target.attributes, {}, entry.path, entry.read_only)
    assert target is not None
    return _container_entries(target.attributes, target.blocks, entry.path, entry.read_only)


def _grouped(entries: Iterable[_Entry]) -> list[tuple[str, list[_Entry]]]:
    """The entries by group (Required, Optional, Read-Only), each sorted by name; empty groups left out."""
    listed = list(entries)
    groups = [(g, sorted((e for e in listed if e.group == g), key=lambda e: e.name)) for g in _GROUPS]
    return [(g, chosen) for g, chosen in groups if chosen]


def _render_schema(schema: Schema) -> list[str]:
    """The Schema section; nested sections follow in the order the lists above them point to them
    (breadth first), so the page reads from top to bottom."""
    out = ["## Schema", ""]
    top = _grouped(_container_entries(schema.attributes, schema.blocks, (), False))
    if not top:
        out += ["This has no arguments or attributes.", ""]
    pending: deque[_Entry] = deque()
    for group, chosen in top:
        out += [f"### {group}", "", *(_entry_line(e) for e in chosen), ""]
        pending.extend(e for e in chosen if e.nested is not None)
    while pending:
        parent = pending.popleft()
        out += [f'<a id="{parent.anchor}"></a>', f"### Nested Schema for `{'.'.join(parent.path)}`", ""]
        for group, chosen in _grouped(_nested_entries(parent)):
            out += [f"{group}:", "", *(_entry_line(e) for e in chosen), ""]
            pending.extend(e for e in chosen if e.nested is not None)
    return out


def _entry_line(entry: _Entry) -> str:
    description = entry.description.strip()
    extras = list(entry.sentences)
    if entry.anchor:
        extras.append(f"(see [below for nested schema](#{entry.anchor}))")
    # The extras close the description's first paragraph (a later one may be a list they would join).
    first, sep, rest = description.partition("\n\n")
    if first and extras and entry.sentences and not first.endswith((".", "!", "?", ":", "`")):
        first += "."
    first = " ".join(part for part in (first, *extras) if part)
    flags = ", ".join([entry.label, *entry.notes])
    text = f"- `{entry.name}` ({flags})" + (f" {first}" if first else "") + sep + rest
    # continuation lines of a multi-line description stay inside the list item
    return "\n".join(line if i == 0 or not line else f"  {line}" for i, line in enumerate(text.splitlines()))


def _description(element: Attribute | Block) -> str:
    return element.markdown_description or element.description


def _anchor(prefix: str, path: tuple[str, ...]) -> str:
    return prefix + "".join(f"--{step}" for step in path)


def _all_computed(block: Block) -> bool:
    """A block that only holds computed values (read-only in a data source)."""
    if not block.attributes and not block.blocks:
        return False
    return all(a.computed and not a.optional for a in block.attributes.values()) and all(
        _all_computed(b) for b in block.blocks.values()
    )


def _inner_object(t: Type) -> Object | None:
    while isinstance(t, List | Set | Map):
        t = t.element
    return t if isinstance(t, Object) else None


def type_label(t: Type) -> str:
    """A type as the docs name it: ``String``, ``List of String``, ``Map of Object``…"""
    if isinstance(t, Primitive):
        return _PRIMITIVE_LABELS.get(t.name, t.name)
    if isinstance(t, List):
        return f"List of {type_label(t.element)}"
    if isinstance(t, Set):
        return f"Set of {type_label(t.element)}"
    if isinstance(t, Map):
        return f"Map of {type_label(t.element)}"
    if isinstance(t, Object):
        return "Object"
    if isinstance(t, Tuple):
        return "Tuple of (" + ", ".join(type_label(e) for e in t.elements) + ")"
    return type(t).__name__


def _validator_sentence(validator: Validator, name: str = "") -> str:
    if isinstance(validator, ExactlyOneOf | AtLeastOneOf) and validator.custom_description is None and name:
        # On an attribute the rule counts the attribute itself too: say so.
        how = "Exactly" if isinstance(validator, ExactlyOneOf) else "At least"
        others = " and ".join(f"`{'.'.join(p)}`" for p in validator.paths)
        return f"{how} one of `{name}` and {others} must be set."
    if isinstance(validator, OneOf):
        return "One of: " + ", ".join(f"`{_hcl_literal(v)}`" for v in validator.values) + "."
    if isinstance(validator, LengthBetween):
        if validator.max is None:
            return f"Length at least {validator.min}."
        return f"Length from {validator.min} to {validator.max}."
    if isinstance(validator, IntBetween):
        if validator.min is not None and validator.max is not None:
            return f"A whole number from {validator.min} to {validator.max}."
        if validator.min is not None:
            return f"A whole number of at least {validator.min}."
        if validator.max is not None:
            return f"A whole number of at most {validator.max}."
        return "A whole number."
    if isinstance(validator, RegexMatches):
        if validator.message:
            return _sentence(validator.message)
        return f"Must match the regular expression `{validator.pattern.pattern}`."
    return _sentence(validator.description) if validator.description else ""


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _hcl_literal(value: Any) -> str:
    """A default value as it would be written in a configuration."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_hcl_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = []
        for k in sorted(value):
            key = k if _HCL_IDENTIFIER.match(str(k)) else json.dumps(str(k))
            items.append(f"{key} = {_hcl_literal(value[k])}")
        return "{ " + ", ".join(items) + " }" if items else "{}"
    return json.dumps(str(value))


# ---------------------------------------------------------------------------------------------------
# writing and checking


@dataclass
class DocsDiff:
    """How a docs directory differs from the rendered pages (all paths relative to it)."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: Generated pages (they carry :data:`GENERATED_MARKER`) that are no longer rendered.
    extra: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.extra)

    def summary(self, max_diff_lines: int = 40) -> str:
        lines = []
        for label, paths in (
            ("changed", self.changed),
            ("missing", self.missing),
            ("no longer generated", self.extra),
        ):
            lines += [f"  {label}: {p}" for p in paths]
        for path in self.changed:
            diff = self.diffs.get(path, "").splitlines()
            shown = diff[:max_diff_lines]
            lines += shown
            if len(diff) > len(shown):
                lines.append(f"  … {len(diff) - len(shown)} more diff lines")
        return "\n".join(lines)


def _generated_pages(docs_dir: Path) -> list[str]:
    found = []
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*.md")):
            try:
                head = path.read_text(encoding="utf-8").splitlines()[:2]
            except (OSError, UnicodeDecodeError):
                continue
            if GENERATED_MARKER in head:
                found.append(path.relative_to(docs_dir).as_posix())
    return found


def compare_docs(pages: Mapping[str, str], docs_dir: Path) -> DocsDiff:
    """What :func:`write_docs` would change in ``docs_dir``."""
    diff = DocsDiff()
    for rel in sorted(pages):
        target = docs_dir / rel
        if not target.is_file():
            diff.missing.append(rel)
            continue
        current = target.read_text(encoding="utf-8")
        if current != pages[rel]:
            diff.changed.append(rel)
            diff.diffs[rel] = "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    pages[rel].splitlines(keepends=True),
                    f"{rel} (on disk)",
                    f"{rel} (generated)",
                    n=1,
                )
            )
    diff.extra = [rel for rel in _generated_pages(docs_dir) if rel not in pages]
    return diff


def write_docs(pages: Mapping[str, str], docs_dir: Path) -> DocsDiff:
    """Writes the pages into ``docs_dir``, removes generated pages no longer rendered (hand-written files
    are kept) and returns what changed."""
    diff = compare_docs(pages, docs_dir)
    for rel in diff.changed + diff.missing:
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pages[rel], encoding="utf-8")
    for rel in diff.extra:
        (docs_dir / rel).unlink()
    return diff
