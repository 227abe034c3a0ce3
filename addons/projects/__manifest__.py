{
    "name": "Projects",
    "version": "1.0",
    "summary": "System-integration projects (项目管理): initiation requests (立项书), presales "
               "support requests, early-start approvals, projects, tasks, timesheets, expense "
               "claims and monthly project costs",
    "category": "Services",
    "depends": ["hr"],
    # their demo users hold the posts of the source document (sales, finance)
    "optional_depends": ["crm", "sales", "accounting"],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/ir.sequence.csv", "noupdate": True},
        {"path": "data/project.task.type.csv", "noupdate": True},
    ],
    "demo": ["demo/demo.py"],
    "uninstall_hook": "uninstall",
    "license": "LGPL-3",
}
