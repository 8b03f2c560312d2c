# By group id (32 hex digits; dashes are accepted)
terraform import kasm_group.developers 6f1c0a9e2d7b4c3a8e5f0b1d2c3a4e5f

# By group name (exact, case-sensitive), e.g. to adopt the built-in "All Users" group
terraform import kasm_group.developers name:Developers
