"""The ``kangyi`` command: database set-up, addons, users, the development server, a shell."""

from __future__ import annotations

import code
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from . import config, db
from .demo_data import SIZES
from .errors import KangyiError
from .lifecycle import Plan
from .runtime import Runtime

__all__ = ["main"]


def _fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected errors into one clear line and a non-zero exit, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KangyiError as exc:
            raise click.ClickException(exc.message) from None
        except OperationalError as exc:
            raise click.ClickException(f"Cannot use the database: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"Database error: {exc}") from None

    return wrapper


class Context:
    def __init__(self, database: str | None) -> None:
        self.settings = {"DATABASE_URL": database} if database else {}
        self._runtime: Runtime | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            engine = db.create_engine(config.database_url(self.settings))
            self._runtime = Runtime(engine)
        return self._runtime

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.engine.dispose()


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.option(
    "--database",
    envvar="KANGYI_DATABASE_URL",
    metavar="URL",
    help="SQLAlchemy URL (default: an SQLite file in the instance folder).",
)
@click.pass_context
def main(ctx: click.Context, database: str | None) -> None:
    """Kangyi ERP."""
    ctx.obj = Context(database)
    ctx.call_on_close(ctx.obj.close)


def _print_plan(plan: Plan, dry_run: bool) -> None:
    for line in plan.lines():
        click.echo(line)
    if dry_run:
        click.echo("(dry run: nothing was changed)")


@main.command()
@click.option("--demo", is_flag=True, help="Load demo data.")
@click.option("--admin-password", default="admin1234", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True)
@pass_context
@_fail_cleanly
def init(ctx: Context, demo: bool, admin_password: str, lang: str) -> None:
    """Create the database tables, the base addon and the admin user."""
    from .users import ensure_admin

    rt = ctx.runtime
    rt.manager.init_database(demo=demo)
    with rt.env() as env:
        ensure_admin(env, admin_password, lang)
    click.echo(
        f"Initialised {rt.engine.url.render_as_string(hide_password=True)}; log in as admin."
    )


@main.group()
def addons() -> None:
    """List, install, upgrade and uninstall addons."""


@addons.command("list")
@pass_context
@_fail_cleanly
def addons_list(ctx: Context) -> None:
    """One row per addon: name, state, version, depends."""
    states = ctx.runtime.manager.states()
    for name, info in sorted(ctx.runtime.available.items()):
        state = states.get(name, {}).get("state", "uninstalled")
        depends = ",".join(info.manifest.depends) or "-"
        click.echo(f"{name:<20} {state:<12} {info.version:<10} {depends}")


@addons.command("install")
@click.argument("names", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True)
@click.option("--demo", is_flag=True, help="Load the addons' demo data.")
@pass_context
@_fail_cleanly
def addons_install(ctx: Context, names: tuple[str, ...], dry_run: bool, demo: bool) -> None:
    """Install addons with their dependencies."""
    _print_plan(ctx.runtime.manager.install(list(names), demo=demo, dry_run=dry_run), dry_run)


@addons.command("upgrade")
@click.argument("names", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True)
@pass_context
@_fail_cleanly
def addons_upgrade(ctx: Context, names: tuple[str, ...], dry_run: bool) -> None:
    """Run migrations and reload data of installed addons."""
    _print_plan(ctx.runtime.manager.upgrade(list(names), dry_run=dry_run), dry_run)


@addons.command("uninstall")
@click.argument("names", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True)
@click.option("--cascade", is_flag=True, help="Also remove the addons that depend on them.")
@pass_context
@_fail_cleanly
def addons_uninstall(ctx: Context, names: tuple[str, ...], dry_run: bool, cascade: bool) -> None:
    """Remove addons: their tables, columns, access rights and data."""
    plan = ctx.runtime.manager.uninstall(list(names), cascade=cascade, dry_run=dry_run)
    _print_plan(plan, dry_run)


@main.group()
def user() -> None:
    """Manage users."""


@user.command("create")
@click.argument("login")
@click.option("--password", required=True)
@click.option("--name", default=None)
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="EXTERNAL_ID",
    help="A group external id such as base.group_user (repeatable).",
)
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True)
@pass_context
@_fail_cleanly
def user_create(
    ctx: Context, login: str, password: str, name: str | None, groups: tuple[str, ...],
    lang: str,
) -> None:
    """Create a user (in the default company)."""
    with ctx.runtime.env() as env:
        group_ids = [env.ref_id(g) for g in (groups or ("base.group_user",))]
        uid = env["res.users"].create(
            {
                "login": login,
                "name": name or login,
                "password": password,
                "lang": lang,
                "groups_id": [(6, 0, group_ids)],
            }
        )
    click.echo(f"Created user {login} (id {uid}).")


@main.group()
def apikey() -> None:
    """Create, list and revoke API keys (REST, XML-RPC and JSON-RPC)."""


@apikey.command("create")
@click.argument("login")
@click.option("--name", required=True, help="What the key is for, e.g. 'warehouse sync'.")
@pass_context
@_fail_cleanly
def apikey_create(ctx: Context, login: str, name: str) -> None:
    """Create an API key for LOGIN and print it: it is shown only this once."""
    from .api.apikeys import generate_key, uid_of_login

    with ctx.runtime.env() as env:
        key = generate_key(env, uid_of_login(env, login), name)
    click.echo(key)


@apikey.command("list")
@click.argument("login", required=False)
@pass_context
@_fail_cleanly
def apikey_list(ctx: Context, login: str | None) -> None:
    """One row per key (of LOGIN, or everyone's): id, login, prefix, created, name."""
    from .api.apikeys import list_keys

    with ctx.runtime.env() as env:
        for row in list_keys(env, login):
            click.echo("{id:<6} {login:<20} {key_prefix}… {create_date:%Y-%m-%d} {name}".format(
                **row))


@apikey.command("revoke")
@click.argument("key_id", type=int)
@pass_context
@_fail_cleanly
def apikey_revoke(ctx: Context, key_id: int) -> None:
    """Revoke (delete) the API key KEY_ID."""
    with ctx.runtime.env() as env:
        env["res.users.apikeys"].unlink([key_id])
    click.echo(f"Revoked API key {key_id}.")


@main.group()
def attachments() -> None:
    """Attachment file store maintenance."""


@attachments.command("gc")
@click.option("--grace", type=float, default=3600, show_default=True,
              help="Keep files younger than this many seconds (uploads in flight).")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The file store (default: ATTACHMENT_DIR, else <instance>/filestore).")
@pass_context
@_fail_cleanly
def attachments_gc(ctx: Context, grace: float, dry_run: bool, directory: Path | None) -> None:
    """Delete the stored files no attachment refers to any more."""
    from .attachments import sweep

    if directory is None:
        configured = os.environ.get("KANGYI_ATTACHMENT_DIR")
        directory = Path(configured) if configured else (
            config.instance_path(ctx.settings) / "filestore")
    files = size = 0
    if directory.is_dir():
        with ctx.runtime.env() as env:
            files, size = sweep(env, grace=grace, dry_run=dry_run, directory=directory)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {files} unused files ({size / 1024:.1f} KB) from {directory}.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8069, show_default=True, type=int)
@pass_context
@_fail_cleanly
def run(ctx: Context, host: str, port: int) -> None:
    """Serve the web app (development server; use gunicorn in production)."""
    from .app import create_app, runtime_of

    app = create_app(ctx.settings)
    with runtime_of(app).env():
        pass  # build the registry now: a broken addon stops the start, not the first request
    app.run(host=host, port=port, debug=False, use_reloader=False)


@main.command()
@click.option("--workers", type=int, envvar="KANGYI_WORKER_THREADS",
              help="Jobs run side by side (threads); default 1 on SQLite, 2 otherwise.")
@click.option("--queue", "url", envvar="KANGYI_QUEUE_URL", metavar="URL",
              help="redis://… or sqlite:///… (default: queue.db in the instance folder).")
@pass_context
@_fail_cleanly
def worker(ctx: Context, workers: int | None, url: str | None) -> None:
    """Run background and scheduled jobs (the Huey consumer and scheduler) until stopped."""
    import logging

    from .app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    # the web app without its server: jobs render exports and pages as their user would see them
    app = create_app({**ctx.settings, **({"QUEUE_URL": url} if url else {})})
    queue = app.extensions["kangyi.queue"]
    if workers is None:  # SQLite: one write transaction at a time (docs/platform.md)
        workers = 1 if queue.runtime.engine.dialect.name == "sqlite" else 2
    queue.tick_task()  # what is due now runs now, not at the scheduler's first minute
    click.echo(f"Worker on {queue.url} for "
               f"{queue.runtime.engine.url.render_as_string(hide_password=True)}")
    queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@main.command()
@pass_context
@_fail_cleanly
def shell(ctx: Context) -> None:
    """A Python shell with ``env`` (superuser) bound; commits on exit."""
    with ctx.runtime.env() as env:
        banner = (
            f"Kangyi shell: env = superuser environment; addons: {', '.join(env.registry.order)}"
        )
        code.interact(banner=banner, local={"env": env}, exitmsg="")


@main.command()
@click.option("--size", type=click.Choice(list(SIZES)), default="small", show_default=True,
              help="tiny: seconds; small: a minute or two; medium: a tenth of a year; "
                   "large: a year.")
@click.option("--seed", type=int, default=2026, show_default=True)
@pass_context
@_fail_cleanly
def demo(ctx: Context, size: str, seed: int) -> None:
    """Generate a year of business data (seeded, deterministic) for the installed addons."""
    from .demo_data import generate

    with ctx.runtime.env() as env:
        result = generate(env, size, seed=seed, commit=env.session.commit,
                          progress=lambda model, count: click.echo(f"{model}: {count} records"))
    for reason in result.skipped:
        click.echo(f"skipped {reason}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
