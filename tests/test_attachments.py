"""Attachments: stored by content hash, limits, names, headers, and access through the record."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from core import attachments
from core.errors import AccessError, ValidationError
from tests.web_helpers import client_for, csrf, make_user


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(ATTACHMENT_DIR=str(tmp_path / "shared-store"), ATTACHMENT_MAX_BYTES=1000)
    app.extensions["kangyi"].manager.install(["kt_approval"])
    make_user(app, "clerk", ["kt_approval.group_clerk"])
    make_user(app, "director", ["kt_approval.group_director"])  # read-only on orders
    make_user(app, "viewer", ["base.group_user"])  # no access to orders at all
    with app.extensions["kangyi"].env() as env:
        app.order_id = env["kt.order"].create({"amount_total": 1})
    return app


def upload(client, oid, name, data, mimetype="text/plain"):
    token = csrf(client, f"/web/record/kt.order/{oid}/panel")
    return client.post(f"/web/attachments/kt.order/{oid}/upload",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name, mimetype)},
                       content_type="multipart/form-data")


def attachment_ids(app):
    with app.extensions["kangyi"].env() as env:
        return env["ir.attachment"].search([], order="id")


def test_upload_and_download_with_headers(app, tmp_path):
    clerk = client_for(app, "clerk")
    data = "发货单 delivery note".encode()
    assert upload(clerk, app.order_id, "../../发货单 2026.txt", data).status_code == 302
    (aid,) = attachment_ids(app)
    digest = hashlib.sha256(data).hexdigest()
    assert (tmp_path / "shared-store" / digest[:2] / digest).read_bytes() == data
    with clerk.get(f"/web/attachments/{aid}") as response:
        assert response.status_code == 200 and response.data == data
        headers = response.headers
    assert headers["Content-Type"].startswith("text/plain")
    disposition = headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%8F%91%E8%B4%A7%E5%8D%95%202026.txt" in disposition
    assert headers["X-Content-Type-Options"] == "nosniff"
    page = clerk.get(f"/web/record/kt.order/{app.order_id}/panel").get_data(as_text=True)
    assert "发货单 2026.txt" in page  # the path part is gone


def test_access_follows_the_record(app):
    clerk, director, viewer = (client_for(app, u) for u in ("clerk", "director", "viewer"))
    upload(clerk, app.order_id, "a.txt", b"secret")
    (aid,) = attachment_ids(app)
    with director.get(f"/web/attachments/{aid}") as response:
        assert response.status_code == 200  # the director may read the order
    assert viewer.get(f"/web/attachments/{aid}").status_code == 403
    assert viewer.get("/web/attachments/999999").status_code == 404
    # read access is not enough to add or delete files
    upload(director, app.order_id, "b.txt", b"more")
    assert attachment_ids(app) == [aid]
    token = csrf(director, f"/web/record/kt.order/{app.order_id}/panel")
    director.post(f"/web/attachments/{aid}/delete", data={"csrf_token": token})
    assert attachment_ids(app) == [aid]
    assert viewer.post(f"/web/attachments/{aid}/delete",
                       data={"csrf_token": csrf(viewer, "/web/activities")}).status_code == 302
    assert attachment_ids(app) == [aid]
    token = csrf(clerk, f"/web/record/kt.order/{app.order_id}/panel")
    clerk.post(f"/web/attachments/{aid}/delete", data={"csrf_token": token})
    assert attachment_ids(app) == []


def test_size_limit_and_allowed_types(app):
    clerk = client_for(app, "clerk")
    upload(clerk, app.order_id, "big.bin", b"x" * 1001, "application/octet-stream")
    page = clerk.get(f"/web/record/kt.order/{app.order_id}/panel").get_data(as_text=True)
    assert "too large" in page and attachment_ids(app) == []
    app.config["ATTACHMENT_ALLOWED_TYPES"] = ["image/*", "application/pdf"]
    upload(clerk, app.order_id, "run.sh", b"#!/bin/sh", "text/x-shellscript")
    assert attachment_ids(app) == []
    upload(clerk, app.order_id, "scan.pdf", b"%PDF-1.4", "application/pdf")
    assert len(attachment_ids(app)) == 1


def test_identical_contents_are_stored_once(app, tmp_path):
    with app.app_context(), app.extensions["kangyi"].env() as env:
        first = attachments.store(env, "kt.order", app.order_id, "a.txt", b"same")
        second = attachments.store(env, "kt.order", app.order_id, "b.txt", b"same")
        assert first != second
        rows = env["ir.attachment"].read([first, second], ["checksum", "file_size", "mimetype"])
        assert rows[0]["checksum"] == rows[1]["checksum"] and rows[0]["file_size"] == 4
        assert rows[0]["mimetype"] == "text/plain"
        with pytest.raises(ValidationError, match="empty"):
            attachments.store(env, "kt.order", app.order_id, "e.txt", b"")
        with pytest.raises(AccessError, match="kept by the system"):
            env["ir.attachment"].write([first], {"name": "x"})
    files = [p for p in (tmp_path / "shared-store").rglob("*") if p.is_file()]
    assert len(files) == 1


def test_sanitize_filename():
    assert attachments.sanitize_filename("..\\..\\win\\报价单.xlsx") == "报价单.xlsx"
    assert attachments.sanitize_filename("a\x00b<c>.pdf") == "a_b_c_.pdf"
    assert attachments.sanitize_filename("...") == "file"
    assert len(attachments.sanitize_filename("x" * 300 + ".pdf")) <= 200
    assert re.fullmatch(r'attachment; filename="a.pdf"; filename\*=UTF-8\'\'a.pdf',
                        attachments.content_disposition("a.pdf"))


def _blob(tmp_path, data):
    digest = hashlib.sha256(data).hexdigest()
    return tmp_path / "shared-store" / digest[:2] / digest


def test_contents_go_when_their_last_attachment_goes(app, tmp_path):
    clerk = client_for(app, "clerk")
    for name, data in (("a.txt", b"solo"), ("b.txt", b"shared"), ("c.txt", b"shared")):
        upload(clerk, app.order_id, name, data)
    solo, shared = _blob(tmp_path, b"solo"), _blob(tmp_path, b"shared")
    a_id, b_id, c_id = attachment_ids(app)
    token = csrf(clerk, f"/web/record/kt.order/{app.order_id}/panel")
    clerk.post(f"/web/attachments/{a_id}/delete", data={"csrf_token": token})
    clerk.post(f"/web/attachments/{b_id}/delete", data={"csrf_token": token})
    assert not solo.exists() and shared.exists()  # c.txt still uses the shared content
    # deleting the record deletes its attachments, and their contents after the commit
    with app.app_context(), app.extensions["kangyi"].env() as env:
        env["kt.order"].unlink([app.order_id])
        assert shared.exists()  # not before the commit
    assert not shared.exists() and attachment_ids(app) == []
    assert c_id


def test_a_rollback_keeps_the_content(app, tmp_path):
    with app.app_context(), app.extensions["kangyi"].env() as env:
        aid = attachments.store(env, "kt.order", app.order_id, "a.txt", b"keep me")
    path = _blob(tmp_path, b"keep me")

    class Stop(Exception):
        pass

    with pytest.raises(Stop), app.app_context(), app.extensions["kangyi"].env() as env:
        attachments.remove(env, aid)
        assert path.exists()  # deleted in the transaction, not yet on disk
        raise Stop
    assert path.exists() and attachment_ids(app) == [aid]
    with app.app_context(), app.extensions["kangyi"].env() as env:
        with pytest.raises(Stop), env.session.begin_nested():  # a rolled-back savepoint
            attachments.remove(env, aid)
            raise Stop
    assert path.exists() and attachment_ids(app) == [aid]


def test_gc_command_sweeps_orphans(app, tmp_path, database_url, monkeypatch):
    import os
    import time

    from click.testing import CliRunner

    from core.cli import main
    from tests.conftest import FIXTURE_ADDONS

    monkeypatch.setenv("KANGYI_ADDONS_PATH", FIXTURE_ADDONS)

    upload(client_for(app, "clerk"), app.order_id, "used.txt", b"used")
    used = _blob(tmp_path, b"used")
    old_orphan, young_orphan = _blob(tmp_path, b"old orphan"), _blob(tmp_path, b"young")
    for path in (old_orphan, young_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 2048)
    hour_ago = time.time() - 3600
    for path in (old_orphan, used):
        os.utime(path, (hour_ago, hour_ago))
    store = str(tmp_path / "shared-store")

    def gc(*args):
        result = CliRunner().invoke(main, ["--database", database_url, "attachments", "gc",
                                           "--directory", store, "--grace", "600", *args],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "Would remove 1 unused files (2.0 KB)" in gc("--dry-run") and old_orphan.exists()
    assert "Removed 1 unused files (2.0 KB)" in gc()
    assert not old_orphan.exists() and young_orphan.exists() and used.exists()
    assert not old_orphan.parent.exists()  # its empty folder went too
