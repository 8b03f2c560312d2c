"""The one request function every Kasm call goes through.

``POST <base_url>/api/public/<call>`` with a JSON object body that carries ``api_key`` and
``api_key_secret``; the answer is a JSON object, and any ``error_message`` in it is a failure
whatever the HTTP status (reference §1.6), turned into an exception by :func:`errors.classify`.

Retries (exponential backoff with jitter, at most ``max_retries`` more attempts):

* the request certainly did not reach Kasm (connection refused, connect/pool timeout) or Kasm
  refused it before doing anything (HTTP 429, honouring Retry-After; HTTP 503): every call retries;
* the outcome is unknown (reset or read timeout after sending, HTTP 502/504): only calls marked
  ``idempotent`` retry. A create passes ``recover`` instead: after the failure it looks the object
  up (by username, group name…) and returns it if the first attempt did create it, and only
  retries when it did not (``Area._create``: only an object that was absent before the call was
  sent counts as created by it; one found then raises ``AlreadyExisted``). Without either, the
  error is raised: a create is never repeated blindly.

Deadline: a call (every attempt and every wait between them) takes at most ``deadline`` seconds;
each attempt waits for its answer at most ``read_timeout`` and never past the deadline, and a retry
whose backoff would end after it is not made. A TLS failure (handshake, certificate) is never
retried: it would fail the same way. With ``stop`` (an Event set on StopProvider / Ctrl-C) no new
attempt starts once it is set, and an attempt waiting for its answer is abandoned within ~0.1 s
(it runs on a worker thread, which its own timeout ends).

Thread safety: one :class:`Transport` (one pooled ``httpx.Client``) is shared by every thread;
no per-call state lives on it, and the optional rate limiter is a locked token bucket.
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from . import errors
from .redact import redact, secret_values

__all__ = ["DEFAULT_DEADLINE", "RateLimiter", "Transport", "TransportOptions", "normalize_base_url"]

log = logging.getLogger("terraform_provider_kasm.client")

JSON = dict[str, Any]
Recover = Callable[[], JSON | None]
AcceptError = Callable[[int, JSON], bool]

#: Seconds one call may take in total (all attempts and backoff), unless told otherwise.
DEFAULT_DEADLINE = 30.0
_NOT_PROCESSED_STATUSES = frozenset({429, 503})
_AMBIGUOUS_STATUSES = frozenset({502, 504})
_EXCERPT_LEN = 200


def normalize_base_url(base_url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash or a trailing ``/api/public``.

    Raises ValueError for anything that is not an absolute http(s) URL with a host.
    """
    if not isinstance(base_url, str) or not base_url.strip():
        raise ValueError("base_url is empty; expected e.g. https://kasm.example.com")
    parts = urlsplit(base_url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"base_url must start with http:// or https:// (got {base_url!r})")
    if not parts.hostname:
        raise ValueError(f"base_url has no host name (got {base_url!r})")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment (got {base_url!r})")
    if parts.username or parts.password:
        raise ValueError("base_url must not contain credentials; use api_key / api_key_secret")
    path = parts.path.rstrip("/")
    if path.endswith("/api/public"):
        path = path[: -len("/api/public")]
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


class RateLimiter:
    """A thread-safe token bucket: at most ``rate`` calls per second, bursts of ``burst``."""

    def __init__(
        self,
        rate: float,
        burst: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be > 0 requests per second")
        self.rate = rate
        self.burst = float(burst if burst is not None else max(1, int(rate)))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a token; returns how long it waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                # Tolerance: float refills can stop a hair short of 1, and a wait of 1e-17 s would
                # never move the clock forward.
                if self._tokens >= 1 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1)
                    return waited
                wait = max((1 - self._tokens) / self.rate, 1e-4)
            # Sleep outside the lock so other threads can compute their own wait.
            self._sleep(wait)
            waited += wait


class _Retry(Exception):
    """Internal: this attempt failed in a way that may be retried."""

    def __init__(self, error: errors.KasmError, *, processed: bool, delay: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        # False: Kasm certainly did not act on the request. True: it may have.
        self.processed = processed
        self.delay = delay


@dataclass(frozen=True)
class TransportOptions:
    """How the client talks to Kasm, as one value (``KasmClient(..., options=TransportOptions(...))``).

    ``ca_file``: a PEM bundle to verify Kasm's certificate with; ``insecure``: skip verification.
    ``connect_timeout``/``read_timeout`` in seconds (each attempt). ``deadline``: seconds one call
    may take in total, every attempt and wait included (None: no limit). ``stop``: an Event that,
    once set, abandons calls in flight and refuses new ones (StopProvider). ``max_retries``: extra
    attempts for failures that are safe to retry; ``backoff_initial``/``backoff_max`` bound the delay between them and
    ``max_retry_after`` a server's Retry-After. ``rate_limit``: at most this many requests per
    second across all threads. ``sleep``, ``clock`` and ``jitter`` exist so tests need not wait.
    """

    ca_file: str | None = None
    insecure: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 3
    deadline: float | None = DEFAULT_DEADLINE
    stop: threading.Event | None = None
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 120.0
    rate_limit: float | None = None
    user_agent: str = "terraform-provider-kasm"
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError("deadline must be > 0 seconds (or None for none)")


class Transport:
    """HTTP plumbing shared by every API area; see the module docstring for the rules.

    ``transport``: an httpx transport to use instead of the network (``httpx.MockTransport``,
    ``client.asgi.SyncASGITransport``).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_key_secret: str,
        options: TransportOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is empty")
        if not api_key_secret:
            raise ValueError("api_key_secret is empty")
        self.options = o = options or TransportOptions()
        self.base_url = normalize_base_url(base_url)
        self.api_key = api_key
        self._secret = api_key_secret
        self.max_retries = o.max_retries
        self.deadline = o.deadline
        self.connect_timeout = o.connect_timeout
        self.read_timeout = o.read_timeout
        self.stop = o.stop
        self.backoff_initial = o.backoff_initial
        self.backoff_max = o.backoff_max
        self.max_retry_after = o.max_retry_after
        self.sleep = o.sleep
        self.clock = o.clock
        self._jitter = o.jitter
        self.rate_limiter = RateLimiter(o.rate_limit, clock=o.clock, sleep=o.sleep) if o.rate_limit else None
        verify: ssl.SSLContext | bool
        if o.insecure:
            log.warning("TLS certificate verification is disabled for %s (insecure=True)", self.base_url)
            verify = False
        elif o.ca_file:
            verify = ssl.create_default_context(cafile=o.ca_file)
        else:
            verify = True
        self._http = httpx.Client(
            transport=transport,
            verify=verify,
            timeout=httpx.Timeout(o.read_timeout, connect=o.connect_timeout),
            headers={"User-Agent": o.user_agent, "Accept": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, api_key={self.api_key!r})"

    def close(self) -> None:
        self._http.close()

    # --- the request function ------------------------------------------------------------------

    def call(
        self,
        call: str,
        payload: Mapping[str, Any] | None = None,
        *,
        idempotent: bool,
        recover: Recover | None = None,
        accept_error: AcceptError | None = None,
    ) -> JSON:
        """POST ``payload`` (plus credentials) to ``/api/public/<call>`` and return the JSON object.

        ``idempotent``: repeating the call cannot change the outcome, so it may be retried after an
        ambiguous failure. ``recover``: for non-idempotent calls, looks up what the call would
        have created; a non-None result is returned as the call's answer. ``accept_error``: says
        whether a body with ``error_message`` is nevertheless a success (e.g. a session that is
        still starting).
        """
        body = dict(payload or {})
        # Secret values in this request are masked in anything derived from the answer.
        secrets = secret_values(body) | {self._secret}
        body["api_key"] = self.api_key
        body["api_key_secret"] = self._secret
        url = f"{self.base_url}/api/public/{call}"
        ends = None if self.deadline is None else self.clock() + self.deadline
        attempt = 0
        while True:
            attempt += 1
            self._check_stop(call, attempt)
            try:
                return self._attempt(call, url, body, secrets, attempt, accept_error, ends)
            except _Retry as retry:
                error = retry.error
                if attempt > self.max_retries:
                    raise error from None
                if retry.processed and not idempotent:
                    if recover is None:
                        log.debug(
                            "kasm %s: not retried after %s (the call may have taken effect)",
                            call,
                            type(error).__name__,
                        )
                        raise error from None
                    self._backoff(call, attempt, error, retry.delay, ends)
                    found = self._recover(call, recover, error)
                    if found is not None:
                        log.debug("kasm %s: the failed attempt had taken effect; using it", call)
                        return found
                    continue
                self._backoff(call, attempt, error, retry.delay, ends)

    def _check_stop(self, call: str, attempt: int) -> None:
        if self.stop is not None and self.stop.is_set():
            raise errors.Stopped(
                f"Kasm {call}: not sent, the provider is stopping (Terraform asked it to stop)",
                call=call,
                sent=attempt > 1,
                attempts=attempt - 1,
                kind="stopped",
            )

    def _recover(self, call: str, recover: Recover, error: errors.KasmError) -> JSON | None:
        try:
            return recover()
        except errors.AlreadyExisted:
            raise
        except errors.KasmError as lookup_error:
            log.debug("kasm %s: lookup after failure failed: %s", call, type(lookup_error).__name__)
            raise error from lookup_error

    def _backoff(
        self, call: str, attempt: int, error: errors.KasmError, delay: float | None, ends: float | None
    ) -> None:
        if delay is None:
            ceiling = min(self.backoff_max, self.backoff_initial * (2 ** (attempt - 1)))
            # "Equal jitter": at least half the exponential delay, so retries still spread out.
            delay = ceiling / 2 + self._jitter() * ceiling / 2
        if ends is not None and self.clock() + delay >= ends:
            # The next attempt could not finish in time: give up now, saying why.
            _add_note(
                error,
                f"gave up after {attempt} attempt(s): the deadline of {self.deadline:g}s for one Kasm call "
                "(the provider's deadline, KASM_DEADLINE) left no time for another",
            )
            raise error from None
        log.debug(
            "kasm %s: retry %d/%d in %.2fs after %s",
            call,
            attempt,
            self.max_retries,
            delay,
            type(error).__name__,
            extra={"call": call, "retry": attempt, "delay_s": round(delay, 2), "error": type(error).__name__},
        )
        if self.stop is None:
            self.sleep(delay)
            return
        # Wake up early when asked to stop.
        waited = 0.0
        while waited < delay:
            step = min(0.1, delay - waited)
            self.sleep(step)
            waited += step
            self._check_stop(call, attempt + 1)

    def _post(self, url: str, content: bytes, ends: float | None) -> httpx.Response:
        """One POST; the wait for its answer is cut to what is left of the deadline, and is
        abandoned when ``stop`` is set."""
        read = self.read_timeout
        connect = self.connect_timeout
        if ends is not None:
            left = max(ends - self.clock(), 0.001)
            read, connect = min(read, left), min(connect, left)
        timeout = httpx.Timeout(read, connect=connect)
        headers = {"Content-Type": "application/json"}
        if self.stop is None:
            return self._http.post(url, content=content, headers=headers, timeout=timeout)
        # A daemon thread per request, not a pool: a pool's workers are joined at interpreter exit,
        # so a request abandoned on a silent server would hold the plugin's exit after Shutdown
        # until its timeout (Terraform kills a plugin that does not exit within 2 s).
        future: concurrent.futures.Future[httpx.Response] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(self._http.post(url, content=content, headers=headers, timeout=timeout))
            except BaseException as exc:  # handed to the waiting caller (or dropped if abandoned)
                future.set_exception(exc)

        threading.Thread(target=run, name="kasm-http", daemon=True).start()
        while True:
            done, _ = concurrent.futures.wait([future], timeout=0.1)
            if done:
                return future.result()
            if self.stop.is_set():
                # Abandoned: the request ends on its own timeout; its answer is ignored.
                raise _Stopping()

    def _attempt(
        self,
        call: str,
        url: str,
        body: JSON,
        secrets: set[str],
        attempt: int,
        accept_error: AcceptError | None,
        ends: float | None = None,
    ) -> JSON:
        if self.rate_limiter is not None:
            waited = self.rate_limiter.acquire()
            if waited:
                log.debug(
                    "kasm %s: rate limiter waited %.2fs",
                    call,
                    waited,
                    extra={"call": call, "waited_s": round(waited, 2)},
                )
        # Encoded afresh for each attempt: nothing from a failed attempt is reused.
        content = json.dumps(body, separators=(",", ":")).encode()
        started = self.clock()
        try:
            response = self._post(url, content, ends)
        except _Stopping:
            self._log(call, None, started, attempt, "Stopped")
            raise errors.Stopped(
                f"Kasm {call}: abandoned while waiting for the answer, the provider is stopping "
                "(Terraform asked it to stop); the call may or may not have taken effect",
                call=call,
                sent=True,
                attempts=attempt,
                kind="stopped",
            ) from None
        except httpx.ConnectError as exc:
            self._log(call, None, started, attempt, type(exc).__name__)
            if _is_tls_failure(exc):
                # Deterministic (certificate, protocol): retrying would fail the same way.
                raise errors.TransportError(
                    f"Kasm {call}: TLS failure with {self.base_url}: {_safe(exc, secrets)} (not retried; "
                    "check the certificate, ca_file or insecure)",
                    call=call,
                    sent=False,
                    attempts=attempt,
                    kind="tls",
                ) from None
            raise _Retry(
                errors.TransportError(
                    f"Kasm {call}: could not connect to {self.base_url}: {_safe(exc, secrets)}",
                    call=call,
                    sent=False,
                    attempts=attempt,
                    kind="connect",
                ),
                processed=False,
            ) from None
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            self._log(call, None, started, attempt, type(exc).__name__)
            raise _Retry(
                errors.Timeout(
                    f"Kasm {call}: connect timeout: no connection to {self.base_url} within "
                    f"{self.clock() - started:.1f}s",
                    call=call,
                    sent=False,
                    attempts=attempt,
                    kind="connect_timeout",
                ),
                processed=False,
            ) from None
        except httpx.TimeoutException as exc:
            self._log(call, None, started, attempt, type(exc).__name__)
            kind = "write_timeout" if isinstance(exc, httpx.WriteTimeout) else "read_timeout"
            raise _Retry(
                errors.Timeout(
                    f"Kasm {call}: {kind.replace('_', ' ')}: {self.base_url} accepted the connection but "
                    f"sent no answer within {self.clock() - started:.1f}s",
                    call=call,
                    sent=True,
                    attempts=attempt,
                    kind=kind,
                ),
                processed=True,
            ) from None
        except httpx.TransportError as exc:
            self._log(call, None, started, attempt, type(exc).__name__)
            raise _Retry(
                errors.TransportError(
                    f"Kasm {call}: connection failed after sending: {_safe(exc, secrets)}",
                    call=call,
                    sent=True,
                    attempts=attempt,
                    kind="reset",
                ),
                processed=True,
            ) from None
        status = response.status_code
        self._log(call, status, started, attempt, None)
        return self._interpret(call, response, secrets, attempt, accept_error)

    def _interpret(
        self,
        call: str,
        response: httpx.Response,
        secrets: set[str],
        attempt: int,
        accept_error: AcceptError | None,
    ) -> JSON:
        status = response.status_code
        data = _json_object(response)
        if data is None:
            excerpt = redact(_excerpt(response), secrets)
            invalid = errors.InvalidResponse(
                call, status, excerpt, content_type=response.headers.get("content-type", "")
            )
            if status == 429:
                raise _Retry(
                    self._rate_limited(call, response, "Too Many Requests", attempt),
                    processed=False,
                    delay=self._retry_after(response),
                )
            if status in _NOT_PROCESSED_STATUSES:
                raise _Retry(invalid, processed=False, delay=self._retry_after(response))
            if status in _AMBIGUOUS_STATUSES:
                raise _Retry(invalid, processed=True)
            raise invalid
        message = data.get("error_message")
        if status == 429:
            text = redact(str(message or "Too Many Requests"), secrets)
            raise _Retry(
                self._rate_limited(call, response, text, attempt),
                processed=False,
                delay=self._retry_after(response),
            )
        if message is None and status < 400:
            return data
        if message is not None and accept_error is not None and accept_error(status, data):
            return data
        text = redact(
            str(message) if message is not None else f"HTTP {status} {response.reason_phrase}", secrets
        )
        error = errors.classify(call, status, text, attempts=attempt)
        if status in _NOT_PROCESSED_STATUSES:
            # A 503 may say when to come back, like a 429.
            raise _Retry(error, processed=False, delay=self._retry_after(response))
        if status in _AMBIGUOUS_STATUSES:
            raise _Retry(error, processed=True)
        raise error

    def _rate_limited(
        self, call: str, response: httpx.Response, text: str, attempt: int
    ) -> errors.RateLimited:
        return errors.RateLimited(call, 429, text, retry_after=self._retry_after(response), attempts=attempt)

    def _retry_after(self, response: httpx.Response) -> float | None:
        """Retry-After in seconds (delta or HTTP date), capped at ``max_retry_after``."""
        value = response.headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            seconds = when.timestamp() - time.time()
        return min(max(seconds, 0.0), self.max_retry_after)

    def _log(self, call: str, status: int | None, started: float, attempt: int, failure: str | None) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        duration_ms = (self.clock() - started) * 1000
        fields: dict[str, Any] = {
            "call": call,
            "status": status,
            "duration_ms": round(duration_ms, 1),
            "attempt": attempt,
        }
        if failure:
            fields["error"] = failure
        log.debug(
            "kasm %s: status=%s duration_ms=%.1f attempt=%d%s",
            call,
            status if status is not None else "-",
            duration_ms,
            attempt,
            f" error={failure}" if failure else "",
            extra=fields,  # the hclog bridge's fields (tfplugin.hclog.bridge_logging)
        )


class _Stopping(Exception):
    """Internal: the wait for an answer was abandoned because ``stop`` was set."""


def _is_tls_failure(exc: BaseException) -> bool:
    """Whether a connect error was the TLS handshake (certificate, protocol), not the network."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    text = str(exc)
    return "[SSL" in text or "CERTIFICATE_VERIFY_FAILED" in text


def _add_note(error: errors.KasmError, note: str) -> None:
    """Append ``note`` to the error's message (its text and ``message``)."""
    error.message = f"{error.message} ({note})"
    if isinstance(error, errors.APIError):
        return  # str() is built from .message
    error.args = (f"{error.args[0]} ({note})" if error.args else error.message,)


def _json_object(response: httpx.Response) -> JSON | None:
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _excerpt(response: httpx.Response) -> str:
    text = response.content[: _EXCERPT_LEN * 4].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text[:_EXCERPT_LEN] + ("…" if len(text) > _EXCERPT_LEN else "")


def _safe(exc: Exception, secrets: set[str]) -> str:
    return redact(str(exc) or type(exc).__name__, secrets)
