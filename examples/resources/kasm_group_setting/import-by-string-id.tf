# <group_id>:<name>
import {
  to = kasm_group_setting.developers_sharing
  id = "6f1c0a9e2d7b4c3a8e5f0b1d2c3a4e5f:allow_kasm_sharing"
}
