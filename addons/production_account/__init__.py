"""Glue of production and accounting: the production cost vouchers."""
