# One image by its exact docker name (an error if none, or several, have it)
data "kasm_image" "terminal" {
  name = "kasmweb/terminal:1.16.0"
}

# Or by id
data "kasm_image" "by_id" {
  id = data.kasm_image.terminal.id
}

output "terminal" {
  value = {
    id        = data.kasm_image.terminal.id
    cores     = data.kasm_image.terminal.cores
    memory    = data.kasm_image.terminal.memory
    available = data.kasm_image.terminal.available
    # JSON documents come back as JSON strings
    run_config = try(jsondecode(data.kasm_image.terminal.run_config), {})
  }
}
