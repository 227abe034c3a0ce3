"""``grant``: the same rights on several models, with conventional external ids."""

from core.security import FULL, Access, grant


def test_grant_names_rights_after_the_addon_model_and_post():
    assert grant("sales", ["sale.order", "sale.order.line"], "sales.group_manager", **FULL) == [
        Access("sales.access_sale_order_manager", "sale.order", "sales.group_manager",
               read=True, write=True, create=True, unlink=True),
        Access("sales.access_sale_order_line_manager", "sale.order.line", "sales.group_manager",
               read=True, write=True, create=True, unlink=True)]


def test_grant_reads_only_unless_told_and_takes_another_suffix():
    [right] = grant("crm", ["crm.tag"], "base.group_user", "everyone")
    assert right.xmlid == "crm.access_crm_tag_everyone"
    assert (right.read, right.write, right.create, right.unlink) == (True, False, False, False)
    [inspector] = grant("stock", ["stock.picking"], "stock.group_inspector", write=True)
    assert (inspector.read, inspector.write, inspector.create) == (True, True, False)
