data "kasm_images" "all" {}

# A kiosk link: https://<kasm>/#/cast/lobby-browser starts a session of the first usable image.
resource "kasm_cast_config" "lobby" {
  casting_config_name = "Lobby browser"
  key                 = "lobby-browser"
  image_id            = data.kasm_images.all.images[0].id

  allowed_referrers = ["intranet.example.com"]
  allow_anonymous   = true
  kasm_url          = "https://intranet.example.com"
  error_url         = "https://intranet.example.com/kiosk-unavailable"

  limit_ips          = true
  ip_request_limit   = 2
  ip_request_seconds = 3600

  enforce_client_settings = true
  allow_kasm_audio        = true
  kasm_audio_default_on   = true

  valid_until = "2030-12-31 23:59:59"
}
