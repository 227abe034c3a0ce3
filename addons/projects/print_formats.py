"""Print format of projects: the approved initiation request (系统集成类项目立项书), signed
by each post of its approval chain — what 商务拓展部 files and 财务部 keeps a copy of."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.i18n import _l
from core.reports import Report

#: the approval steps whose approver signs, in the order of the signature boxes
STEPS = ("department_manager", "cost_director", "sales_director", "general_manager")


def _signed(env: Any, record_id: int, document: dict[str, Any]) -> dict[str, Any]:
    """The applicant and, for each step, who approved it last and when."""
    history = env.registry["workflow.history"]
    rows = env.session.execute(select(history.step, history.user_id, history.date).where(
        history.res_model == "project.initiation", history.res_id == record_id,
        history.decision == "approve", history.step.in_(STEPS)).order_by(history.id))
    signed: dict[str, tuple[int, Any]] = {step: (uid, date) for step, uid, date in rows}
    applicant = document["row"]["user_id"]
    names = env.sudo()["res.users"].display_names(
        [uid for uid, _date in signed.values() if uid])
    boxes = [applicant[1] if applicant else ""]
    for step in STEPS:
        uid, date = signed.get(step, (None, None))
        boxes.append(f"{names.get(uid, '')} {date:%Y-%m-%d}" if uid and date else "")
    document["signatures"] = [(label, name) for (label, _blank), name in
                              zip(document["signatures"], boxes, strict=True)]
    return document


REPORTS = [
    Report("projects.report_initiation", "projects.report_initiation",
           _l("System integration project initiation request"), "project.initiation",
           header=("project_name", "date", "user_id", "department_id", "partner_id", "street",
                   "contact_name", "contact_phone", "expected_amount", "funding",
                   "success_rate", "date_signing", "presales_budget", "is_special"),
           amount_words="presales_budget", notes="description",
           signatures=(_l("Applicant"), _l("Department manager"), _l("Cost director"),
                       _l("Sales director in charge"), _l("General manager")),
           values=_signed),
]
