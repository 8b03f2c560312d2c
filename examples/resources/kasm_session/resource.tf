data "kasm_images" "terminal" {
  filter {
    name    = "kasmweb/terminal:1.16.0"
    enabled = true
  }
}

resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

resource "kasm_group_image" "developers_terminal" {
  group_id = kasm_group.developers.id
  image_id = data.kasm_images.terminal.images[0].id
}

resource "kasm_user" "jdoe" {
  username = "jdoe"
  password = var.jdoe_password
  groups   = [kasm_group.developers.id]
}

# A running Terminal session for Jane. Kasm starts it only once her group may launch the image,
# hence the depends_on.
resource "kasm_session" "jdoe_terminal" {
  image_id       = data.kasm_images.terminal.images[0].id
  user_id        = kasm_user.jdoe.id
  enable_sharing = false

  timeouts {
    create = "10m"
  }

  depends_on = [kasm_group_image.developers_terminal]
}

variable "jdoe_password" {
  type      = string
  sensitive = true
}

output "jdoe_terminal" {
  value = {
    id     = kasm_session.jdoe_terminal.id
    status = kasm_session.jdoe_terminal.operational_status
  }
}

# The connect link carries a session token.
output "jdoe_terminal_url" {
  value     = kasm_session.jdoe_terminal.kasm_url
  sensitive = true
}
