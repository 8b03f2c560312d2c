data "kasm_images" "terminal" {
  filter {
    name = "kasmweb/terminal:1.16.0"
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
  password = var.password
  groups   = [kasm_group.developers.id]
}

resource "kasm_user" "reviewer" {
  username = "reviewer"
  password = var.password
}

# Jane's session, shared (the allow_kasm_sharing group setting must allow it).
resource "kasm_session" "jdoe_terminal" {
  image_id       = data.kasm_images.terminal.images[0].id
  user_id        = kasm_user.jdoe.id
  enable_sharing = true
  depends_on     = [kasm_group_image.developers_terminal]
}

# The reviewer may watch it; "rw" would let them control it too.
resource "kasm_session_permission" "reviewer_views_jdoe" {
  kasm_id = kasm_session.jdoe_terminal.id
  user_id = kasm_user.reviewer.id
  access  = "r"
}

variable "password" {
  type      = string
  sensitive = true
}
