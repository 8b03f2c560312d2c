# By image id (32 hex digits; dashes are accepted), or by exact docker name:
# id = "name:kasmweb/terminal:1.16.0"
import {
  to = kasm_image.terminal
  id = "3c1f0a9e2d7b4c3a8e5f0b1d2c3a4e5f"
}
