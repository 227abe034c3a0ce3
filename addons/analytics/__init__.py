"""Data analysis (数据分析): pivot and graph views of every model, saved views, dashboards per
post, and the analyses other addons contribute."""
