resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

resource "kasm_user" "jdoe" {
  username     = "jdoe"
  password     = var.jdoe_password
  first_name   = "Jane"
  last_name    = "Doe"
  organization = "Example Corp"

  # Group ids or names; the built-in All Users group is kept either way.
  groups = [kasm_group.developers.id]

  # With Terraform 1.11 or later the password can stay out of the plan and state:
  #   password_wo         = var.jdoe_password
  #   password_wo_version = 1   # change it to send the password again
}

variable "jdoe_password" {
  type      = string
  sensitive = true
}

output "jdoe_images" {
  description = "Ids of the images Jane may launch through her groups."
  value       = kasm_user.jdoe.authorized_images
}
