{
    "name": "Data analysis",
    "version": "1.0",
    "summary": "Pivot tables and charts of any list, saved views, dashboards per post (数据分析)",
    "description": ("Pivot (rows × columns, several levels, sums, averages, counts, minima and "
                    "maxima, date grouping, period comparison, drill-down, XLSX export) and "
                    "graph views (Apache ECharts, shipped with the addon) at "
                    "/web/<model>/pivot and /web/<model>/graph; saved views (ir.filters); "
                    "dashboards with KPI tiles per post; analyses of sales, CRM, stock and "
                    "accounting when those addons are installed."),
    "category": "Reporting",
    "depends": ["base"],
    # their analyses and dashboards appear when they are installed
    "optional_depends": ["crm", "sales", "stock", "accounting"],
    "auto_install": False,
    "application": True,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
    "sequence": 90,
}
