# By group id (32 hex digits; dashes are accepted), or by exact name: id = "name:Developers"
import {
  to = kasm_group.developers
  id = "6f1c0a9e2d7b4c3a8e5f0b1d2c3a4e5f"
}
