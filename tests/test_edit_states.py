"""Fields per state (``edit_states``) are enforced by the model service, for every door and every
addon's model: a user cannot change a frozen field, a value sent back unchanged is no change,
the engine and superuser code may."""

from __future__ import annotations

import datetime as dt

import pytest

from core.addons import discover_addons
from core.errors import ValidationError
from core.integrity import edit_states
from core.lifecycle import build_registry
from tests.web_helpers import make_user


def test_a_user_cannot_change_a_field_its_state_freezes(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_web"])
    ann = make_user(app, "ann", ["kt_web.group_user"], lang="zh_CN")
    with runtime.env(uid=ann, su=False) as env:
        orders = env["kt.order"]
        line = {"name": "制氧机", "quantity": "2", "price_unit": "3680"}
        order = orders.create({"name": "SO1", "user_id": ann, "date_order": "2026-12-01",
                               "line_ids": [(0, 0, line)]})
        orders.write([order], {"date_order": "2026-12-02"})  # a draft changes
        orders.call("action_confirm", [order])
        line = orders.read([order], ["line_ids"])[0]["line_ids"][0]
        with pytest.raises(ValidationError, match="Order date can no longer be changed"):
            orders.write([order], {"date_order": "2026-12-03", "note": "x"})
        with pytest.raises(ValidationError, match="Lines can no longer be changed"):
            orders.write([order], {"line_ids": [(0, 0, {"name": "滤芯"})]})
        with pytest.raises(ValidationError, match="Lines can no longer be changed"):
            orders.write([order], {"line_ids": [(1, line, {"quantity": "3"})]})
        # what a client reads and sends back unchanged, and the fields free in every state
        orders.write([order], {"date_order": dt.date(2026, 12, 2), "note": "加急",
                               "line_ids": [(1, line, {"name": "制氧机", "quantity": "2.000"}),
                                            (4, line)]})
        orders.sudo().write([order], {"date_order": "2026-12-05"})  # code acting as the system
    with runtime.env() as env:
        row = env["kt.order"].read([order], ["date_order", "note"])[0]
    assert (row["date_order"], row["note"]) == (dt.date(2026, 12, 5), "加急")


def test_every_model_declaring_edit_states_has_the_states_it_names():
    """The service freezes by the record's ``state``: a model of any shipped addon declaring
    ``edit_states`` has that selection field, and names only its states (a typo would freeze a
    field in every state)."""
    available = discover_addons([])
    registry = build_registry(available, list(available))
    declaring = 0
    for name in registry.models:
        cls = registry[name]
        named = {info.name: edit_states(cls, info) for info in cls.__fields__.values()}
        named = {field: states for field, states in named.items() if states}
        if not named:
            continue
        declaring += 1
        state = cls.__fields__.get("state")
        assert state is not None and state.type == "selection", f"{name} has no state field"
        keys = {key for key, _label in state.selection or ()}
        for field, states in named.items():
            assert set(states) <= keys, f"{name}.{field}: {set(states) - keys} are no states"
    assert declaring >= 8


def test_the_form_freezes_what_the_service_freezes():
    """The form reads the states of each field from :func:`core.integrity.edit_states`, the
    rule the service enforces, not a copy of it: a model's ``_edit_states`` does not cover its
    ``state`` field (it changes by actions), a field's own ``edit_states`` wins, read-only
    fields are never inputs."""
    import dataclasses

    from core import fields
    from core.forms import form_class

    class Doc:
        _edit_states = ("draft",)

    columns = {"state": fields.Selection([("draft", "Draft"), ("done", "Done")], "Status"),
               "note": fields.Char("Note"), "ref": fields.Char("Ref", edit_states="done"),
               "memo": fields.Char("Memo", edit_states=("draft", "done"))}
    infos = {name: dataclasses.replace(col.column.info["field"], name=name)
             for name, col in columns.items()}
    _form, spec = form_class({name: {} for name in infos}, infos, list(infos), True,
                             lambda comodel: {}, lambda comodel, ids: {},
                             lambda comodel, inverse: [], model=Doc)
    assert spec.editable_now({"state": "draft"}) == {"state", "note", "memo"}
    assert spec.editable_now({"state": "done"}) == {"state", "ref", "memo"}
    for state in ("draft", "done"):
        assert spec.editable_now({"state": state}) == {
            name for name, info in infos.items()
            if state in (edit_states(Doc, info) or (state,))}
