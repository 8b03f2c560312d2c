# By session id (Kasm's kasm_id), or <user_id>:<kasm_id> to also check whose session it is
import {
  to = kasm_session.jdoe_terminal
  id = "9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b"
}
