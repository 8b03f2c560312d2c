# By cast config id (32 hex digits; dashes are accepted), or by key: id = "key:lobby-browser"
import {
  to = kasm_cast_config.lobby
  id = "3c1b2a9e4d7f4c3a8e5f0b1d2c3a4e5f"
}
