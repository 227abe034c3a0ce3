"""The user's API keys in their preferences: create one (shown once), see and revoke their own.

An ordinary web page (cookie session, CSRF-protected form); listing and revoking go through the
model service as the user, so record rules keep everyone to their own keys.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..i18n import _, _l
from .apikeys import KEY_MODEL, generate_key

__all__ = ["blueprint"]

blueprint = Blueprint("api_keys_ui", __name__, template_folder="templates")


class KeyForm(FlaskForm):
    name = StringField(_l("What is the key for?"), validators=[DataRequired(), Length(max=255)])


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking is a POST of this form."""


def _own_keys() -> list[dict[str, Any]]:
    return g.env[KEY_MODEL].search_read([("user_id", "=", g.env.uid)],
                                        ["name", "key_prefix", "create_date"], order="id desc")


@blueprint.route("/web/preferences/apikeys", methods=["GET", "POST"])
@login_required
def api_keys() -> Any:
    form = KeyForm()
    new_key = None
    status = 200
    if form.is_submitted():
        if form.validate():
            new_key = generate_key(g.env, g.env.uid, form.name.data or "")
            form = KeyForm(formdata=None)
        else:
            status = 422
    return render_template("api/apikeys.html", form=form, new_key=new_key, keys=_own_keys(),
                           revoke_form=RevokeForm()), status


@blueprint.route("/web/preferences/apikeys/<int:key_id>/revoke", methods=["POST"])
@login_required
def revoke_api_key(key_id: int) -> Any:
    if RevokeForm().validate_on_submit():
        g.env[KEY_MODEL].unlink([key_id])
        flash(_("The API key was revoked."), "success")
    return redirect(url_for("api_keys_ui.api_keys"))
