data "kasm_images" "terminal" {
  filter {
    name = "kasmweb/terminal:1.16.0"
  }
}

resource "kasm_group" "developers" {
  name     = "Developers"
  priority = 50
}

# Members of Developers may launch the Terminal workspace.
resource "kasm_group_image" "developers_terminal" {
  group_id = kasm_group.developers.id
  image_id = data.kasm_images.terminal.images[0].id
}
