"""Long user actions run as background jobs (``core.jobs.enqueue``), each in a web request of
its user (:mod:`core.jobs.context`), so rights, record rules and the user's language apply as
on the page: list exports above ``EXPORT_JOB_ROWS`` rows, imports above ``IMPORT_JOB_ROWS``
rows, and the downloads of addon pages marked ``slow``. Each keeps its file as the job's result
(:func:`core.jobs.results.result_file`), linked from the job's progress page."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from flask import current_app

from ..errors import AccessError
from ..export import to_csv
from ..i18n import _
from ..importing import import_records
from ..jobs import progress
from ..jobs.results import ResultFile, reads_only, result_file

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["export_list", "import_file", "page_download"]


def _reporter(env: Environment, message: str) -> Any:
    return lambda done, total: progress(env, done, total, message % {"done": done,
                                                                     "total": total})


@reads_only
def export_list(env: Environment, model: str, action: str, ids: list[int],
                query: str) -> ResultFile:
    """The export of a list (see :func:`core.web.lists.export_file`) as the job's result."""
    from .lists import export_file

    data, filename, mimetype = export_file(model, action, ids, query, report=_reporter(
        env, _("%(done)s of %(total)s rows read")))
    progress(env, 1, 1, _("Writing the file"))
    return ResultFile(filename, data, mimetype)


def import_file(env: Environment, model: str, filename: str, content: str) -> dict[str, Any]:
    """Import a file (all or nothing); the result links to the list, or to a CSV of the
    errors when any row failed (then nothing was imported)."""
    result = import_records(env, model, filename, base64.b64decode(content), dry_run=False,
                            report=_reporter(env, _("%(done)s of %(total)s rows imported")))
    if result.ok:
        return {"url": f"/web/{model}", "name": _(
            "%(created)s records created, %(updated)s updated.",
            created=len(result.created), updated=len(result.updated))}
    body = [[issue.line, issue.column, issue.message] for issue in result.errors]
    report = to_csv([_("Line"), _("Column"), _("Error")], body)
    link = result_file(env, f"{filename.rsplit('.', 1)[0]}-errors.csv", report,
                       "text/csv; charset=utf-8")
    return {**link, "name": _("%(count)s problems: nothing was imported. Download the list "
                              "of problems.", count=len(result.errors))}


@reads_only
def page_download(env: Environment, path: str, query: str) -> ResultFile:
    """Run an addon page's download (``/web/page/<path>?<query>``) and keep the file."""
    from ..pages import PREFIX, pages_of

    with current_app.test_request_context(f"{PREFIX}/{path}", query_string=query):
        page, values = pages_of(env.registry).match(path, "GET")
        if page.groups and not any(env.access.has_group(group) for group in page.groups):
            raise AccessError(_("This page is reserved to other groups of users."))
        progress(env, 0, 1, _("Computing the report"))
        response = current_app.make_response(page.view(**values))
    disposition = response.headers.get("Content-Disposition", "")
    filename = disposition.partition("filename=")[2].strip('"') or "report"
    return ResultFile(filename, response.get_data(), response.mimetype)
