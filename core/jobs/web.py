"""``/web/jobs/<id>``: how far a user's background job is, and its result link when done (while
the job runs, the page's script polls ``?format=json``, which gives the same as JSON)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, render_template, request
from flask_login import login_required

from .models import JOB_STATES
from .queue import queue_of

blueprint = Blueprint("jobs", __name__, template_folder="templates")


@blueprint.route("/web/jobs/<int:job_id>")
@login_required
def job_status(job_id: int) -> Any:
    env = g.env
    job = env["queue.job"].read([job_id], ["name", "state", "error", "result_url",
                                           "result_name", "date_started", "date_done"])[0]
    progress = queue_of(env).get_progress(job_id) or {}
    if job["state"] == "done":
        progress = {**progress, "percent": 100}
    label = str(dict(JOB_STATES).get(job["state"], job["state"]))
    if request.args.get("format") == "json":
        return {"job": {**{k: v for k, v in job.items() if not k.startswith("date_")},
                        "state_label": label}, "progress": progress}
    return render_template("jobs/job.html", job=job, progress=progress, state_label=label,
                           running=job["state"] in ("pending", "started", "retrying"))


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
