# The workspaces the official registry offers
data "kasm_registries" "all" {}

data "kasm_registry_images" "official" {
  registry_id = one([for r in data.kasm_registries.all.registries : r.id if r.url == "https://registry.kasmweb.com/"])
}

# Those not installed yet
output "not_installed" {
  value = [for w in data.kasm_registry_images.official.images : w.friendly_name if !w.installed]
}
