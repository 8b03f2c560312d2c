resource "kasm_group" "developers" {
  name        = "Developers"
  priority    = 50
  description = "Engineering staff: terminal and IDE workspaces"

  # Kasm permissions for the group's members. Managing them needs an API key with Global Admin;
  # left out, the group's permissions are not touched.
  # permissions = ["Users View"]
}
