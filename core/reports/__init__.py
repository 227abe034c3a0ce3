"""PDF documents (see ``docs/platform.md``): print formats declared by addons
(``register_reports``), stored as ``ir.actions.report`` records, rendered by WeasyPrint from one
HTML layout with the company's header, downloaded at ``/report/pdf/<report_name>/<ids>``."""

from __future__ import annotations

from .declare import Report, Table, reports_for_model, reports_of
from .render import document_values, render_pdf
from .words import rmb_upper

__all__ = ["Report", "Table", "reports_of", "reports_for_model", "render_pdf",
           "document_values", "rmb_upper"]
