resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

resource "kasm_user" "jdoe" {
  username = "jdoe"
  password = var.jdoe_password

  # The memberships below own this user's groups.
  lifecycle {
    ignore_changes = [groups]
  }
}

resource "kasm_group_membership" "jdoe_developers" {
  group_id = kasm_group.developers.id
  user_id  = kasm_user.jdoe.id
}

variable "jdoe_password" {
  type      = string
  sensitive = true
}
