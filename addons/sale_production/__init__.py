"""Glue of sales and production: the sales demand of material planning."""
