"""Work waiting for a user, shown on their home page: what the posts they hold have to do next.

Addons answer the ``work_waiting`` hook with :class:`WorkItem` objects (documents to post, to
match, a month to close…); the home page lists those with a count, beside the approvals and the
workflow steps waiting for the user (:func:`core.workflow_engine.waiting_steps`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["WorkItem", "work_waiting"]


@dataclasses.dataclass(frozen=True)
class WorkItem:
    """Documents waiting for the user: a label (``_l``), how many, and the list opening them."""

    label: Any
    count: int
    url: str


def work_waiting(env: Environment) -> list[WorkItem]:
    """Every addon's work items for ``env``'s user that have something waiting."""
    items = [item for answer in env.registry.pm.hook.work_waiting(env=env)
             for item in (answer or ())]
    return [item for item in items if item.count]
