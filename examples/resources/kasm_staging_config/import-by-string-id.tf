# By staging config id (32 hex digits; dashes are accepted), or "<zone_id>:<image_id>"
import {
  to = kasm_staging_config.browser
  id = "5a2c4e6f8b0d4f1a9c3e5b7d9f1a3c5e"
}
