# One session by id (Kasm's kasm_id); an id Kasm does not list is an error
data "kasm_session" "this" {
  id = kasm_session.s.id
}

output "session_status" {
  value = data.kasm_session.this.operational_status
}
