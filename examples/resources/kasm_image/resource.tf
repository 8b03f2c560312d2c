# A container workspace: 2 cores, 2768 MB (memory is in bytes, as Kasm stores it)
resource "kasm_image" "terminal" {
  name          = "kasmweb/terminal:1.16.0"
  friendly_name = "Terminal"
  description   = "A shell in the browser"
  image_src     = "img/thumbnails/terminal.png"
  categories    = ["Development"]
  cores         = 2
  memory        = 2768000000

  # Docker options as JSON: key order and whitespace are never a change
  run_config = jsonencode({
    hostname = "kasm"
    environment = {
      TZ = "Europe/Berlin"
    }
  })
  exec_config = jsonencode({
    first_launch = { cmd = "bash -c 'echo ready'" }
  })
  volume_mappings = jsonencode({
    "/mnt/shared" = { bind = "/home/kasm-user/shared", mode = "rw", uid = 1000, gid = 1000 }
  })

  persistent_profile_path = "/mnt/profiles/{username}"
  session_time_limit      = 28800 # seconds
}

# An image from a private registry
variable "registry_password" {
  type      = string
  sensitive = true
}

resource "kasm_image" "internal_app" {
  name            = "registry.example.com/tools/app:2.1"
  friendly_name   = "Internal app"
  docker_registry = "https://registry.example.com/"
  docker_user     = "kasm-pull"

  docker_password = var.registry_password # sensitive; never read back from Kasm

  # With Terraform 1.11 or later, keep it out of the state altogether (write-only) instead:
  # docker_password_wo         = var.registry_password
  # docker_password_wo_version = 1 # bump to send a new password
}

# Let a group launch it
resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

resource "kasm_group_image" "developers_terminal" {
  group_id = kasm_group.developers.id
  image_id = kasm_image.terminal.id
}
