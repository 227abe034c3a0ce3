"""Platform services declared by addons through hooks and stored as records on install:
scheduled jobs (``register_jobs`` → ``ir.cron``, :mod:`core.jobs`) and print formats
(``register_reports`` → ``ir.actions.report``, :mod:`core.reports`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import DataLoader

__all__ = ["sync_platform"]


def sync_platform(loader: DataLoader, results: dict[str, list[Any]]) -> None:
    """Store the platform records one addon declared (``results``: its hooks' answers)."""
    from .jobs.sync import sync_jobs
    from .reports.declare import sync_reports

    sync_jobs(loader, results.get("register_jobs", []))
    sync_reports(loader, results.get("register_reports", []))
