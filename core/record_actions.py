"""Public record methods every model has: workflow actions and chatter, reachable through
``ModelService.call`` like any ``@public`` method (and so from the UI, REST and RPC alike).

:class:`RecordActions` is a base of :class:`core.models.BaseModel`. When the registry composes a
model that declares a ``_workflow``, it checks the declaration and adds a public ``action_<name>``
method per transition (unless a fragment defines one, which should only add its arguments and
call ``self.workflow_action(name, …)``: the work of a transition lives in its callbacks, which the
engine runs for every door; see :class:`core.workflow.TransitionContext`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RecordActions"]


def _public(func: Callable[..., Any], check: str = "write") -> Callable[..., Any]:
    """Like :func:`core.public`; ``check`` is the record access ``call`` demands first."""
    func.__kangyi_public__ = True  # type: ignore[attr-defined]
    func.__kangyi_check__ = check  # type: ignore[attr-defined]
    return func


def _transition_method(name: str) -> Callable[..., Any]:
    def action(self: Any, comment: str | None = None) -> Any:
        return self.workflow_action(name, comment=comment)

    action.__name__ = f"action_{name}"
    action.__doc__ = f"Take the workflow transition {name!r} (approvals may follow)."
    return _public(action, "read")


class RecordActions:
    """Workflow and chatter methods shared by every model."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        workflow = getattr(cls, "_workflow", None)
        if workflow is not None and "__fields__" in cls.__dict__:
            workflow.validate(cls)
            for transition in workflow.transitions:
                if not hasattr(cls, transition.method):
                    setattr(cls, transition.method, _transition_method(transition.name))
        super().__init_subclass__(**kwargs)

    def _acting_env(self) -> Any:
        return self.env  # type: ignore[attr-defined]

    def workflow_action(self, transition: str, comment: str | None = None) -> str:
        """Take ``transition``; returns the record's state afterwards."""
        return self._workflow_action(transition, comment)

    def _workflow_action(self, transition: str, comment: str | None = None,
                         **options: Any) -> str:
        """For a model's own action methods: ``options`` (not reachable from the APIs) reach
        the transition's callbacks ``_before_<name>`` / ``_after_<name>``."""
        from .workflow_engine import take_transition

        return take_transition(self._acting_env(), self._name, self.id,  # type: ignore[attr-defined]
                               transition, comment, **options)

    def workflow_approve(self, comment: str | None = None) -> str:
        """Approve the current step of the record's pending request."""
        from .workflow_engine import approve

        return approve(self._acting_env(), self._name, self.id, comment)  # type: ignore[attr-defined]

    def workflow_reject(self, reason: str = "") -> str:
        """Reject the pending request; ``reason`` is mandatory."""
        from .workflow_engine import reject

        return reject(self._acting_env(), self._name, self.id, reason)  # type: ignore[attr-defined]

    def workflow_withdraw(self) -> str:
        """Withdraw one's own request before anyone approved it."""
        from .workflow_engine import withdraw

        return withdraw(self._acting_env(), self._name, self.id)  # type: ignore[attr-defined]

    def message_post(self, body: str = "", internal: bool = False) -> int:
        """Post a message (or an internal note) on the record; returns the message id."""
        from .audit import post_message

        return post_message(self._acting_env(), self._name, self.id, body,  # type: ignore[attr-defined]
                            internal=internal)

    for _method in (workflow_action, workflow_approve, workflow_reject, workflow_withdraw,
                    message_post):
        _public(_method, "read")
    del _method
