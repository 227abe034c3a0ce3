"""Glue between stock and accounting: valuation vouchers, matching (钩稽), cost of sales."""

from .valuation import book_existing_stock

__all__ = ["book_existing_stock"]
