# A zone for a second site; every field left out takes Kasm's default.
resource "kasm_zone" "east" {
  name                   = "us-east"
  load_strategy          = "most_load"
  search_alternate_zones = false
  proxy_hostname         = "east.kasm.example.com"
  proxy_port             = 8443
}
