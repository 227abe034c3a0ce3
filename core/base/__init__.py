"""The essential addon: every database has it; it cannot be uninstalled."""
