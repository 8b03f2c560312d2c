data "kasm_images" "all" {}

data "kasm_zones" "all" {}

# Keep two sessions of the first usable image ready in the first zone.
resource "kasm_staging_config" "browser" {
  zone_id      = data.kasm_zones.all.zones[0].id
  image_id     = data.kasm_images.all.images[0].id
  num_sessions = 2
  expiration   = 1

  allow_kasm_audio          = true
  allow_kasm_clipboard_down = true
}
