"""Glue between sales and stock (Odoo's ``sale_stock`` pattern), installed automatically when
both are."""
