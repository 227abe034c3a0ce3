"""Glue between projects and sales: a sales order names its project (``project_id``); the
project's and its initiation request's forms list the orders, and what was invoiced on them
(untaxed) is the project's revenue in its profitability (the ``project_profitability`` hook of
projects)."""
