"""API models: what the endpoints take (`*Request`) and answer (`*Response`, `*Out`).

They document the OpenAPI schema and shape the JSON output; input validation itself follows Kasm's own
rules in the services (Kasm answers bad input with its own messages, never with a 422).
"""
