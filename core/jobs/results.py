"""The result file of a long user action: stored as an attachment of its ``queue.job``, so only
the job's user (and administrators) may download it, through ``/web/attachments/<id>``.

A job that only reads (an export, a report) is marked :func:`reads_only` and returns a
:class:`ResultFile`: it then runs in a read-only transaction, and the runner stores the file
in a short transaction of its own once the reading is over, so on SQLite the job never holds
the database's write lock while it reads (web users' saves would wait for it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import KangyiError
from ..i18n import _

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["ResultFile", "reads_only", "result_file"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ResultFile:
    """A file a job returns, for the runner to keep as the job's result."""

    filename: str
    data: bytes
    mimetype: str | None = None


def reads_only(function: F) -> F:
    """Mark a job function that writes nothing: it runs in a read-only transaction."""
    function.reads_only = True  # type: ignore[attr-defined]
    return function


def result_file(env: Environment, filename: str, data: bytes,
                mimetype: str | None = None) -> dict[str, Any]:
    """Keep ``data`` as the running job's result; returns the result link a job function
    returns (``{"url": …, "name": …}``)."""
    from ..attachments import save

    job_id = env.context.get("job_id")
    if not job_id:
        raise KangyiError(_("Only a background job has a result file."))
    env["queue.job"]._check_ids([job_id], "read")  # the job's own user (or an administrator)
    attachment_id = save(env, "queue.job", job_id, filename, data, mimetype)
    return {"url": f"/web/attachments/{attachment_id}", "name": filename}
