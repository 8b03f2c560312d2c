# By cast config id (32 hex digits; dashes are accepted)
terraform import kasm_cast_config.lobby 3c1b2a9e4d7f4c3a8e5f0b1d2c3a4e5f

# By the link's key (https://<kasm>/#/cast/<key>)
terraform import kasm_cast_config.lobby key:lobby-browser
