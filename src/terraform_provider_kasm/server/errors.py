"""How the server fails, the way Kasm 1.15 fails.

* `KasmError`: a handled error, ``{"error_message": ...}`` with Kasm's status (often 200).
* `KasmCrash`: a case where real Kasm raises an unhandled exception (e.g. an unknown key in
  `target_image`); answered with Kasm's 500 page. Such responses carry `EMULATED_CRASH_HEADER`, so tests
  can tell a deliberate 500 from a bug in this server.
* `KasmHttpError`: a CherryPy-level error (404 unknown endpoint, 415 wrong content type, ...).
"""

from __future__ import annotations

from starlette.responses import HTMLResponse, JSONResponse

UNHANDLED_PAGE = "<html><body>An unhandled exception occurred check logs for details<body><html>"
EMULATED_CRASH_HEADER = "x-kasm-local-emulated-crash"


class KasmError(Exception):
    def __init__(self, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def response(self) -> JSONResponse:
        return JSONResponse({"error_message": self.message}, status_code=self.status)


class KasmCrash(Exception):
    """Real Kasm answers this request with an unhandled exception (HTTP 500)."""

    def response(self) -> HTMLResponse:
        return unhandled_page(emulated=True)


class KasmHttpError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status

    def response(self) -> HTMLResponse:
        return error_page(self.status)


def unhandled_page(*, emulated: bool) -> HTMLResponse:
    headers = {EMULATED_CRASH_HEADER: "1"} if emulated else None
    return HTMLResponse(UNHANDLED_PAGE, status_code=500, headers=headers)


def error_page(status: int) -> HTMLResponse:
    """CherryPy's sanitized error page (Kasm's `server.sanitize_errors: true`)."""
    return HTMLResponse(f"An error has occurred {status} - see logs for details", status_code=status)
