"""Installing, upgrading and uninstalling addons in a database, at run time.

Each operation first computes a :class:`Plan` (addons in order, schema changes, rows lost,
migration steps); ``dry_run`` stops there. Otherwise it runs the whole plan in one transaction:
any failure rolls back everything, addon states included. At the end it bumps the registry
signature, so every running worker rebuilds its registry on its next request.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from . import db, schema
from .addons import ESSENTIAL_ADDONS, AddonInfo
from .data import DataLoader, sync_security
from .env import Environment
from .errors import AddonError, KangyiError
from .graph import auto_install_glue, dependents, install_closure, topological_order
from .i18n import _
from .platform import sync_platform
from .plugins import build_plugin_manager
from .recompute import mark_new_columns
from .registry import Registry

__all__ = ["Plan", "AddonManager", "build_registry", "version_key"]

_SECURITY_HOOKS = ("register_groups", "register_access", "register_rules")
#: platform records declared through hooks: scheduled jobs (core/jobs), print formats (core/reports)
_PLATFORM_HOOKS = ("register_jobs", "register_reports")


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10.2"`` → ``(1, 10, 2)``, for ordering versions and migration folders."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError as exc:
        raise AddonError(_("Invalid version %(version)r.", version=version)) from exc


def build_registry(available: Mapping[str, AddonInfo], installed: Iterable[str]) -> Registry:
    """A registry (models and plugin manager) for ``installed``, in dependency order.

    Its menus and views are composed here too, so a duplicate menu id or a view naming an unknown
    field stops an install (rolled back) or a server start, not the first page that shows them.
    """
    from .menus import menus_of
    from .views import views_of

    order = topological_order(installed, available)
    infos = [available[name] for name in order]
    registry = Registry(infos, build_plugin_manager(infos))
    menus_of(registry)
    views_of(registry)
    return registry


@dataclasses.dataclass
class Plan:
    """What an operation will do; ``lines()`` is what ``--dry-run`` prints."""

    operation: str
    addons: list[str]
    tables_created: list[str] = dataclasses.field(default_factory=list)
    columns_added: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    tables_dropped: list[str] = dataclasses.field(default_factory=list)
    columns_dropped: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    rows_deleted: dict[str, int] = dataclasses.field(default_factory=dict)
    migrations: list[str] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            _(
                "%(operation)s: %(addons)s",
                operation=self.operation,
                addons=", ".join(self.addons) or "-",
            )
        ]
        out += [_("  create table %(t)s", t=t) for t in self.tables_created]
        out += [_("  add column %(t)s.%(c)s", t=t, c=c) for t, c in self.columns_added]
        out += [_("  drop column %(t)s.%(c)s (%(n)s values)", t=t, c=c,
                  n=self.rows_deleted.get(f"{t}.{c}", 0)) for t, c in self.columns_dropped]
        out += [
            _("  drop table %(t)s (%(n)s rows)", t=t, n=self.rows_deleted.get(t, 0))
            for t in self.tables_dropped
        ]
        owned = self.rows_deleted.get("__owned__")
        if owned:
            out.append(_("  delete %(n)s data records owned by these addons", n=owned))
        out += [_("  run migration %(m)s", m=m) for m in self.migrations]
        return out


class AddonManager:
    """Addon operations on one database."""

    def __init__(self, engine: Engine, available: Mapping[str, AddonInfo]) -> None:
        self.engine = engine
        self.available = dict(available)

    # -- state ----------------------------------------------------------------------------------

    def states(self) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            self._require_initialised(conn)
            return db.addon_states(conn)

    def installed(self, conn: Connection) -> list[str]:
        return [
            n
            for n, s in db.addon_states(conn).items()
            if s["state"] in ("installed", "to upgrade", "to remove")
        ]

    def _require_initialised(self, conn: Connection) -> None:
        if not db.is_initialised(conn):
            raise AddonError(_("The database is not initialised: run `kangyi init` first."))

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One transaction for a whole operation; SQLite runs it with foreign keys off so that
        tables can be rebuilt (re-enabled afterwards). Background jobs enqueued inside it (by
        demo data, hooks…) are handed to the queue once it committed and the connection is
        back in the pool, dropped when it rolled back."""
        from .jobs.queue import submit_pending, take_pending

        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                try:
                    with conn.begin():
                        yield conn
                finally:
                    pending = take_pending(conn)
            except KangyiError:
                raise
            except Exception as exc:
                raise AddonError(
                    _("The operation failed and was rolled back: %(error)s", error=exc)
                ) from exc
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        submit_pending(pending)

    def _env(self, conn: Connection, registry: Registry) -> Environment:
        session = Session(bind=conn, expire_on_commit=False)
        return Environment(registry, session, su=True)

    def _set_state(self, conn: Connection, names: Iterable[str], **values: Any) -> None:
        table = db.modules_table
        for name in names:
            found = conn.execute(update(table).where(table.c.name == name).values(**values))
            if not found.rowcount:
                conn.execute(insert(table).values(name=name, **values))

    # -- init -----------------------------------------------------------------------------------

    def init_database(self, demo: bool = False) -> None:
        """Create the bookkeeping tables and install the essential addons (idempotent)."""
        with self._transaction() as conn:
            db.SYSTEM_METADATA.create_all(conn)
            if conn.scalar(select(func.count()).select_from(db.registry_table)) == 0:
                conn.execute(insert(db.registry_table).values(id=1, signature=1))
        self.install(list(ESSENTIAL_ADDONS), demo=demo)

    # -- install --------------------------------------------------------------------------------

    def install(self, names: list[str], demo: bool = False, dry_run: bool = False) -> Plan:
        """Install ``names`` with their dependencies and the glue addons they complete."""
        with self._transaction() as conn:
            self._require_initialised(conn)
            installed = set(self.installed(conn))
            target = installed | install_closure(names, self.available)
            while glue := auto_install_glue(target, self.available):
                target |= install_closure(glue, self.available)
            new = [n for n in topological_order(target, self.available) if n not in installed]
            for name in new:
                missing = self.available[name].missing_external_dependencies()
                if missing:
                    raise AddonError(
                        _(
                            "The addon %(name)s needs %(missing)s, which is not "
                            "installed on this server.",
                            name=name,
                            missing=", ".join(missing),
                        )
                    )
            registry = build_registry(self.available, target)
            changes = schema.additions(conn, registry.metadata)
            plan = Plan("install", new, changes.tables, changes.columns)
            if dry_run or not new:
                conn.rollback()
                return plan
            self._set_state(conn, new, state="to install")
            schema.apply_additions(conn, registry.metadata, changes)
            env = self._env(conn, registry)
            mark_new_columns(env, changes.columns)
            for name in new:
                self._load_addon(env, name, mode="init", demo=demo)
                self._call_manifest_hook(env, name, "post_init_hook")
            for name in new:
                env.registry.pm.hook.addon_installed(env=env, addon=name)
            env.flush_all()
            for name in new:
                self._set_state(
                    conn,
                    [name],
                    state="installed",
                    demo=demo,
                    latest_version=self.available[name].version,
                )
            db.bump_signature(conn)
            env.session.close()
        return plan

    def _load_addon(self, env: Environment, name: str, mode: str, demo: bool) -> None:
        info = self.available[name]
        loader = DataLoader(env, name, mode)
        results = {
            hook: [r for addon, rs in env.registry.call(hook) if addon == name for r in rs]
            for hook in (*_SECURITY_HOOKS, *_PLATFORM_HOOKS)
        }
        sync_security(loader, results)
        sync_platform(loader, results)
        for entry in info.manifest.data:
            loader.load_file(info, entry)
        if demo:
            for entry in info.manifest.demo:
                loader.load_file(info, entry, noupdate=True)
        if mode == "update":
            loader.remove_stale()
        env.session.flush()

    def _call_manifest_hook(self, env: Environment, name: str, key: str) -> None:
        function_name = getattr(self.available[name].manifest, key)
        if function_name:
            getattr(self.available[name].import_module(), function_name)(env)

    # -- upgrade --------------------------------------------------------------------------------

    def upgrade(self, names: list[str], dry_run: bool = False) -> Plan:
        """Run migration steps of ``names`` (and their installed dependents), reload their data."""
        with self._transaction() as conn:
            self._require_initialised(conn)
            states = db.addon_states(conn)
            installed = self.installed(conn)
            for name in names:
                if name not in installed:
                    raise AddonError(_("The addon %(name)s is not installed.", name=name))
                if name not in self.available:
                    raise AddonError(_("Unknown addon: %(name)s", name=name))
            marked = set(names) | dependents(names, installed, self.available)
            target = set(installed) | install_closure(marked, self.available)
            order = [n for n in topological_order(target, self.available) if n in marked]
            steps = {n: self._migrations(n, states.get(n, {}).get("latest_version")) for n in order}
            registry = build_registry(self.available, target)
            changes = schema.additions(conn, registry.metadata)
            plan = Plan(
                "upgrade",
                order,
                changes.tables,
                changes.columns,
                migrations=[f"{n} {v} {p}:{f.name}" for n in order for v, p, f in steps[n]],
            )
            if dry_run:
                conn.rollback()
                return plan
            self._set_state(conn, order, state="to upgrade")
            ctx = MigrationContext(conn, None, schema.operations(conn))
            for name in order:
                self._run_steps(ctx, steps[name], "pre", states[name]["latest_version"])
            schema.apply_additions(conn, registry.metadata, changes)
            ctx.env = self._env(conn, registry)
            mark_new_columns(ctx.env, changes.columns)
            for name in order:
                self._load_addon(ctx.env, name, mode="update", demo=states[name]["demo"])
                self._run_steps(ctx, steps[name], "post", states[name]["latest_version"])
                self._set_state(
                    conn, [name], state="installed", latest_version=self.available[name].version
                )
            ctx.env.flush_all()
            schema.settle_foreign_keys(conn)  # records the data files no longer declare
            db.bump_signature(conn)
            ctx.env.session.close()
        return plan

    def _migrations(self, name: str, installed_version: str | None) -> list[tuple[str, str, Path]]:
        """``(version, phase, file)`` of the steps between the installed and the new version."""
        info = self.available[name]
        folder = info.path / "migrations"
        if installed_version is None or not folder.is_dir():
            return []
        low, high = version_key(installed_version), version_key(info.version)
        steps = []
        for version_dir in sorted(folder.iterdir(), key=lambda p: version_key(p.name)):
            if version_dir.is_dir() and low < version_key(version_dir.name) <= high:
                for phase in ("pre", "post"):
                    steps += [
                        (version_dir.name, phase, f)
                        for f in sorted(version_dir.glob(f"{phase}*.py"))
                    ]
        return steps

    def _run_steps(
        self,
        ctx: MigrationContext,
        steps: list[tuple[str, str, Path]],
        phase: str,
        installed_version: str,
    ) -> None:
        for _version, step_phase, path in steps:
            if step_phase != phase:
                continue
            spec = importlib.util.spec_from_file_location(f"kangyi_migration_{path.stem}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            ctx.version = installed_version
            module.migrate(ctx)

    # -- uninstall ------------------------------------------------------------------------------

    def uninstall(self, names: list[str], cascade: bool = False, dry_run: bool = False) -> Plan:
        """Remove ``names`` (and, with ``cascade``, what depends on them): tables, columns, data."""
        with self._transaction() as conn:
            self._require_initialised(conn)
            installed = self.installed(conn)
            for name in names:
                if name in ESSENTIAL_ADDONS:
                    raise AddonError(
                        _("The addon %(name)s is essential and cannot be uninstalled.", name=name)
                    )
                if name not in installed:
                    raise AddonError(_("The addon %(name)s is not installed.", name=name))
            above = dependents(names, installed, self.available)
            if above and not cascade:
                raise AddonError(
                    _(
                        "Cannot uninstall %(names)s: %(deps)s depend on it (use "
                        "--cascade to remove them too).",
                        names=", ".join(names),
                        deps=", ".join(sorted(above)),
                    )
                )
            removed = set(names) | above
            old = build_registry(self.available, installed)
            new = build_registry(self.available, set(installed) - removed)
            changes = schema.removals(conn, old.metadata, new.metadata)
            order = [n for n in reversed(old.order) if n in removed]
            owned = self._owned_records(conn, removed, new)
            plan = Plan(
                "uninstall",
                order,
                tables_dropped=changes.tables,
                columns_dropped=changes.columns,
                rows_deleted={**changes.rows, "__owned__": len(owned)},
            )
            if dry_run:
                conn.rollback()
                return plan
            self._set_state(conn, order, state="to remove")
            env = self._env(conn, old)
            for name in order:
                old.pm.hook.addon_uninstalling(env=env, addon=name)
                self._call_manifest_hook(env, name, "uninstall_hook")
            for model, res_id in owned:
                if env[model].exists([res_id]):
                    env[model].unlink([res_id])
            env.session.flush()
            env.session.close()
            conn.execute(
                delete(db.model_data_table).where(db.model_data_table.c.module.in_(removed))
            )
            schema.apply_removals(conn, old.metadata, changes)
            schema.settle_foreign_keys(conn)
            self._set_state(conn, order, state="uninstalled", latest_version=None, demo=False)
            db.bump_signature(conn)
        return plan

    def _owned_records(
        self, conn: Connection, removed: set[str], remaining: Registry
    ) -> list[tuple[str, int]]:
        """Records the removed addons loaded, in models that stay, not claimed by another addon."""
        table = db.model_data_table
        rows = conn.execute(
            select(table.c.id, table.c.module, table.c.model, table.c.res_id).order_by(
                table.c.id.desc()
            )
        ).all()
        claimed = {(r.model, r.res_id) for r in rows if r.module not in removed}
        return [
            (r.model, r.res_id)
            for r in rows
            if r.module in removed and r.model in remaining and (r.model, r.res_id) not in claimed
        ]


@dataclasses.dataclass
class MigrationContext:
    """What a migration step's ``migrate(ctx)`` gets: ``conn`` and Alembic's ``op`` always,
    ``env`` (the new registry) in ``post`` steps, and ``version``, the version upgraded from."""

    conn: Connection
    env: Environment | None
    op: Any
    version: str | None = None
