"""Install and uninstall steps of the CRM."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

#: core models whose rows point at any record through ``res_model`` + ``res_id``
_ATTACHED = ("mail.activity", "mail.message", "mail.tracking", "ir.attachment",
             "workflow.history", "workflow.request")


def uninstall_hook(env: Any) -> None:
    """Empty the CRM's tables, and what the core attached to their records, before the core
    removes the records the addon loaded (demo customers and users).

    Contracts refuse the deletion of their customer (``RESTRICT``) and activities need their
    assignee, which is right in business but would stop the uninstall; the tables go anyway.
    """
    registry = env.registry
    own_models = [name for name, owner in registry.model_owner.items() if owner == "crm"]
    for name in _ATTACHED:
        if name in registry:
            model = registry[name]
            env.session.execute(delete(model.__table__).where(
                model.__table__.c.res_model.in_(own_models)))
    owned = set(registry.tables_of("crm"))
    for table in reversed(registry.metadata.sorted_tables):
        if table.name in owned:
            env.session.execute(delete(table))
    env.session.flush()
