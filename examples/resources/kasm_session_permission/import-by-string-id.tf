# <kasm_id>:<user_id>
import {
  to = kasm_session_permission.reviewer_views_jdoe
  id = "3d8e1f0a5b6c4d7e9f0a1b2c3d4e5f60:7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
}
