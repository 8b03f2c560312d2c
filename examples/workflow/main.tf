# The image authorization workflow: a group that may launch an image, a user in that group, and a
# session of the image for the user. Run it with the provider settings in the environment:
#
#   export KASM_BASE_URL=https://kasm.example.com KASM_API_KEY=... KASM_API_SECRET=...
#   terraform init && terraform apply

terraform {
  required_providers {
    kasm = {
      source = "kasmtech/kasm"
    }
  }
}

# Settings come from KASM_BASE_URL, KASM_API_KEY and KASM_API_SECRET.
provider "kasm" {}

# Get available images
data "kasm_images" "available" {}

# Create a group
resource "kasm_group" "workspace_users" {
  name        = "WorkspaceUsers"
  priority    = 1
  description = "Users with access to workspace images"
}

# Authorize first available image for the group
resource "kasm_group_image" "workspace_access" {
  group_id = kasm_group.workspace_users.id
  image_id = data.kasm_images.available.images[0].id
}

# Create a user
resource "kasm_user" "developer" {
  username   = "developer"
  password   = "Password123!"
  first_name = "John"
  last_name  = "Doe"
  groups     = []

  lifecycle {
    ignore_changes = [
      groups,
      authorized_images,
    ]
  }
}

# Add user to group
resource "kasm_group_membership" "developer_access" {
  group_id = kasm_group.workspace_users.id
  user_id  = kasm_user.developer.id
}

# Create a session with the authorized image
resource "kasm_session" "developer_workspace" {
  depends_on = [kasm_group_membership.developer_access, kasm_group_image.workspace_access]
  image_id   = data.kasm_images.available.images[0].id
  user_id    = kasm_user.developer.id
}

output "image_details" {
  value = [
    for img in data.kasm_images.available.images : {
      id            = img.id
      name          = img.name
      friendly_name = img.friendly_name
      description   = img.description
      cores         = img.cores
      memory        = img.memory
    }
  ]
}

output "session_id" {
  value = kasm_session.developer_workspace.id
}
