"""The web request a job runs in: a job that renders what a user would see (an export with
translated headers, an addon page's download) runs in a Flask request of its own, for its user.

The request has a fresh application context (its own ``g``), so a job run at the commit of a
web request (immediate mode) never touches that request's ``g``; ``g.env`` is the job's
environment and ``current_user`` its user, whose language Flask-Babel picks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import g

if TYPE_CHECKING:
    from flask import Flask

    from ..env import Environment

__all__ = ["user_request"]


@contextmanager
def user_request(app: Flask, env: Environment, path: str = "/",
                 query_string: str = "") -> Iterator[None]:
    """A request to ``path?query_string`` of ``app``, made by ``env``'s user with ``env``."""
    from ..app import _load_user

    with app.app_context(), app.test_request_context(path, query_string=query_string):
        g.env = env
        if env.uid:
            g._login_user = _load_user(str(env.uid), stamped=False)
        yield
