"""Serve a Flask app with werkzeug on 127.0.0.1 (a free port) in a thread, for live tests.

werkzeug's development server skips closing a response when the client drops the connection
while the server is still reading what is left of the request (a browser leaving a page while
a script downloads): the static file it was sending stays open, and with warnings as errors its
``ResourceWarning`` fails whichever test is running. Each response is therefore read whole and
closed inside the app before werkzeug sends it; the tests' responses are small.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server


def closed_responses(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    """WSGI middleware: each response body read whole and its iterable closed at once."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wrapped


@contextmanager
def serving(app: Any) -> Iterator[int]:
    """Run ``app`` in a thread while the block runs; yields the port it listens on."""
    server = make_server("127.0.0.1", 0, closed_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
