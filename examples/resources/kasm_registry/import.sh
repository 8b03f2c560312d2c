# By registry id (32 hex digits; dashes are accepted)
terraform import kasm_registry.community 5b2e0c1d9a8f4e7b8c6d5e4f3a2b1c0d

# By URL, e.g. the official registry every Kasm install has
terraform import kasm_registry.community url:https://registry.kasmweb.com/
