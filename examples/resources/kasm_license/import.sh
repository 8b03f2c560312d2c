# By license id (32 hex digits; dashes are accepted). Kasm never shows a license's key: the next
# apply records the configured key in place (it must be that license's key, or it is replaced).
terraform import kasm_license.this 2b4d6f8a0c1e4a3b9d5f7b9d1f3a5c7e
