"""Shared pytest configuration: fixtures live in tests/fixtures/, one module per part."""

pytest_plugins = [
    "tests.fixtures.terraform",
    "tests.fixtures.kasm_server",
    "tests.fixtures.inprocess",
]
