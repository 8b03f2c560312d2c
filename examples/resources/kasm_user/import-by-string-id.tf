# By user id (32 hex digits; dashes are accepted), or by username: id = "username:jdoe"
import {
  to = kasm_user.jdoe
  id = "d41c9e2b7a6f4e3d8c1b0a9f8e7d6c5b"
}
