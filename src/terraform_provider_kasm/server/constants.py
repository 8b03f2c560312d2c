"""Ids and names the server's areas share (the seed creates the rows; the services only refer to them)."""

from __future__ import annotations

import uuid

# Kasm's built-in groups (the same ids as on every Kasm install).
ALL_USERS_GROUP_ID = "68d557ac4cac42cca9f31c7c853de0f3"
ADMINISTRATORS_GROUP_ID = "31aa063c670648589533d3c42092d02a"
DEFAULT_REGISTRY_URL = "https://registry.kasmweb.com/"

# The one simulated docker agent every session runs on.
LOCAL_AGENT_ID = uuid.uuid5(uuid.NAMESPACE_DNS, "agent.kasm.local").hex
LOCAL_AGENT_HOSTNAME = "kasm-agent.local"
LOCAL_AGENT_IP = "127.0.0.1"
# Its manager, which lives in the seeded default zone (`zones.local_manager`).
LOCAL_MANAGER_ID = uuid.uuid5(uuid.NAMESPACE_DNS, "manager.kasm.local").hex
LOCAL_MANAGER_HOSTNAME = "kasm-manager.local"
