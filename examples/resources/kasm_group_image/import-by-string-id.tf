# <group_id>:<image_id>
import {
  to = kasm_group_image.developers_terminal
  id = "6f1c0a9e2d7b4c3a8e5f0b1d2c3a4e5f:0b8d3f6a1c2e4d5f9a7b6c5d4e3f2a1b"
}
