"""Inventory (仓库管理): warehouses, locations, moves, transfers, counts and valuation."""
