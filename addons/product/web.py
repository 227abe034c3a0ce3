"""The product import page: upload a CSV or XLSX file of products (see :mod:`.importer`)."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request

from core.errors import KangyiError
from core.i18n import _
from core.pages import Page

from .importer import COLUMNS, MAX_ROWS, import_products

#: largest upload accepted (bytes)
MAX_BYTES = 5 * 1024 * 1024


def import_view() -> Any:
    """GET: the upload form; POST: import the file (all or nothing) and report the counts."""
    result, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        data = upload.read(MAX_BYTES + 1) if upload else b""
        if not upload or not upload.filename or not data:
            error, status = _("Choose a .csv or .xlsx file to import."), 422
        elif len(data) > MAX_BYTES:
            error, status = _("The file is larger than 5 MB."), 422
        else:
            try:  # all or nothing: the importer runs in a savepoint
                result = import_products(g.env, upload.filename, data)
            except KangyiError as exc:
                error, status = exc.message, 422
    return render_template("product/import.html", title=_("Import products"), columns=COLUMNS,
                           max_rows=MAX_ROWS, result=result, error=error), status


PAGES = [Page("product.import", "import", import_view, methods=("GET", "POST"),
              groups=("product.group_manager",))]
