"""Settings: the app's config mapping, else ``KANGYI_*`` environment variables, else defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

__all__ = ["instance_path", "database_url", "secret_key", "DEFAULTS", "defaults"]

DEFAULTS: dict[str, Any] = {
    "SESSION_LIFETIME_MINUTES": 480,
    "REGISTRY_CHECK_SECONDS": 0.0,
    "LIST_PAGE_SIZE": 80,
    "LOGIN_ATTEMPTS": 5,
    "LOGIN_WINDOW_SECONDS": 300,
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    # above these row counts an export or an import runs as a background job (a progress page)
    "EXPORT_JOB_ROWS": 5000,
    "IMPORT_JOB_ROWS": 500,
}


def defaults() -> dict[str, Any]:
    """:data:`DEFAULTS`, each overridden by its ``KANGYI_<NAME>`` environment variable when set
    (read as the default's type): how a server started without a config mapping (gunicorn's
    ``core.app:create_app()``) is tuned."""
    values = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        text = os.environ.get(f"KANGYI_{name}")
        if text is not None and text.strip():
            values[name] = type(default)(text.strip())
    return values


def instance_path(config: dict[str, Any] | None = None) -> Path:
    """The folder holding the SQLite file, the secret key and attachments."""
    value = (config or {}).get("INSTANCE_PATH") or os.environ.get("KANGYI_INSTANCE") or "instance"
    path = Path(value).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(config: dict[str, Any] | None = None) -> str:
    """``DATABASE_URL`` / ``KANGYI_DATABASE_URL``, default an SQLite file in the instance folder."""
    url = (config or {}).get("DATABASE_URL") or os.environ.get("KANGYI_DATABASE_URL")
    return url or f"sqlite:///{instance_path(config) / 'kangyi.db'}"


def secret_key(config: dict[str, Any] | None = None) -> str:
    """``SECRET_KEY`` / ``KANGYI_SECRET_KEY``, else one generated once into the instance folder."""
    key = (config or {}).get("SECRET_KEY") or os.environ.get("KANGYI_SECRET_KEY")
    if key:
        return key
    path = instance_path(config) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
