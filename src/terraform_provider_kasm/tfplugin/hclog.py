"""Logging to stderr in hclog's JSON form, which go-plugin (and so Terraform under TF_LOG) understands.

Each record is one line: ``{"@level":"debug","@message":"…","@module":"kasm","@timestamp":"…"}`` plus
any extra fields. Terraform shows the lines at or above its own TF_LOG / TF_LOG_PROVIDER level; we
emit at the level those variables ask for (default: warn) so that an idle run stays quiet. Never pass
configuration values, DynamicValues or credentials to these functions; as a second line of defence,
values registered with :meth:`Logger.mask` (the provider registers its API key's secret) are masked in
every line.

The package's Python ``logging`` records (the Kasm client's per-attempt, retry and rate-limit lines,
anything a resource logs with ``logging``) reach the same stream through :func:`bridge_logging`, which
``serve()`` installs: each record becomes one hclog line at the matching level, with the record's
``extra`` fields as hclog fields, and the Python loggers are set to the level Terraform asked for, so
nothing below it is even formatted.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TextIO

_LEVELS = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4, "off": 5}
_MASK = "***"
# Too short to mask in free text without mangling every line.
_MIN_MASK_LEN = 4


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
        self._masked: tuple[str, ...] = ()

    def mask(self, *values: str | None) -> None:
        """Masks each value (and its dashless form) as ``***`` in every later line."""
        with self._lock:
            new = set(self._masked)
            for value in values:
                if isinstance(value, str):
                    new.update(v for v in (value, value.replace("-", "")) if len(v) >= _MIN_MASK_LEN)
            # Longest first, so a value containing another is masked whole.
            self._masked = tuple(sorted(new, key=len, reverse=True))

    def _redact(self, text: str) -> str:
        for value in self._masked:
            text = text.replace(value, _MASK)
        return text

    def enabled(self, level: str) -> bool:
        return _LEVELS[level] >= self.level

    def log(self, level: str, message: str, **fields: Any) -> None:
        self.write(level, message, fields)

    def write(self, level: str, message: str, fields: Mapping[str, Any], module: str | None = None) -> None:
        """One line; ``module`` (default: this logger's) becomes ``@module``."""
        if _LEVELS[level] < self.level:
            return
        record: dict[str, Any] = {
            "@level": level,
            "@message": message,
            "@module": module or self.module,
            "@timestamp": datetime.now().astimezone().isoformat(timespec="microseconds"),
        }
        record.update(fields)
        if self._masked:
            # Masked in the values and in the encoded line: neither a field's str() nor JSON
            # escaping can carry a value past it.
            record = {k: self._redact(v) if isinstance(v, str) else v for k, v in record.items()}
            line = self._redact(json.dumps(record, default=str))
        else:
            line = json.dumps(record, default=str)
        stream = self._stream or sys.stderr
        with self._lock:
            try:
                stream.write(line + "\n")
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


# ---------------------------------------------------------------------------------------------------
# Python logging → hclog

#: hclog level → the lowest Python level shown at it (trace: everything, Python has no trace level).
_PYTHON_LEVELS = {
    "trace": 1,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "off": logging.CRITICAL + 1,
}
_LEVEL_NAMES = {number: name for name, number in _LEVELS.items()}
# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def hclog_level(levelno: int) -> str:
    """The hclog level of a Python record level (below DEBUG is trace, CRITICAL is error)."""
    if levelno < logging.DEBUG:
        return "trace"
    if levelno < logging.INFO:
        return "debug"
    if levelno < logging.WARNING:
        return "info"
    if levelno < logging.ERROR:
        return "warn"
    return "error"


def python_level(level: int) -> int:
    """The Python logger level that passes exactly the records an hclog ``level`` shows."""
    return _PYTHON_LEVELS[_LEVEL_NAMES[level]]


class HclogHandler(logging.Handler):
    """Writes Python log records through a :class:`Logger`: ``@module`` is ``kasm`` plus the logger's
    name below the package (``terraform_provider_kasm.client`` → ``kasm.client``)."""

    def __init__(self, logger: Logger, package: str = "terraform_provider_kasm") -> None:
        super().__init__(level=python_level(logger.level))
        self.logger = logger
        self.package = package

    def emit(self, record: logging.LogRecord) -> None:
        try:
            name = record.name
            module = self.logger.module
            if name.startswith(self.package + "."):
                module = f"{module}.{name[len(self.package) + 1 :]}"
            fields = {k: v for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES}
            if record.exc_info:
                fields["error"] = logging.Formatter().formatException(record.exc_info)
            self.logger.write(hclog_level(record.levelno), record.getMessage(), fields, module)
        except Exception:
            self.handleError(record)


def bridge_logging(logger: Logger | None = None, package: str = "terraform_provider_kasm") -> HclogHandler:
    """Sends the package's Python log records to ``logger`` (default: the provider's) at its level;
    the package's loggers stop propagating to the root, so nothing else prints them. Idempotent."""
    target = logger or log
    py_logger = logging.getLogger(package)
    for existing in py_logger.handlers:
        if isinstance(existing, HclogHandler):
            py_logger.removeHandler(existing)
    handler = HclogHandler(target, package)
    py_logger.addHandler(handler)
    py_logger.setLevel(python_level(target.level))
    py_logger.propagate = False
    return handler
