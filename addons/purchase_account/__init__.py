"""Glue between purchase and accounting (Odoo's ``purchase_account`` idea), installed
automatically when both are."""
