# By session id (Kasm's kasm_id, 32 hex digits; dashes are accepted)
terraform import kasm_session.jdoe_terminal 9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b

# <user_id>:<kasm_id>, which also checks that the session is that user's
terraform import kasm_session.jdoe_terminal d41c9e2b7a6f4e3d8c1b0a9f8e7d6c5b:9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b
