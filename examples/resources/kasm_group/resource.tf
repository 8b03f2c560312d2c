resource "kasm_group" "developers" {
  name        = "Developers"
  priority    = 50
  description = "Engineering staff: terminal and IDE workspaces"
}
