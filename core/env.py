"""The environment: who is acting, on which session and registry, in which context.

``env["sale.order"]`` is the model service (:class:`core.service.ModelService`), the one door
through which the web UI, REST and RPC read and write, so access rules apply to all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .caching import ChangeCounter, RegistryCache
from .db import model_data_table
from .errors import MissingError
from .i18n import _

if TYPE_CHECKING:
    from .models import BaseModel
    from .registry import Registry
    from .security import AccessControl
    from .service import ModelService

__all__ = ["Environment", "SUPERUSER_ID"]

#: the id of the ``base.user_root`` technical user (OdooBot's place), created by ``kangyi init``
SUPERUSER_ID = 1

#: bumped by every transaction that writes ``ir_model_data``: external ids cached before are stale
XMLID_CHANGES = ChangeCounter(3, (model_data_table.name,))
#: ``(counter, xmlid)`` → ``(model, id)`` or None, per registry
_XMLIDS: RegistryCache[tuple[str, int] | None] = RegistryCache(4096)
#: ``(counter,)`` → the models that have records with external ids, per registry
_XMLID_MODELS: RegistryCache[frozenset[str]] = RegistryCache(4)


class Environment:
    """The acting user, the session and registry, and a context dict (language, defaults…)."""

    def __init__(self, registry: Registry, session: Session, uid: int | None = SUPERUSER_ID,
                 context: Mapping[str, Any] | None = None, su: bool | None = None) -> None:
        self.registry = registry
        self.session = session
        self.uid = uid
        self.context: dict[str, Any] = dict(context or {})
        self.su = (uid == SUPERUSER_ID) if su is None else su
        if "env" not in session.info:
            from .recompute import watch

            watch(session)
            session.info["env"] = self

    def __getitem__(self, model: str) -> ModelService:
        from .service import ModelService

        try:
            cls = self.registry[model]
        except KeyError:
            raise MissingError(_("The model %(model)s does not exist (is its addon installed?).",
                                 model=model)) from None
        return ModelService(self, cls)

    def __contains__(self, model: str) -> bool:
        return model in self.registry

    def __call__(self, *, uid: int | None = None, context: Mapping[str, Any] | None = None,
                 su: bool | None = None) -> Environment:
        """A copy of this environment with another user, context or superuser flag."""
        uid = self.uid if uid is None else uid
        if su is None:
            su = self.su if uid == self.uid else None
        ctx = self.context if context is None else context
        return Environment(self.registry, self.session, uid, ctx, su)

    def sudo(self, flag: bool = True) -> Environment:
        """This user, with access checks off (for trusted business code, never for user input)."""
        return self(su=flag)

    def with_context(self, **values: Any) -> Environment:
        return self(context={**self.context, **values})

    @property
    def lang(self) -> str:
        return self.context.get("lang") or "en"

    @cached_property
    def user(self) -> BaseModel:
        """The acting ``res.users`` record."""
        user = self.session.get(self.registry["res.users"], self.uid)
        if user is None:
            raise MissingError(_("The user %(uid)s does not exist.", uid=self.uid))
        return user

    @cached_property
    def access(self) -> AccessControl:
        """Access rights, record rules and field groups of the acting user."""
        from .security import AccessControl

        return AccessControl(self)

    def ref(self, xmlid: str, raise_if_not_found: bool = True) -> BaseModel | None:
        """The record loaded with external id ``addon.name`` (for its id alone,
        :meth:`ref_id` reads nothing)."""
        target = self._xmlid_target(xmlid)
        record = None
        if target is not None and target[1] and target[0] in self.registry:
            record = self.session.get(self.registry[target[0]], target[1])
        if record is None and raise_if_not_found:
            raise MissingError(_("No record has the external id %(xmlid)s.", xmlid=xmlid))
        return record

    def ref_id(self, xmlid: str, raise_if_not_found: bool = True) -> int | None:
        """The id of the record with external id ``addon.name`` (None when there is none and
        ``raise_if_not_found`` is false), from the external ids cached per registry: no row is
        read, since deleting a record through the service marks its external ids deleted
        (:meth:`forget_xmlids`)."""
        target = self._xmlid_target(xmlid)
        if target is not None and target[1] and target[0] in self.registry:
            return target[1]
        if raise_if_not_found:
            raise MissingError(_("No record has the external id %(xmlid)s.", xmlid=xmlid))
        return None

    def forget_xmlids(self, model: str, ids: list[int]) -> None:
        """The external ids of the records ``ids`` of ``model`` (being deleted) name no row any
        more (``res_id`` 0): none names a deleted row, or another row reusing its id (SQLite),
        and the name stays known, so what an addon seeded once and an admin deleted is not
        seeded again (``core.workflow.seed_steps``). No statement for a model none of whose
        records has an external id."""
        counter = XMLID_CHANGES.value(self.session.connection())
        models = self._xmlid_models() if counter is None else _XMLID_MODELS.get(
            self.registry, (counter,), self._xmlid_models)
        if ids and model in models:
            self.session.execute(update(model_data_table).where(
                model_data_table.c.model == model, model_data_table.c.res_id.in_(ids))
                .values(res_id=0))

    def _xmlid_models(self) -> frozenset[str]:
        return frozenset(self.session.scalars(select(model_data_table.c.model).distinct()))

    def _xmlid_target(self, xmlid: str) -> tuple[str, int] | None:
        """``(model, id)`` of an external id: cached per registry while no transaction changes
        ``ir_model_data`` (:data:`XMLID_CHANGES`), read each time in one that did."""
        counter = XMLID_CHANGES.value(self.session.connection())
        if counter is None:
            return self._read_xmlid(xmlid)
        return _XMLIDS.get(self.registry, (counter, xmlid), lambda: self._read_xmlid(xmlid))

    def _read_xmlid(self, xmlid: str) -> tuple[str, int] | None:
        module, _sep, name = xmlid.partition(".")
        row = self.session.execute(select(model_data_table.c.model, model_data_table.c.res_id)
                                   .where(model_data_table.c.module == module,
                                          model_data_table.c.name == name)).first()
        return (row.model, row.res_id) if row is not None else None

    def flush_all(self) -> None:
        """Write pending changes and recompute the stored computed fields they affect (the model
        service does after each call; business code that changed records through the ORM and
        reads a computed field in the same call does first)."""
        from .recompute import recompute

        recompute(self)
        self.session.flush()
