"""Glue between sales and CRM, installed automatically when both are."""
