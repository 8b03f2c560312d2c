# Every image Kasm knows
data "kasm_images" "all" {}

output "available_images" {
  value = data.kasm_images.all.images
}

# Only the enabled images of one docker name
data "kasm_images" "terminal" {
  filter {
    name    = "kasmweb/terminal:1.16.0"
    enabled = true
  }
}

output "terminal_image_id" {
  value = try(data.kasm_images.terminal.images[0].id, null)
}

# A summary of each image
data "kasm_images" "available" {}

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
