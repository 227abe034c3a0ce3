"""User preferences: interface language and password (checked against the current one)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from ..i18n import _, _l
from ..users import check_credentials
from . import blueprint
from .common import local_url

LANGUAGE_CHOICES = [("en", "English"), ("zh_CN", "简体中文")]


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=[SelectChoice(k, v) for k, v in LANGUAGE_CHOICES])


class PasswordForm(FlaskForm):
    old_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


def _set_own(values: dict[str, Any]) -> None:
    """Users change their own language and password; no access right on res.users needed."""
    g.env.sudo()["res.users"].write([g.env.uid], values)


@blueprint.route("/web/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> Any:
    lang_form = LanguageForm(prefix="lang", lang=current_user.lang or "en")
    pw_form = PasswordForm(prefix="pw")
    status = 200
    if request.method == "POST" and "lang-lang" in request.form:
        if lang_form.validate_on_submit():
            _set_own({"lang": lang_form.lang.data})
            flash(_("Preferences saved."), "success")
            return redirect(url_for("web.preferences"))
        status = 422
    elif request.method == "POST":
        if pw_form.validate_on_submit():
            if check_credentials(g.env, current_user.login, pw_form.old_password.data or "") \
                    is None:
                pw_form.old_password.errors = [_("The current password is wrong.")]
                status = 422
            else:
                _set_own({"password": pw_form.new_password.data})
                from ..app import sign_in

                sign_in(current_user.id)  # other sessions end; this one goes on
                flash(_("Your password was changed."), "success")
                return redirect(url_for("web.preferences"))
        else:
            status = 422
    return render_template("web/preferences.html", lang_form=lang_form, pw_form=pw_form), status


@blueprint.route("/web/lang", methods=["POST"])
@login_required
def switch_language() -> Any:
    """The user menu's quick language switch."""
    lang = request.form.get("lang", "")
    if lang in dict(LANGUAGE_CHOICES):
        _set_own({"lang": lang})
    return redirect(local_url(request.form.get("next"), url_for("web.home")))
