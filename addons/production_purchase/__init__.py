"""Glue of production and purchase: MRP purchase proposals become purchase requests."""
