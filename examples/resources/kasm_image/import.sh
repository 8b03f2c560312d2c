# By image id (32 hex digits; dashes are accepted)
terraform import kasm_image.terminal 3c1f0a9e2d7b4c3a8e5f0b1d2c3a4e5f

# By exact docker name, when exactly one image has it (the error lists the ids otherwise)
terraform import kasm_image.terminal name:kasmweb/terminal:1.16.0
