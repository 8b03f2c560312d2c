# By zone id (32 hex digits; dashes are accepted)
terraform import kasm_zone.east 0f6d2a1c9b8e4f7a8c3d5e6f7a8b9c0d

# By zone name (exact, case-sensitive), e.g. the install's "default" zone
terraform import kasm_zone.east name:us-east
