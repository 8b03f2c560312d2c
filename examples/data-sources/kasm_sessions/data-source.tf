# Every session Kasm lists (sessions being deleted are left out)
data "kasm_sessions" "all" {}

data "kasm_user" "jdoe" {
  username = "jdoe"
}

data "kasm_image" "terminal" {
  name = "kasmweb/terminal:1.16.0"
}

# A user's running sessions of one image (every given filter must match)
data "kasm_sessions" "jdoe_terminals" {
  user_id            = data.kasm_user.jdoe.id
  image_id           = data.kasm_image.terminal.id
  operational_status = "running"
}

output "session_count" {
  value = length(data.kasm_sessions.all.sessions)
}

output "jdoe_terminal_hosts" {
  value = [for s in data.kasm_sessions.jdoe_terminals.sessions : s.hostname]
}
