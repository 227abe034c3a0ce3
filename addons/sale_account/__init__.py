"""Glue between sales and accounting (SA-003 steps 5 and 7)."""
