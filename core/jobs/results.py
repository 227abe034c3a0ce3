"""The result file of a long user action: stored as an attachment of its ``queue.job``, so only
the job's user (and administrators) may download it, through ``/web/attachments/<id>``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import KangyiError
from ..i18n import _

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["result_file"]


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
