resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

# One resource per (group, setting); value has the type Kasm gives the setting.
resource "kasm_group_setting" "developers_sharing" {
  group_id = kasm_group.developers.id
  name     = "allow_kasm_sharing"
  value    = true
}

# Several settings of one group with for_each.
locals {
  developer_settings = {
    keepalive_expiration = 7200 # int, seconds
    idle_disconnect      = 45.5 # float, minutes
    max_kasms_per_user   = 3
  }
}

resource "kasm_group_setting" "developers" {
  for_each = local.developer_settings

  group_id = kasm_group.developers.id
  name     = each.key
  value    = each.value
}

# JSON settings take JSON text; key order and whitespace never make a diff.
resource "kasm_group_setting" "developers_metadata" {
  group_id = kasm_group.developers.id
  name     = "metadata"
  value    = jsonencode({ team = "platform" })
}

# A default for everyone: the setting of the built-in All Users group (destroy restores the
# value it had before).
resource "kasm_group_setting" "default_session_limit" {
  group_id = "68d557ac4cac42cca9f31c7c853de0f3"
  name     = "max_kasms_per_user"
  value    = 1
}
