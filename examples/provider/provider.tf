terraform {
  required_providers {
    kasm = {
      source = "kasmtech/kasm"
    }
  }
}

# Every setting is optional here: one left out is read from the environment variable in its comment.
# With KASM_BASE_URL, KASM_API_KEY and KASM_API_SECRET exported, `provider "kasm" {}` is enough.
provider "kasm" {
  base_url   = "https://kasm.example.com" # KASM_BASE_URL
  api_key    = var.kasm_api_key           # KASM_API_KEY
  api_secret = var.kasm_api_secret        # KASM_API_SECRET

  # Only for a Kasm whose certificate comes from a private CA:
  # ca_file = "/etc/ssl/private-ca.pem"   # KASM_CA_FILE
  # Only for test installations with a self-signed certificate:
  # insecure = true                       # KASM_INSECURE

  timeout             = 60 # KASM_TIMEOUT: seconds to wait for each answer
  max_retries         = 3  # KASM_MAX_RETRIES: retries of calls that are safe to repeat
  requests_per_second = 20 # KASM_REQUESTS_PER_SECOND: client-side rate limit
}

variable "kasm_api_key" {
  type        = string
  description = "Kasm Developer API key (Admin > Settings > Developer API)."
}

variable "kasm_api_secret" {
  type        = string
  sensitive   = true
  description = "The API key's secret."
}
