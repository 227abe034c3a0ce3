"""A field the form shows but does not write (read-only in the model or the view) is never
required by the form: it is not posted, so requiring it refused every save of a record with a
required read-only field (a transfer's number, found saving a receipt in purchase_stock)."""

from __future__ import annotations

import dataclasses

from flask import Flask
from werkzeug.datastructures import MultiDict

from core import fields
from core.forms import form_class


def _info(column: object, name: str) -> object:
    return dataclasses.replace(column.column.info["field"], name=name)  # type: ignore[attr-defined]


def test_read_only_required_field_does_not_block_the_save() -> None:
    infos = {"name": _info(fields.Char("Number", required=True, readonly=True), "name"),
             "note": _info(fields.Char("Note", required=True), "note")}
    form_cls, spec = form_class({"name": {}, "note": {}}, infos, ["name", "note"], True,
                                lambda comodel: {}, lambda comodel, ids: {},
                                lambda comodel, inverse: [])
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST"):
        form = form_cls(formdata=MultiDict({"note": "kept"}))
        assert form.validate(), form.errors
        missing = form_cls(formdata=MultiDict({}))
        assert not missing.validate() and list(missing.errors) == ["note"]
    assert spec.editable == {"note"}
