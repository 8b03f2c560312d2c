"""Logging to stderr in hclog's JSON form, which go-plugin (and so Terraform under TF_LOG) understands.

Each record is one line: ``{"@level":"debug","@message":"…","@module":"kasm","@timestamp":"…"}`` plus
any extra fields. Terraform shows the lines at or above its own TF_LOG / TF_LOG_PROVIDER level; we
emit at the level those variables ask for (default: warn) so that an idle run stays quiet. Never pass
configuration values, DynamicValues or credentials to these functions.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime
from typing import Any, TextIO

_LEVELS = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4, "off": 5}


def _level_from_env() -> int:
    for var in ("TF_LOG_PROVIDER_KASM", "TF_LOG_PROVIDER", "TF_LOG"):
        name = os.environ.get(var, "").strip().lower()
        if name:
            if name == "json":  # TF_LOG=JSON means trace in JSON form
                return _LEVELS["trace"]
            return _LEVELS.get(name, _LEVELS["trace"])
    return _LEVELS["warn"]


class Logger:
    """A small thread-safe hclog-JSON logger (one line per record, written atomically)."""

    def __init__(self, module: str = "kasm", stream: TextIO | None = None, level: int | None = None) -> None:
        self.module = module
        self._stream = stream
        self.level = _level_from_env() if level is None else level
        self._lock = threading.Lock()

    def enabled(self, level: str) -> bool:
        return _LEVELS[level] >= self.level

    def log(self, level: str, message: str, **fields: Any) -> None:
        if _LEVELS[level] < self.level:
            return
        record: dict[str, Any] = {
            "@level": level,
            "@message": message,
            "@module": self.module,
            "@timestamp": datetime.now().astimezone().isoformat(timespec="microseconds"),
        }
        record.update(fields)
        line = json.dumps(record, default=str) + "\n"
        stream = self._stream or sys.stderr
        with self._lock:
            try:
                stream.write(line)
                stream.flush()
            except (OSError, ValueError):  # stderr gone (host exited): nothing useful to do
                pass

    def trace(self, message: str, **fields: Any) -> None:
        self.log("trace", message, **fields)

    def debug(self, message: str, **fields: Any) -> None:
        self.log("debug", message, **fields)

    def info(self, message: str, **fields: Any) -> None:
        self.log("info", message, **fields)

    def warn(self, message: str, **fields: Any) -> None:
        self.log("warn", message, **fields)

    def error(self, message: str, **fields: Any) -> None:
        self.log("error", message, **fields)


#: The provider's logger.
log = Logger()
