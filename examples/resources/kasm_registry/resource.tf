# A third-party workspace registry, on Kasm's stable channel, refreshed by Kasm itself.
resource "kasm_registry" "community" {
  url            = "https://kasmregistry.linuxserver.io/"
  channel        = "stable"
  do_auto_update = true
}
