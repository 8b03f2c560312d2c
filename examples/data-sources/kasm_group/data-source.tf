# One group by name (or by id: id = "..."), e.g. to authorize an image for the built-in All Users
data "kasm_group" "all_users" {
  name = "All Users"
}

data "kasm_images" "terminal" {
  filter {
    name = "kasmweb/terminal:1.16.0"
  }
}

resource "kasm_group_image" "everyone_terminal" {
  group_id = data.kasm_group.all_users.id
  image_id = data.kasm_images.terminal.images[0].id
}

# Kasm's defaults (the settings of All Users), name => value as Kasm stores it
output "default_settings" {
  value = data.kasm_group.all_users.settings
}
