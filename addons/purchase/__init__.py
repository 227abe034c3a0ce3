"""Purchase (采购管理): suppliers and their price lists, purchase requests (请购单), supplier
comparison (比价单), purchase orders with approval and amendments. Works alone; stock and
accounting join in through the glue addons ``purchase_stock`` and ``purchase_account``, which
implement the hooks of ``hookspecs.py``."""

from __future__ import annotations

from typing import Any

#: purchase tables, dependents first (the order in which their rows can be deleted)
DOCUMENT_MODELS = ("purchase.order.revision", "purchase.order.line", "purchase.order",
                   "purchase.comparison", "purchase.request.line", "purchase.request",
                   "product.supplierinfo")


def uninstall(env: Any) -> None:
    """Before the addon's records are removed: delete the purchase documents (they point at
    suppliers and users its demo data created) and their workflow requests and history."""
    from sqlalchemy import delete, update

    registry = env.registry
    env.session.flush()
    order = registry["purchase.order"].__table__
    env.session.execute(update(order).values(comparison_id=None))
    for model in DOCUMENT_MODELS:
        env.session.execute(delete(registry[model].__table__))
    for model in ("workflow.history", "workflow.request"):
        if model in registry:
            table = registry[model].__table__
            env.session.execute(delete(table).where(table.c.res_model.in_(DOCUMENT_MODELS)))
    env.session.expire_all()
