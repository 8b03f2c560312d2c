# One user by username (or by id: id = "...")
data "kasm_user" "admin" {
  username = "admin@kasm.local"
}

output "admin_user_id" {
  value = data.kasm_user.admin.id
}

output "admin_groups" {
  value = data.kasm_user.admin.groups
}
