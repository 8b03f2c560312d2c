# Every zone with full details
data "kasm_zones" "all" {
  brief = false
}

# Zones without their servers
data "kasm_zones" "brief" {
  brief = true
}

# The id of the install's default zone
output "default_zone_id" {
  value = [
    for zone in data.kasm_zones.all.zones :
    zone.id
    if zone.name == "default"
  ][0]
}
