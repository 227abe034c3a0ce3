"""Glue between projects and purchase: a purchase order may be charged to a project
(``project_id``); once approved, its untaxed amount counts in the project's monthly costs on the
order date (the ``project_cost_lines`` hook of projects)."""
