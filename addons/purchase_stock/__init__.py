"""Glue between purchase and stock (Odoo's ``purchase_stock`` pattern), installed automatically
when both are."""
