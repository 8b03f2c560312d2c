"""tfplugin.docs on a made-up provider that uses every schema feature the pages describe."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from terraform_provider_kasm.tfplugin import schema as s
from terraform_provider_kasm.tfplugin.docs import (
    GENERATED_MARKER,
    WRITE_ONLY_URL,
    compare_docs,
    page_name,
    render_docs,
    type_label,
    write_docs,
)
from terraform_provider_kasm.tfplugin.provider import Provider
from terraform_provider_kasm.tfplugin.resource import DataSource, Resource, ResourceContext
from terraform_provider_kasm.tfplugin.types import (
    Bool,
    Dynamic,
    List,
    Map,
    Number,
    Object,
    Set,
    String,
    Tuple,
)


class WidgetResource(Resource):
    type_name = "demo_widget"
    schema = s.Schema(
        description="A widget, plainly.",
        markdown_description="A **widget**, see [the manual](https://example.com/manual).",
        attributes={
            "id": s.Attribute(String, computed=True, description="The id."),
            "name": s.Attribute(
                String, required=True, description="The name", validators=[s.LengthBetween(1, 8)]
            ),
            "size": s.Attribute(
                Number, optional=True, computed=True, default=3, validators=[s.IntBetween(1, 9)]
            ),
            "mode": s.Attribute(
                String,
                optional=True,
                validators=[s.OneOf("fast", "slow")],
                plan_modifiers=[s.RequiresReplace()],
            ),
            "zone": s.Attribute(
                String,
                optional=True,
                plan_modifiers=[s.RequiresReplaceIf(lambda a, b: True, "a new zone replaces it")],
            ),
            "secret": s.Attribute(String, optional=True, sensitive=True, description="Shh."),
            "token_wo": s.Attribute(String, optional=True, write_only=True, sensitive=True),
            "old": s.Attribute(Bool, optional=True, deprecated="Use mode instead."),
            "labels": s.Attribute(Map(String), optional=True, default=None),
            "tags": s.Attribute(Set(String), optional=True, computed=True, default=["a", "b"]),
            "shape": s.Attribute(
                Object({"w": Number, "h": Number, "unit": String}, frozenset({"unit"})), optional=True
            ),
            "points": s.Attribute(List(Object({"x": Number, "meta": Object({"k": String})})), computed=True),
            "ports": s.Attribute(
                nested=s.NestedAttributes(
                    s.NestingMode.SET,
                    {
                        "number": s.Attribute(Number, required=True, description="Port."),
                        "proto": s.Attribute(String, optional=True, computed=True, default="tcp"),
                        "state": s.Attribute(String, computed=True),
                    },
                ),
                optional=True,
                description="Open ports, each with:\n\n* a number\n* a protocol",
            ),
            "extra": s.Attribute(Dynamic, optional=True),
        },
        blocks={
            "timeouts": s.Block(
                s.NestingMode.SINGLE, attributes={"create": s.Attribute(String, optional=True)}
            ),
            "rule": s.Block(
                s.NestingMode.LIST,
                min_items=1,
                max_items=3,
                description="Rules.\nSecond line.",
                attributes={"action": s.Attribute(String, required=True)},
                blocks={
                    "match": s.Block(
                        s.NestingMode.MAP, attributes={"value": s.Attribute(String, optional=True)}
                    )
                },
            ),
        },
    )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError("not called")


class WidgetsDataSource(DataSource):
    type_name = "demo_widgets"
    schema = s.Schema(
        description="All widgets.",
        attributes={
            "prefix": s.Attribute(String, optional=True),
            "count": s.Attribute(Number, computed=True),
        },
        blocks={"result": s.Block(s.NestingMode.LIST, attributes={"id": s.Attribute(String, computed=True)})},
    )


class DemoProvider(Provider):
    type_name = "demo"
    schema = s.Schema(
        description="Demo provider.",
        attributes={
            "endpoint": s.Attribute(String, optional=True, description="Where. Defaults to `DEMO_ENDPOINT`."),
            "token": s.Attribute(
                String,
                optional=True,
                sensitive=True,
                description="Auth; from `DEMO_TOKEN` or `DEMO_AUTH_TOKEN`.",
            ),
            "verbose": s.Attribute(Bool, optional=True, description="No variable for this one."),
        },
    )
    resources: ClassVar = (WidgetResource,)
    data_sources: ClassVar = (WidgetsDataSource,)


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    (root / "provider").mkdir(parents=True)
    (root / "provider" / "provider.tf").write_text('provider "demo" {}   \n\n\n')
    res = root / "resources" / "demo_widget"
    res.mkdir(parents=True)
    (res / "resource.tf").write_text('resource "demo_widget" "w" {\n  name = "w"\n}\n')
    (res / "import.sh").write_text("terraform import demo_widget.w abc\n")
    return root


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_pages_and_names(examples: Path) -> None:
    pages = render_docs(DemoProvider(), examples)
    assert sorted(pages) == ["data-sources/widgets.md", "index.md", "resources/widget.md"]
    assert page_name(DemoProvider(), "demo_widget") == "widget"
    assert page_name(DemoProvider(), "other_thing") == "other_thing"


def test_resource_page(examples: Path) -> None:
    page = render_docs(DemoProvider(), examples, project_name="tpd")["resources/widget.md"]
    head = lines(page)[:8]
    assert head == [
        "---",
        GENERATED_MARKER,
        'page_title: "demo_widget Resource - tpd"',
        'subcategory: ""',
        "description: |-",
        "  A widget, plainly.",
        "---",
        "",
    ]
    assert "# demo_widget (Resource)\n\nA **widget**, see [the manual](https://example.com/manual).\n" in page
    assert '## Example Usage\n\n```terraform\nresource "demo_widget" "w" {\n  name = "w"\n}\n```\n' in page
    assert "## Import\n" in page and "```shell\nterraform import demo_widget.w abc\n```\n" in page

    body = lines(page)
    required = body[body.index("### Required") + 2 : body.index("### Optional") - 1]
    assert required == [
        "- `name` (String) The name. Length from 1 to 8.",
        "- `rule` (Block List, Min: 1, Max: 3) Rules.",
        "  Second line. (see [below for nested schema](#nestedblock--rule))",
    ]
    # A later paragraph of a description (here a list) stays in the item, after the extras.
    assert "#nestedatt--ports))\n\n  * a number\n  * a protocol\n- `secret`" in page
    optional = [
        line
        for line in body[body.index("### Optional") + 2 : body.index("### Read-Only") - 1]
        if line[:1] == "-"
    ]
    assert optional == [
        "- `extra` (Dynamic)",
        "- `labels` (Map of String)",
        '- `mode` (String) One of: `"fast"`, `"slow"`. Changing this value replaces the resource.',
        "- `old` (Boolean, Deprecated) **Deprecated:** Use mode instead.",
        "- `ports` (Attributes Set) Open ports, each with: (see [below for nested schema](#nestedatt--ports))",
        "- `secret` (String, Sensitive) Shh.",
        "- `shape` (Object) (see [below for nested schema](#nestedobjatt--shape))",
        "- `size` (Number) A whole number from 1 to 9. Defaults to `3`.",
        '- `tags` (Set of String) Defaults to `["a", "b"]`.',
        "- `timeouts` (Block) (see [below for nested schema](#nestedblock--timeouts))",
        f"- `token_wo` (String, Sensitive, [Write-only]({WRITE_ONLY_URL}))",
        "- `zone` (String) A new zone replaces it.",
    ]
    assert body[body.index("### Read-Only") + 2 : body.index("### Read-Only") + 4] == [
        "- `id` (String) The id.",
        "- `points` (List of Object) (see [below for nested schema](#nestedobjatt--points))",
    ]


def section(page: str, anchor: str) -> list[str]:
    """The lines of a nested schema section, up to the next one."""
    body = lines(page)
    start = body.index(f'<a id="{anchor}"></a>')
    end = next((i for i in range(start + 1, len(body)) if body[i].startswith(("<a id=", "## "))), len(body))
    return [line for line in body[start + 1 : end] if line]


def test_nested_sections(examples: Path) -> None:
    page = render_docs(DemoProvider(), examples)["resources/widget.md"]
    anchors = [line for line in lines(page) if line.startswith("<a id=")]
    # In the order the lists above point to them (Required, Optional, Read-Only; by name), breadth first.
    assert anchors == [
        '<a id="nestedblock--rule"></a>',
        '<a id="nestedatt--ports"></a>',
        '<a id="nestedobjatt--shape"></a>',
        '<a id="nestedblock--timeouts"></a>',
        '<a id="nestedobjatt--points"></a>',
        '<a id="nestedblock--rule--match"></a>',
        '<a id="nestedobjatt--points--meta"></a>',
    ]
    assert section(page, "nestedatt--ports") == [
        "### Nested Schema for `ports`",
        "Required:",
        "- `number` (Number) Port.",
        "Optional:",
        '- `proto` (String) Defaults to `"tcp"`.',
        "Read-Only:",
        "- `state` (String)",
    ]
    assert section(page, "nestedobjatt--shape") == [
        "### Nested Schema for `shape`",
        "Required:",
        "- `h` (Number)",
        "- `w` (Number)",
        "Optional:",
        "- `unit` (String)",
    ]
    # Everything inside a computed-only attribute is read-only.
    assert section(page, "nestedobjatt--points") == [
        "### Nested Schema for `points`",
        "Read-Only:",
        "- `meta` (Object) (see [below for nested schema](#nestedobjatt--points--meta))",
        "- `x` (Number)",
    ]
    assert section(page, "nestedobjatt--points--meta") == [
        "### Nested Schema for `points.meta`",
        "Read-Only:",
        "- `k` (String)",
    ]
    assert section(page, "nestedblock--rule")[:4] == [
        "### Nested Schema for `rule`",
        "Required:",
        "- `action` (String)",
        "Optional:",
    ]
    assert section(page, "nestedblock--rule--match")[0] == "### Nested Schema for `rule.match`"
    assert "- `match` (Block Map) (see [below for nested schema](#nestedblock--rule--match))" in page


def test_data_source_page_without_example(examples: Path) -> None:
    page = render_docs(DemoProvider(), examples)["data-sources/widgets.md"]
    assert 'page_title: "demo_widgets Data Source - terraform-provider-demo"' in page
    assert "# demo_widgets (Data Source)" in page
    assert "## Example Usage" not in page and "## Import" not in page
    body = lines(page)
    assert body[body.index("### Optional") + 2] == "- `prefix` (String)"
    # A block holding only computed attributes is read-only.
    read_only = body[body.index("### Read-Only") + 2 : body.index("### Read-Only") + 4]
    assert read_only == [
        "- `count` (Number)",
        "- `result` (Block List) (see [below for nested schema](#nestedblock--result))",
    ]
    assert section(page, "nestedblock--result") == [
        "### Nested Schema for `result`",
        "Read-Only:",
        "- `id` (String)",
    ]


def test_index_page(examples: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.md").write_text("## Installing\n\nHand-written.\n\n")
    page = render_docs(DemoProvider(), examples, templates)["index.md"]
    assert 'page_title: "demo Provider"' in page and "\n# demo Provider\n\nDemo provider.\n" in page
    # The example is trimmed of trailing blanks; the template follows it, before the schema.
    assert '```terraform\nprovider "demo" {}\n```\n\n## Installing\n\nHand-written.\n\n## Schema\n' in page
    assert page.endswith(
        "## Environment Variables\n\n"
        "A setting left out of the provider block is read from its environment variable:\n\n"
        "| Setting | Environment variable |\n|---|---|\n"
        "| `endpoint` | `DEMO_ENDPOINT` |\n"
        "| `token` | `DEMO_TOKEN`, `DEMO_AUTH_TOKEN` |\n"
    )


def test_type_labels() -> None:
    assert type_label(List(Set(Map(Bool)))) == "List of Set of Map of Boolean"
    assert type_label(Tuple([String, Number])) == "Tuple of (String, Number)"
    assert type_label(Map(Object({"a": String}))) == "Map of Object"


def test_deterministic(examples: Path) -> None:
    assert render_docs(DemoProvider(), examples) == render_docs(DemoProvider(), examples)


def test_compare_and_write(examples: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pages = render_docs(DemoProvider(), examples)
    first = compare_docs(pages, docs)
    assert first and first.missing == sorted(pages) and not first.changed

    hand_written = docs / "guides" / "howto.md"
    hand_written.parent.mkdir(parents=True)
    hand_written.write_text("# How to\n")
    write_docs(pages, docs)
    assert not compare_docs(pages, docs)
    assert (docs / "resources" / "widget.md").read_text() == pages["resources/widget.md"]

    # A page edited by hand, and a generated page whose type is gone.
    (docs / "index.md").write_text(pages["index.md"].replace("Demo provider.", "Edited."))
    stale = docs / "resources" / "gone.md"
    stale.write_text(pages["resources/widget.md"])
    diff = compare_docs(pages, docs)
    assert diff.changed == ["index.md"] and diff.extra == ["resources/gone.md"] and not diff.missing
    summary = diff.summary()
    assert "changed: index.md" in summary and "no longer generated: resources/gone.md" in summary
    assert "-Edited." in summary and "+Demo provider." in summary

    write_docs(pages, docs)
    assert not compare_docs(pages, docs)
    assert not stale.exists()
    assert hand_written.read_text() == "# How to\n"
