"""The glue's registrations: the opportunity and contract of initiation requests and projects,
the contract a project takes once signed, and the smart buttons of the opportunity's and the
contract's forms opening their requests and projects."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l
from core.plugins import hookimpl
from core.security import Access, Rule
from core.views import Related, ViewExtension

OFFICE = "projects.group_manager"
#: contract states of a signed contract
SIGNED = ("approved", "active")


def _check_customer(record: Any, model: str, field: str, message: Any) -> None:
    """The record linked by ``field`` is the customer's of ``record`` (when it names one)."""
    target = getattr(record, field)
    if not target or not record.partner_id:
        return
    linked = record.env.session.get(record.env.registry[model], target)
    if linked is not None and linked.partner_id and linked.partner_id != record.partner_id:
        raise ValidationError(message(linked.display_name), field=field)


def _lead_of_other_customer(name: str) -> str:
    return _("The opportunity %(name)s is another customer's.", name=name)


class InitiationOpportunity:
    _inherit = "project.initiation"

    opportunity_id: Mapped[Optional[int]] = fields.Many2one(
        "crm.lead", _l("Opportunity"), index=True, ondelete="SET NULL")

    @constrains("opportunity_id", "partner_id")
    def _check_opportunity(self) -> None:
        _check_customer(self, "crm.lead", "opportunity_id", _lead_of_other_customer)


class ProjectCrm:
    _inherit = "project.project"

    opportunity_id: Mapped[Optional[int]] = fields.Many2one(
        "crm.lead", _l("Opportunity"), index=True, ondelete="SET NULL")
    contract_id: Mapped[Optional[int]] = fields.Many2one(
        "crm.contract", _l("Contract"), index=True, ondelete="SET NULL")

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        """A project made from an initiation request names the request's opportunity."""
        initiations = env.registry["project.initiation"]
        for vals in vals_list:
            if vals.get("initiation_id") and not vals.get("opportunity_id"):
                initiation = env.session.get(initiations, vals["initiation_id"])
                if initiation is not None and initiation.opportunity_id:
                    vals["opportunity_id"] = initiation.opportunity_id
        return super().create(env, vals_list)

    @constrains("opportunity_id", "contract_id", "partner_id")
    def _check_crm_links(self) -> None:
        _check_customer(self, "crm.lead", "opportunity_id", _lead_of_other_customer)
        _check_customer(self, "crm.contract", "contract_id", lambda name: _(
            "The contract %(name)s is another customer's.", name=name))


class ContractProjects:
    _inherit = "crm.contract"

    def write(self, vals: dict[str, Any]) -> None:
        """Signed (approved or in force): the open projects of its opportunity and customer
        that name no contract yet name this one."""
        before = self.state
        super().write(vals)
        if self.state in SIGNED and before not in SIGNED and self.lead_id:
            projects = self.env.sudo()["project.project"]
            found = projects.search([("opportunity_id", "=", self.lead_id),
                                     ("partner_id", "=", self.partner_id),
                                     ("contract_id", "=", False),
                                     ("state", "not in", ("done", "cancel"))])
            if found:
                projects.write(found, {"contract_id": self.id})


@hookimpl
def register_models() -> list[type]:
    return [InitiationOpportunity, ProjectCrm, ContractProjects]


@hookimpl
def register_access() -> list[Access]:
    # 项目管理部 links projects to their opportunity and contract: it reads them (and the
    # contract's lines, plan and receipts its form shows)
    return [Access(f"project_crm.access_{model.replace('.', '_')}_office", model, OFFICE)
            for model in ("crm.lead", "crm.contract", "crm.contract.line",
                          "crm.contract.installment", "crm.contract.payment")]


@hookimpl
def register_rules() -> list[Rule]:
    return [Rule(f"project_crm.rule_{model.replace('.', '_')}_office",
                 _l("Projects: the project office reads every opportunity and contract (to "
                    "link projects to them)"), model, "[(1, '=', 1)]", groups=(OFFICE,),
                 read=True, write=False, create=False, unlink=False)
            for model in ("crm.lead", "crm.contract")]


@hookimpl
def register_views() -> list[Any]:
    return [
        ViewExtension("project.initiation", "form", add=("opportunity_id",),
                      after="partner_id"),
        ViewExtension("project.initiation", "list", add=("opportunity_id",),
                      after="partner_id", search=("opportunity_id",)),
        ViewExtension("project.project", "form", add=("opportunity_id", "contract_id"),
                      after="initiation_id"),
        ViewExtension("project.project", "list", search=("opportunity_id", "contract_id")),
        # both ways: the opportunity's requests and projects, the contract's projects
        ViewExtension("crm.lead", "form", related=(
            Related("opportunity_id", _l("Initiation requests"), model="project.initiation"),
            Related("opportunity_id", _l("Related projects"), model="project.project"))),
        ViewExtension("crm.contract", "form", related=(
            Related("contract_id", _l("Related projects"), model="project.project"),)),
    ]
