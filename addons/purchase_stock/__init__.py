"""Glue between purchase and stock (Odoo's ``purchase_stock`` pattern), installed automatically
when both are."""


def receive_approved_orders(env):
    """Installed after purchase orders were approved: give them their receipts."""
    from sqlalchemy import select

    from .flows import sync_receipt

    order = env.registry["purchase.order"]
    for record in env.session.scalars(select(order).where(order.state == "purchase")
                                      .order_by(order.id)):
        sync_receipt(env.sudo(), record)
