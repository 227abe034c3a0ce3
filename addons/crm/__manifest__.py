{
    "name": "CRM",
    "version": "1.0",
    "summary": "Customers, follow-ups, return visits, pipeline, contracts with collection plans",
    "description": ("客户资料 → 客户跟进 → 合同 → 回款: customer profiles on res.partner, "
                    "follow-ups, return visits with complaints, leads and opportunities, "
                    "contracts with approval and collection plans, segmentation by industry, "
                    "region, profession and age band, CSV/XLSX import."),
    "category": "Sales",
    "depends": ["base"],
    "optional_depends": [],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/crm.stage.csv", "noupdate": True},
        {"path": "data/crm.lost.reason.csv", "noupdate": True},
        {"path": "data/crm.customer.level.csv", "noupdate": True},
        {"path": "data/crm.industry.csv", "noupdate": True},
        {"path": "data/crm.visit.rule.csv", "noupdate": True},
        {"path": "data/ir.sequence.csv", "noupdate": True},
    ],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
    "uninstall_hook": "uninstall_hook",
    "sequence": 20,
}
