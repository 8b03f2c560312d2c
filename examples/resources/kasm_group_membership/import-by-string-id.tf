# <group_id>:<user_id>
import {
  to = kasm_group_membership.jdoe_developers
  id = "6f1c0a9e2d7b4c3a8e5f0b1d2c3a4e5f:d41c9e2b7a6f4e3d8c1b0a9f8e7d6c5b"
}
