"""Every hook of the core, grouped by phase. Addons implement them with ``@hookimpl``.

Addons may declare hooks of their own in a ``hookspecs.py`` module of their package; the core adds
them to the plugin manager before any implementation is registered. Hooks are called only on
installed addons, and pluggy calls implementations last-registered first: anything that must follow
addon dependency order is sorted by the core, never left to hook order.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("kangyi")

# -- registration: called when a registry is built for a set of installed addons ---------------


@hookspec
def register_models() -> list[type]:
    """Model fragments this addon contributes.

    A fragment with ``_name`` (and no ``_inherit``) creates a model; one with ``_inherit`` extends
    the model of an addon it depends on. The core stacks fragments in dependency order.

    :return: fragment classes
    """


@hookspec
def register_groups() -> list[Any]:
    """Groups (posts, 岗位) this addon declares, as :class:`core.security.Group`.

    Stored in ``res.groups`` with their external id when the addon is installed or upgraded.

    :return: groups
    """


@hookspec
def register_access() -> list[Any]:
    """Model access rights, as :class:`core.security.Access` (additive, default deny).

    :return: access rights
    """


@hookspec
def register_rules() -> list[Any]:
    """Record rules, as :class:`core.security.Rule` (global ones AND, group ones OR).

    :return: record rules
    """


@hookspec
def register_menus() -> list[Any]:
    """Menu items this addon contributes, as :class:`core.menus.MenuItem`.

    Items nest through ``parent`` (another addon's item id is fine when this addon depends on
    it); a duplicate id is an error naming both addons. Users see only the items their groups and
    model access allow.

    :return: menu items
    """


@hookspec
def register_views() -> list[Any]:
    """Views of models, as :mod:`core.views` specs, and extensions of other addons' views.

    :class:`core.views.ListView`, :class:`~core.views.FormView`, :class:`~core.views.KanbanView`,
    :class:`~core.views.CalendarView` declare a view (one owner per model and kind);
    :class:`~core.views.ViewExtension` inserts or hides fields or columns relative to others and
    adds filters or buttons, applied in addon dependency order.

    :return: view specs and view extensions
    """


@hookspec
def register_pages() -> list[Any]:
    """Web pages this addon serves besides the generic views, as :class:`core.pages.Page`.

    Served under ``/web/page/<addon>/<rule>`` for logged-in users while the addon is installed;
    a duplicate page id is an error naming both addons.

    :return: pages
    """


# -- lifecycle: called inside the install/uninstall transaction ---------------------------------


@hookspec
def addon_installed(env: Any, addon: str) -> None:
    """An addon was just installed (its tables and data exist); every installed addon hears it.

    Use it for glue that reacts to another addon arriving. The addon's own one-off set-up belongs
    in its manifest's ``post_init_hook``.

    :param env: superuser environment inside the install transaction
    :param addon: technical name of the addon installed
    """


@hookspec
def addon_uninstalling(env: Any, addon: str) -> None:
    """An addon is about to be removed (its tables still exist); every installed addon hears it.

    :param env: superuser environment inside the uninstall transaction
    :param addon: technical name of the addon being removed
    """


# -- record events: called by the model service inside the operation's savepoint ---------------


@hookspec
def record_created(env: Any, model: str, ids: list[int]) -> None:
    """Records were created (after constraints passed).

    :param env: the acting environment
    :param model: model name, e.g. ``"sale.order"``
    :param ids: ids of the new records
    """


@hookspec
def record_written(env: Any, model: str, record_id: int, old: dict[str, Any],
                   new: dict[str, Any]) -> None:
    """A record's stored fields were written (called once per record).

    :param env: the acting environment
    :param model: model name
    :param record_id: id of the record written
    :param old: values before the write, for the written fields
    :param new: values after the write
    """


@hookspec
def record_unlinking(env: Any, model: str, ids: list[int]) -> None:
    """Records are about to be deleted (they can still be read).

    :param env: the acting environment
    :param model: model name
    :param ids: ids of the records being deleted
    """


# -- generated data: called by core.demo_data.generate -----------------------------------------


@hookspec
def register_data_generators() -> list[Any]:
    """Steps of the generated data set (``kangyi demo``, the benchmarks) this addon contributes,
    as :class:`core.demo_data.DataStep`.

    Each step writes one part of a year of business data through the model service; steps run
    by their ``sequence``, then in addon dependency order.

    :return: data steps
    """


# -- workflows: called by the workflow engine (core/workflow_engine.py) -------------------------


@hookspec(firstresult=True)
def resolve_approvers(env: Any, record: Any, step: str) -> list[int] | None:
    """The users who approve an approval step whose approvers are resolved at run time.

    A ``workflow.step`` with a ``resolver`` (e.g. ``"department_manager"``) asks this hook when
    the step starts; the hr addon, for instance, answers with the requester's department manager.
    firstresult: stops at the first non-None result.

    :param env: superuser environment of the acting user
    :param record: the ORM record waiting for approval
    :param step: the step's resolver name
    :return: ``res.users`` ids, or None when this addon does not know that resolver
    """


# -- security: called by core.security.AccessControl --------------------------------------------


@hookspec(firstresult=True)
def data_scope(env: Any, model: str) -> Any:
    """The data scope the acting user's posts give on ``model`` (a model declaring
    ``_scope_fields``, the fields naming the users who own a record).

    The answer replaces the model's group rules for this user (global rules still apply): the
    hr addon, for instance, answers from the user's employee record (own records, own department,
    department and sub-departments, all). Called at most once per model and environment; cache
    across requests under a change counter. firstresult: stops at the first non-None result.

    :param env: the acting user's environment (use ``env.sudo()`` to read)
    :param model: model name, e.g. ``"sale.order"``
    :return: ``res.users`` ids whose records the user sees (the user is always added),
        :data:`core.security.SCOPE_ALL` for every record, or None when no post sets a scope on
        ``model`` (the group rules apply as they are)
    """


# -- platform services: jobs (core/jobs), print formats (core/reports), mail (core/mail) -------


@hookspec
def register_jobs() -> list[Any]:
    """Periodic jobs this addon runs, as :class:`core.jobs.CronJob`.

    Stored as ``ir.cron`` records (external id = the job's id) when the addon is installed; an
    upgrade refreshes their names but keeps the schedule and state administrators set. The
    worker (``kangyi worker``) runs each one in its own transaction as the job's user.

    :return: periodic jobs
    """


@hookspec
def register_reports() -> list[Any]:
    """Print formats (PDF documents) of this addon's models, as :class:`core.reports.Report`.

    Stored as ``ir.actions.report`` records when the addon is installed; each format adds a print
    button to its model's form and prints at ``/report/pdf/<report_name>/<ids>``.

    :return: print formats
    """


# -- web UI --------------------------------------------------------------------------------------


@hookspec
def form_sections(env: Any, model: str, record_id: int) -> list[Any] | None:
    """Sections shown under the form of the record ``record_id`` of ``model``: what this addon
    links to it (the projects of an opportunity, a project's sales orders and profitability).

    Return :class:`core.sections.FormSection` objects, or nothing for the models this addon adds
    nothing to (check ``model`` first: the hook runs on every form). Read with ``env`` (the
    user's own rights and record rules) and in a fixed number of queries.

    :param env: the acting user's environment
    :param model: the form's model
    :param record_id: the record shown
    :return: sections, or None
    """


@hookspec
def work_waiting(env: Any) -> list[Any]:
    """The work waiting for ``env``'s user in this addon, for their home page.

    Return :class:`core.work.WorkItem` objects (label, count, the URL of a list of the records);
    those with a count of 0 are not shown. Count with the user's own environment (``env``, not
    sudo) so access rights and record rules apply, and only for the posts (groups) the work
    belongs to. Called on every home page view: one COUNT query per item.

    :param env: the acting user's environment
    :return: a list of work items (empty when nothing applies)
    """
