"""Manufacturing (生产管理): bills of materials, manufacturing orders, MRP."""
