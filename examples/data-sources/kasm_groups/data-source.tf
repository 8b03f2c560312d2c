# Every group
data "kasm_groups" "all" {}

output "group_ids_by_name" {
  value = { for g in data.kasm_groups.all.groups : g.name => g.id }
}
