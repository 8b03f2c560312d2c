variable "kasm_license_key" {
  description = "The license key from Kasm (the -----BEGIN LICENSE KEY----- block)"
  type        = string
  sensitive   = true
}

resource "kasm_license" "this" {
  license_key = var.kasm_license_key
}

# Or activate online (Kasm's license server must be reachable from the Kasm server):
#
# resource "kasm_license" "this" {
#   activation_key = var.kasm_activation_key
#   seats          = 25
#   issued_to      = "Example Corp"
# }

output "kasm_license_limit" {
  value = kasm_license.this.limit
}
