# Every installed workspace registry
data "kasm_registries" "all" {}

output "registry_urls" {
  value = [for r in data.kasm_registries.all.registries : r.url]
}
