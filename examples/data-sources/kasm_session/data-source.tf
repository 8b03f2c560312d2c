# One session by id (Kasm's kasm_id); an id Kasm does not list is an error
variable "kasm_id" {
  type        = string
  description = "The session's id, e.g. kasm_session.<name>.id"
}

data "kasm_session" "this" {
  id = var.kasm_id
}

output "session_status" {
  value = data.kasm_session.this.operational_status
}
