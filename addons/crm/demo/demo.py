"""CRM demo data: salespeople, a few dozen Chinese customers across industries and regions, with
follow-ups, return visits, opportunities and contracts. Deterministic (fixed seed, fixed dates)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from core.integrity import engine_env
from core.users import admin_joins

BASE_DAY = dt.date(2026, 6, 1)

USERS = [
    ("demo_sales_li", "li.na", "李娜", "crm.group_user"),
    ("demo_sales_wang", "wang.qiang", "王强", "crm.group_user"),
    ("demo_service_zhao", "zhao.min", "赵敏", "crm.group_service"),
    ("demo_manager_chen", "chen.jie", "陈杰", "crm.group_manager"),
]

# name | industry | region | province | city | contact's profession | contact | level | source
COMPANIES = [line.split("|") for line in """
上海华东精密机械有限公司|manufacturing|east|上海|上海|采购经理|周建国|A|exhibition
杭州云启信息技术有限公司|it|east|浙江|杭州|技术总监|沈晓峰|A|web
南京金陵建设工程有限公司|construction|east|江苏|南京|项目经理|刘德明|B|referral
苏州新航物流有限公司|logistics|east|江苏|苏州|运营主管|顾佳|B|phone
宁波海天食品有限公司|food|east|浙江|宁波|总经理|何立伟|C|advert
北京中科医疗器械有限公司|medical|north|北京|北京|采购经理|张海燕|A|referral
天津滨海化工有限公司|energy|north|天津|天津|设备主管|孙志强|B|exhibition
石家庄冀商超市连锁有限公司|retail|north|河北|石家庄|店长|马丽|C|web
太原晋能电力设备有限公司|energy|north|山西|太原|总工程师|王建华|B|partner
沈阳北方重工机械有限公司|manufacturing|northeast|辽宁|沈阳|采购经理|赵刚|A|exhibition
长春一汽配套零部件有限公司|manufacturing|northeast|吉林|长春|质量经理|李春生|B|referral
哈尔滨冰城教育科技有限公司|education|northeast|黑龙江|哈尔滨|校长|吴秀兰|C|web
武汉光谷软件有限公司|it|central|湖北|武汉|CTO|黄磊|A|web
长沙湘江建材有限公司|construction|central|湖南|长沙|采购员|彭涛|C|phone
郑州中原粮油食品有限公司|food|central|河南|郑州|总经理|郭建军|B|exhibition
广州粤海贸易有限公司|retail|south|广东|广州|采购总监|陈丽华|A|referral
深圳鹏城智能科技有限公司|it|south|广东|深圳|产品经理|林志明|A|exhibition
东莞恒达电子厂|manufacturing|south|广东|东莞|厂长|叶国强|B|partner
南宁绿城医药有限公司|medical|south|广西|南宁|采购经理|韦小红|C|web
成都天府金融服务有限公司|finance|southwest|四川|成都|财务总监|杨帆|B|referral
重庆山城汽车配件有限公司|manufacturing|southwest|重庆|重庆|采购经理|谭伟|B|phone
昆明春城旅游文化有限公司|education|southwest|云南|昆明|总经理|段丽|C|advert
西安古城医院管理有限公司|medical|northwest|陕西|西安|院长助理|田国华|B|referral
兰州金城物流有限公司|logistics|northwest|甘肃|兰州|调度主管|马志远|C|phone
乌鲁木齐天山能源有限公司|energy|northwest|新疆|乌鲁木齐|设备经理|艾力|C|exhibition
厦门鹭岛进出口有限公司|retail|east|福建|厦门|业务经理|郑晓燕|B|web
青岛海润保险代理有限公司|finance|east|山东|青岛|区域经理|王海涛|B|referral
合肥科大教育科技有限公司|education|east|安徽|合肥|教务主任|许文|C|web
""".strip().splitlines()]

# name, region, province, city, profession, birth year, level, source
PEOPLE = [
    ("刘洋", "east", "上海", "上海", "教师", 1992, "C", "web"),
    ("陈静", "south", "广东", "广州", "医生", 1985, "B", "referral"),
    ("王磊", "north", "北京", "北京", "工程师", 1978, "B", "exhibition"),
    ("张敏", "central", "湖北", "武汉", "公务员", 1970, "C", "phone"),
    ("李强", "southwest", "四川", "成都", "个体经营", 1963, "B", "referral"),
    ("赵丽", "east", "浙江", "杭州", "设计师", 1996, "C", "web"),
    ("孙浩", "northeast", "辽宁", "大连", "工程师", 1988, "C", "advert"),
    ("周婷", "south", "福建", "福州", "会计", 1982, "B", "referral"),
    ("吴刚", "northwest", "陕西", "西安", "个体经营", 1958, "A", "partner"),
    ("郑洁", "east", "江苏", "无锡", "教师", 1975, "C", "web"),
]

FOLLOWUP_TEXTS = [
    ("电话沟通采购需求", "phone", "interested", "客户对新一代产品有兴趣，要求发送资料。"),
    ("上门拜访演示样机", "visit", "need_info", "演示顺利，技术部门需要更详细的参数表。"),
    ("微信发送报价单", "wechat", "quotation", "已发送报价单，客户将在周内答复。"),
    ("商务谈判", "meeting", "negotiating", "价格与付款方式基本谈妥，待法务审核合同。"),
    ("邮件确认交付计划", "email", "signed", "客户确认交付时间与验收标准。"),
    ("电话回访使用情况", "phone", "resolved", "客户反映设备运行稳定。"),
]

PRODUCTS = [("数控机床 CK6150", "台", Decimal("128000")),
            ("工业机器人 KR-20", "台", Decimal("265000")),
            ("ERP 软件许可", "套", Decimal("48000")), ("实施服务", "人天", Decimal("2400")),
            ("年度维保服务", "年", Decimal("36000")), ("智能仓储货架", "组", Decimal("8600"))]


def load(loader) -> None:  # noqa: ANN001 - the data loader
    env = loader.env
    rng = random.Random(20260601)
    users = _users(loader, env)
    salespeople = [users["demo_sales_li"], users["demo_sales_wang"]]
    partners = []
    for index, row in enumerate(COMPANIES):
        name, industry, region, province, city, profession, contact, level, source = row
        owner = salespeople[index % 2]
        pid = loader.record(f"demo_customer_{index:02d}", "res.partner", {
            "name": name, "is_company": True, "industry_id": env.ref_id(f"crm.industry_{industry}"),
            "region": region, "province": province, "city": city, "level_id":
                env.ref_id(f"crm.level_{level.lower()}"), "source": source, "user_id": owner,
            "phone": f"0{rng.randint(10, 99)}-{rng.randint(60000000, 89999999)}",
            "vat": f"91{rng.randint(10**15, 10**16 - 1)}",
            "customer_status": rng.choice(["prospect", "active", "active", "dormant"])})
        loader.record(f"demo_contact_{index:02d}", "res.partner", {
            "name": contact, "parent_id": pid, "function": profession, "profession": profession,
            "birth_date": dt.date(rng.randint(1962, 1996), rng.randint(1, 12), rng.randint(1, 28)),
            "mobile": f"13{rng.randint(100000000, 999999999)}", "region": region,
            "province": province, "city": city, "industry_id":
                env.ref_id(f"crm.industry_{industry}")})
        partners.append((pid, owner, contact, index))
    for index, (name, region, province, city, profession, year, level, source) in enumerate(PEOPLE):
        owner = salespeople[index % 2]
        pid = loader.record(f"demo_person_{index:02d}", "res.partner", {
            "name": name, "is_company": False, "region": region, "province": province,
            "city": city, "profession": profession, "birth_date": dt.date(year, 3 + index % 9, 15),
            "level_id": env.ref_id(f"crm.level_{level.lower()}"), "source": source,
            "user_id": owner, "mobile": f"139{rng.randint(10000000, 99999999)}",
            "customer_status": "active"})
        partners.append((pid, owner, None, 100 + index))
    _followups(loader, partners, rng)
    _leads(loader, env, partners, rng)
    _contracts(loader, env, partners, users, rng)


def _users(loader, env) -> dict[str, int]:  # noqa: ANN001
    admin_joins(env, "crm.group_manager")
    ids = {}
    for xmlid, login, name, group in USERS:
        ids[xmlid] = loader.record(xmlid, "res.users", {
            "login": login, "name": name, "password": "demo12345", "lang": "zh_CN",
            "company_id": env.ref_id("base.main_company"),
            "groups_id": [(6, 0, [env.ref_id(group)])]})
    return ids


def _followups(loader, partners, rng) -> None:  # noqa: ANN001
    for pid, owner, _contact, index in partners:
        for step in range(rng.randint(1, 3)):
            summary, method, result, text = FOLLOWUP_TEXTS[(index + step) % len(FOLLOWUP_TEXTS)]
            day = BASE_DAY + dt.timedelta(days=step * 9 + index % 7)
            loader.record(f"demo_followup_{index:03d}_{step}", "crm.followup", {
                "summary": summary, "partner_id": pid, "user_id": owner, "method": method,
                "date": dt.datetime.combine(day, dt.time(9 + step, 30)), "description": text,
                "result": result, "next_step": "再次电话跟进",
                "next_date": (day + dt.timedelta(days=14)).isoformat()})


def _leads(loader, env, partners, rng) -> None:  # noqa: ANN001
    stages = ["new", "qualified", "proposal", "negotiation", "won", "lost"]
    for n, (pid, owner, _contact, index) in enumerate(partners[:24]):
        stage = stages[n % len(stages)]
        vals = {"name": f"{PRODUCTS[n % len(PRODUCTS)][0]} 采购项目", "type": "opportunity",
                "partner_id": pid, "user_id": owner,
                "stage_id": env.ref_id(f"crm.stage_{stage}"),
                "expected_revenue": str(Decimal(rng.randint(5, 120)) * 10000),
                "date_deadline": (BASE_DAY + dt.timedelta(days=30 + n * 3)).isoformat()}
        if stage == "lost":
            vals["lost_reason_id"] = env.ref_id("crm.lost_price")
            vals["active"] = False
        loader.record(f"demo_lead_{index:03d}", "crm.lead", vals)
    for n in range(4):
        loader.record(f"demo_newlead_{n}", "crm.lead", {
            "name": f"官网咨询：{PRODUCTS[n][0]}", "type": "lead",
            "partner_name": f"潜在客户{n + 1}号有限公司",
            "contact_name": ["黄先生", "林女士", "钱经理", "蒋总"][n],
            "phone": f"1380000{n:04d}", "user_id": False})


def _contracts(loader, env, partners, users, rng) -> None:  # noqa: ANN001
    engine = engine_env(env)
    states = ["active", "active", "active", "approved", "draft", "expired"]
    for n, (pid, owner, contact, _index) in enumerate(partners[:18]):
        start = BASE_DAY - dt.timedelta(days=150 - n * 8)
        lines = []
        for k in range(1 + n % 3):
            name, uom, price = PRODUCTS[(n + k) % len(PRODUCTS)]
            lines.append((0, 0, {"name": name, "uom": uom, "quantity": str(1 + (n + k) % 4),
                                 "price_unit": str(price)}))
        cid = loader.record(f"demo_contract_{n:02d}", "crm.contract", {
            "title": f"{PRODUCTS[n % len(PRODUCTS)][0]} 销售合同", "partner_id": pid,
            "user_id": owner, "date_signed": (start - dt.timedelta(days=5)).isoformat(),
            "date_start": start.isoformat(), "date_end": start.replace(year=start.year + 1)
            .isoformat(), "signer": contact or "本人", "signer_user_id": owner,
            "terms": "货到验收合格后按回款计划付款；质保期十二个月。", "line_ids": lines})
        total = env["crm.contract"].read([cid], ["amount_total"])[0]["amount_total"]
        first = (total * Decimal("0.3")).quantize(Decimal("0.01"))
        for k, (share, days) in enumerate(((first, 0), (total - first, 90))):
            loader.record(f"demo_instalment_{n:02d}_{k}", "crm.contract.installment", {
                "contract_id": cid, "date_due": (start + dt.timedelta(days=days)).isoformat(),
                "amount": str(share)})
        state = states[n % len(states)]
        if state != "draft":
            engine["crm.contract"].write([cid], {"state": state})
        if state in ("active", "expired"):
            loader.record(f"demo_payment_{n:02d}", "crm.contract.payment", {
                "contract_id": cid, "date": start.isoformat(), "amount": str(first),
                "method": "bank", "handler_id": owner, "reference": f"BANK-{n:04d}"})
    visits = env["crm.visit"].search([("origin", "=", "rule")], order="id", limit=6)
    for k, visit_id in enumerate(visits):
        feedback = "整体满意，希望加快备件供应。" if k % 3 else "设备安装延误，客户不满意。"
        env["crm.visit"].call("action_done", [visit_id], str(3 + k % 3), feedback, k % 3 == 0)
