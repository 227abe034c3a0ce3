"""1.0 → 1.1: the VAT accounts become the columns (专栏) of one 222101 应交增值税.

1.0 booked input VAT on 222101 and output VAT on 222102, with three more 2221xx accounts beside
them. 1.1 numbers the columns as 8-digit sub-accounts (财会〔2016〕22号) and gives 222101 and
222102 new meanings. Before the chart reloads, each old account takes its new code and external
id, so its posted lines, its taxes and an administrator's edits stay with it, and the reload only
adds the accounts 1.0 did not have.
"""

from sqlalchemy import text

#: old external id → (new external id, new code), in an order that never reuses a taken code
RENUMBERED = (
    ("account_222101", "account_22210101", "22210101"),  # 进项税额
    ("account_222102", "account_22210107", "22210107"),  # 销项税额
    ("account_222103", "account_22210109", "22210109"),  # 进项税额转出
    ("account_222104", "account_22210103", "22210103"),  # 已交税金
    ("account_222105", "account_222102", "222102"),  # 未交增值税
)


def migrate(ctx) -> None:  # noqa: ANN001
    for old, new, code in RENUMBERED:
        res_id = ctx.conn.execute(
            text("SELECT res_id FROM ir_model_data WHERE module = 'accounting' AND name = :old"),
            {"old": old},
        ).scalar()
        if res_id is None:
            continue
        ctx.conn.execute(
            text("UPDATE account_account SET code = :code WHERE id = :id"),
            {"code": code, "id": res_id},
        )
        ctx.conn.execute(
            text("UPDATE account_account SET complete_name = code || ' ' || name WHERE id = :id"),
            {"id": res_id},
        )
        ctx.conn.execute(
            text("UPDATE ir_model_data SET name = :new "
                 "WHERE module = 'accounting' AND name = :old"),
            {"new": new, "old": old},
        )
