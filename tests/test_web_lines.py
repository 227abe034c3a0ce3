"""One2many line tables in generic forms: read-only columns and tables are shown read-only and
left alone by the save, rights on the line model decide whether lines are editable, errors in a
line show on that line, and a widget a field type cannot have is refused when views are built."""

from __future__ import annotations

import re

import pytest

from core.errors import AddonError
from core.workflow_engine import take_transition
from tests.web_helpers import client_for, make_user


@pytest.fixture
def jobs(make_app):
    """``(app, job id)``: a job with two tasks (one done) and a log entry, a planner ``pia``
    (full rights) and a viewer ``vic`` (may edit jobs, only read their lines)."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_lines"])
    make_user(app, "pia", ["kt_lines.group_planner"])
    make_user(app, "zhu", ["kt_lines.group_planner"], lang="zh_CN")
    make_user(app, "vic", ["kt_lines.group_viewer"])
    make_user(app, "eda", ["kt_lines.group_editor"])
    with runtime.env() as env:
        job = env["kt.job"].create({"name": "Boiler", "task_ids": [
            (0, 0, {"name": "Drain", "hours": 2}), (0, 0, {"name": "Refill", "hours": 1})],
            "log_ids": [(0, 0, {"name": "Opened"})]})
        first = env["kt.job"].read([job], ["task_ids"])[0]["task_ids"][0]
        take_transition(env, "kt.job.task", first, "finish")
    return app, job


def posted_form(html: str) -> dict[str, str]:
    """What the browser posts for the record form as shown: every named input and select."""
    form = html.split('class="card record"', 1)[1].split("</form>", 1)[0]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    data = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                           r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        data[name] = next(g for g in chosen.groups() if g is not None) if chosen else ""
    return data


def test_an_unchanged_form_saves_and_leaves_read_only_columns_and_tables_alone(jobs):
    app, job = jobs
    client = client_for(app, "pia")
    page = client.get(f"/web/kt.job/{job}").get_data(as_text=True)
    assert not re.search(r'<select[^>]*name="task_ids-\d+-state"', page)  # shown read-only
    assert "Done" in page and "To do" in page and "Opened" in page
    assert 'name="log_ids-0-' not in page  # a read-only table posts nothing
    saved = client.post(f"/web/kt.job/{job}", data=posted_form(page))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        tasks = env["kt.job.task"].search_read([("job_id", "=", job)], ["name", "state"])
        assert sorted((t["name"], t["state"]) for t in tasks) == [("Drain", "done"),
                                                                 ("Refill", "todo")]
        assert env["kt.job"].read([job], ["log_ids"])[0]["log_ids"]  # left alone


def test_lines_the_user_may_only_read_are_read_only(jobs):
    app, job = jobs
    client = client_for(app, "vic")
    page = client.get(f"/web/kt.job/{job}").get_data(as_text=True)
    assert 'name="task_ids-0-name"' not in page and "line-add" not in page
    assert "Drain" in page
    data = posted_form(page)
    data["name"] = "Boiler room"
    saved = client.post(f"/web/kt.job/{job}", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        assert env["kt.job"].read([job], ["name", "task_ids"])[0]["name"] == "Boiler room"
        assert len(env["kt.job"].read([job], ["task_ids"])[0]["task_ids"]) == 2


def test_lines_the_user_may_not_delete_are_edited_but_not_removed(jobs):
    app, job = jobs
    page = client_for(app, "eda").get(f"/web/kt.job/{job}").get_data(as_text=True)
    assert 'name="task_ids-0-name"' in page and "line-add" in page
    assert 'aria-label="Remove line 1"' not in page


def save_without_second_task_name(app, job: int, login: str) -> str:
    """The page answered to ``login`` saving the job with its second task's name emptied
    (refused with 422)."""
    client = client_for(app, login)
    data = posted_form(client.get(f"/web/kt.job/{job}").get_data(as_text=True))
    data["task_ids-1-name"] = ""
    refused = client.post(f"/web/kt.job/{job}", data=data)
    assert refused.status_code == 422
    return refused.get_data(as_text=True)


def test_an_error_in_a_line_shows_on_that_line_with_the_fields_label(jobs):
    html = save_without_second_task_name(*jobs, "pia")
    assert "{" not in html.split('class="lines', 1)[1].split("<table", 1)[0]  # no raw dict
    assert "Line 2: Task: This field is required." in html
    assert "Opened" in html  # the read-only table is still shown after the refusal
    done_cell = html.split('data-col="state"', 2)[1]
    assert "Done" in done_cell.split("</td>", 1)[0]  # read-only cells keep their value


def test_a_line_error_speaks_the_users_language(jobs):
    """The built-in messages of a line's inputs are translated like the parent form's."""
    html = save_without_second_task_name(*jobs, "zhu")
    assert "该字段是必填字段。" in html
    assert "This field is required." not in html


def test_a_widget_the_field_type_cannot_have_is_refused_at_install(runtime):
    with pytest.raises(AddonError) as refused:
        runtime.manager.install(["kt_badwidget"])
    assert "tags" in refused.value.message and "child_ids" in refused.value.message
    assert "one2many" in refused.value.message
    assert runtime.manager.states().get("kt_badwidget", {}).get("state") != "installed"
