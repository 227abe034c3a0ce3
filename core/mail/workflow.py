"""Approval notifications, called by the workflow engine: a step waits for its approvers; the
requester hears that the request was approved or rejected (with the reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .notify import notify

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["approval_waiting", "request_decided"]


def _url(record: Any) -> str:
    return f"/web/{record._name}/{record.id}"


def approval_waiting(env: Environment, record: Any, approvers: list[int], transition: Any,
                     requester: int | None) -> None:
    notify(env, approvers, "approval_waiting", {
        "document": record.display_name, "action": str(transition.label or transition.name)},
        url=_url(record), names={"requester": requester})


def request_decided(env: Environment, record: Any, transition: Any, requester: int | None,
                    approved: bool, reason: str | None = None) -> None:
    if not requester or requester == env.uid:
        return
    notify(env, [requester], "request_approved" if approved else "request_rejected", {
        "document": record.display_name, "action": str(transition.label or transition.name),
        "reason": reason or ""}, url=_url(record), names={"approver": env.uid})
