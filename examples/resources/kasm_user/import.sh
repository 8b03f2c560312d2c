# By user id (32 hex digits; dashes are accepted)
terraform import kasm_user.jdoe d41c9e2b7a6f4e3d8c1b0a9f8e7d6c5b

# By username (the password is not read back: it is null in the state until configured)
terraform import kasm_user.jdoe username:jdoe
