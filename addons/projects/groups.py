"""External ids of the projects addon's groups (the posts of the source document grant them
through hr's posts)."""

USER = "base.group_user"
MEMBER = "projects.group_user"              # 项目成员: tasks, timesheets, expense claims
TECH = "projects.group_tech"                # 技术服务部: presales requests, names presales leads
TECH_LEAD = "projects.group_tech_lead"      # 技术团队负责人
OFFICE = "projects.group_manager"           # 项目管理部
FINANCE = "projects.group_finance"          # 财务部 (project costs)
COST_ACCOUNTANT = "projects.group_cost_accountant"  # 项目会计: sends the monthly costs
COST_DIRECTOR = "projects.group_cost_director"    # 成本总监
SALES_DIRECTOR = "projects.group_sales_director"  # 分管销售总监
GENERAL_MANAGER = "projects.group_general_manager"  # 总经理
