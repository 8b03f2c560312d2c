# By license id (32 hex digits; dashes are accepted)
import {
  to = kasm_license.this
  id = "2b4d6f8a0c1e4a3b9d5f7b9d1f3a5c7e"
}
