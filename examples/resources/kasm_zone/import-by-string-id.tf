# By zone id (32 hex digits; dashes are accepted), or by exact name: id = "name:us-east"
import {
  to = kasm_zone.east
  id = "0f6d2a1c9b8e4f7a8c3d5e6f7a8b9c0d"
}
