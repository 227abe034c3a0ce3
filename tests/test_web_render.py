"""The quick rendering helpers write what the slower general ones wrote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from markupsafe import Markup
from wtforms.widgets import html_params

from core.fields import FieldInfo
from core.widgets import html_attributes


@pytest.mark.parametrize("attrs", [
    {"id": "a", "name": "x", "value": 'a"b<c>&', "type": "text", "required": True,
     "readonly": False, "data_foo": "1", "aria_describedby": "e", "class_": "c"},
    {"value": Markup('<b>"x"</b>'), "step": "any", "min": None},
    {"value": 3, "maxlength": 10, "for_": "x"},
])
def test_html_attributes_match_wtforms(attrs):
    assert html_attributes(**attrs) == html_params(**attrs)
    assert isinstance(html_attributes(**attrs), Markup)


@pytest.mark.parametrize("locale", ["en", "zh_CN", "de_DE", "fr_FR"])
def test_numbers_are_written_as_babel_writes_them(make_app, locale):
    """Python's format with the locale's symbols, as Babel's grouped patterns (half even)."""
    from babel.numbers import parse_pattern
    from flask_babel import force_locale, get_locale

    from core.web.cells import formatter

    app = make_app()
    values = [Decimal(v) for v in ("0", "-0.00", "-0.001", "0.005", "0.015", "1234.5",
                                   "-1234567.895", "999999.995", "1E+3", "12.3456789")]
    with app.test_request_context(), force_locale(locale):
        for scale in (0, 2, 3):
            money = formatter(FieldInfo("monetary", "Amount", digits=(16, scale)))
            pattern = parse_pattern("#,##0" + ("." + "0" * scale if scale else ""))
            for value in values:
                assert money(value) == pattern.apply(value, get_locale()), (value, scale)
        count = formatter(FieldInfo("integer", "Count"))
        for number in (0, 7, -1234, 1234567, 10 ** 12):
            assert count(number) == get_locale().decimal_formats[None].apply(number, get_locale())


def test_cell_formatters_match_the_value_formatter(make_app):
    from flask_babel import force_locale

    from core.web.cells import formatter

    app = make_app()
    money = FieldInfo("monetary", "Amount", digits=(16, 2))
    qty = FieldInfo("decimal", "Qty", digits=(16, 3))
    state = FieldInfo("selection", "State", selection=[("draft", "Draft"), ("sale", "Sale")])
    flag = FieldInfo("boolean", "Flag")
    count = FieldInfo("integer", "Count")
    partner = FieldInfo("many2one", "Partner", comodel="res.partner")
    day = FieldInfo("date", "Day")
    with app.test_request_context(), force_locale("en"):
        assert formatter(money)(Decimal("1234.5")) == "1,234.50"
        assert formatter(qty)(Decimal("2.50")) == "2.5" and formatter(qty)(Decimal("2")) == "2"
        assert formatter(state)("sale") == "Sale" and formatter(state)("gone") == "gone"
        assert 'aria-label="Yes"' in formatter(flag)(True) and formatter(flag)(None) == ""
        assert formatter(count)(12345) == "12,345" and formatter(count)(False) == ""
        assert formatter(partner)((7, "Acme")) == "Acme" and formatter(partner)(False) == ""
        assert formatter(day)(dt.date(2026, 11, 5)) == "Nov 5, 2026"
        with force_locale("zh_CN"):  # a new locale within the request: formatted anew
            assert formatter(day)(dt.date(2026, 11, 5)) == "2026年11月5日"
            assert 'aria-label="是"' in formatter(flag)(True)


def test_one_date_format_and_numbers_by_the_fields_precision(make_app):
    """Dates and date-times share one format per locale (no 2026/12/7 beside 2026年12月7日);
    numbers show their significant decimals up to the field's scale, money its scale, the
    same in lists and in inputs (never 5.000 beside 5.0000)."""
    from flask_babel import force_locale

    from core.forms import NumberField
    from core.web.cells import formatter
    from core.web.shell import format_moment

    app = make_app()
    qty3 = FieldInfo("decimal", "Qty", digits=(16, 3))
    qty4 = FieldInfo("decimal", "Qty", digits=(16, 4))
    money = FieldInfo("monetary", "Price", digits=(16, 2))
    moment = dt.datetime(2026, 12, 7, 5, 17)
    with app.test_request_context(), force_locale("zh_CN"):
        assert formatter(FieldInfo("datetime", "At"))(moment) == "2026年12月7日 05:17"
        assert format_moment(moment).startswith(formatter(FieldInfo("date", "Day"))(moment.date()))
        assert formatter(qty3)(Decimal("5.000")) == formatter(qty4)(Decimal("5.0000")) == "5"
        assert formatter(money)(Decimal("299")) == "299.00"

        from flask_wtf import FlaskForm

        class Form(FlaskForm):
            qty = NumberField("Qty", info=qty4)
            price = NumberField("Price", info=money)

        form = Form(meta={"csrf": False}, data={"qty": Decimal("5.0000"),
                                                "price": Decimal("299.0000")})
        assert form.qty._value() == "5" and form.price._value() == "299.00"
