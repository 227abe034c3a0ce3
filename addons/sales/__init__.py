"""Sales (SA-003 steps 1, 2, 4 and 7): orders with approval, delivery notices, invoicing notices,
payment collection. Works alone; stock and accounting join in through the hooks of
``hookspecs.py``."""

from __future__ import annotations

from typing import Any

#: sales tables, dependents first (the order in which their rows can be deleted)
DOCUMENT_MODELS = ("sale.collection.allocation", "sale.collection", "sale.invoice.notice.line",
                   "sale.invoice.notice", "sale.delivery.notice.line", "sale.delivery.notice",
                   "sale.order.line", "sale.order", "sale.pricelist.item", "sale.pricelist")


def uninstall(env: Any) -> None:
    """Before the addon's records are removed: delete the sales documents, which still point at
    the customers and users its demo data created (PostgreSQL enforces those references), and
    their workflow requests and history."""
    from sqlalchemy import delete

    registry = env.registry
    env.session.flush()
    for model in DOCUMENT_MODELS:
        env.session.execute(delete(registry[model].__table__))
    for model in ("workflow.history", "workflow.request"):
        if model in registry:
            table = registry[model].__table__
            env.session.execute(delete(table).where(table.c.res_model.in_(DOCUMENT_MODELS)))
    env.session.expire_all()
