# By staging config id (32 hex digits; dashes are accepted)
terraform import kasm_staging_config.browser 5a2c4e6f8b0d4f1a9c3e5b7d9f1a3c5e

# By zone and image: <zone_id>:<image_id>
terraform import kasm_staging_config.browser 0f1e2d3c4b5a49687766554433221100:1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6
