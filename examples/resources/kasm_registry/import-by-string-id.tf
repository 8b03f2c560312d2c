# By registry id (32 hex digits; dashes are accepted), or by URL: id = "url:https://registry.kasmweb.com/"
import {
  to = kasm_registry.community
  id = "5b2e0c1d9a8f4e7b8c6d5e4f3a2b1c0d"
}
