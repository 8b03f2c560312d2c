# Every user, however many (all pages of get_users)
data "kasm_users" "all" {}

output "usernames" {
  value = [for u in data.kasm_users.all.users : u.username]
}

# The users of one group
output "developers" {
  value = [for u in data.kasm_users.all.users : u.username if contains(u.groups, "Developers")]
}
