"""Files on any record: ``ir.attachment`` rows, contents stored once per SHA-256 on disk.

Files live under ``ATTACHMENT_DIR`` (a setting: a folder shared by every host behind a load
balancer), by default ``<instance folder>/filestore``, at ``<sha[:2]>/<sha>``; identical contents
are stored once. Uploads are limited to ``ATTACHMENT_MAX_BYTES`` (20 MB by default) and, when
``ATTACHMENT_ALLOWED_TYPES`` is set (a list of MIME types or ``type/*`` patterns), to those types.
Names are sanitised. Access follows the record: listing and downloading need read access to it,
uploading and deleting need write access; ids alone give nothing.

Garbage collection: when attachment rows go (:func:`remove`, or their record is deleted), their
contents are checked **after the transaction commits** (:func:`release_blobs`): a content no row
refers to any more is deleted, unless an upload touched it meanwhile; a rollback keeps every file.
:func:`sweep` (``kangyi attachments gc``) removes the orphans left by anything else (crashes,
dropped tables), skipping files younger than a grace period (uploads in flight).
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import mimetypes
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .audit import check_record
from .config import DEFAULTS
from .errors import MissingError, ValidationError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["store", "save", "open_attachment", "attachments_of", "files_of", "attach_files",
           "remove", "sanitize_filename", "storage_dir", "content_disposition", "release_blobs",
           "sweep"]

log = logging.getLogger("kangyi.attachments")

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_CHECKSUM = re.compile(r"[0-9a-f]{64}")
#: session.info key of the contents to check once the transaction commits
_RELEASED = "kangyi_released_blobs"


def _setting(name: str, default: Any = None) -> Any:
    try:
        from flask import current_app, has_app_context

        if has_app_context() and name in current_app.config:
            return current_app.config[name]
    except ImportError:  # pragma: no cover - Flask is a dependency
        pass
    env_value = os.environ.get(f"KANGYI_{name}")
    return env_value if env_value is not None else DEFAULTS.get(name, default)


def storage_dir() -> Path:
    """Where file contents live: ``ATTACHMENT_DIR``, else the instance folder's ``filestore``."""
    configured = _setting("ATTACHMENT_DIR")
    if configured:
        path = Path(configured)
    else:
        try:
            from flask import current_app, has_app_context

            base = Path(current_app.instance_path) if has_app_context() else None
        except ImportError:  # pragma: no cover
            base = None
        if base is None:
            from .config import instance_path

            base = instance_path()
        path = base / "filestore"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sanitize_filename(name: str) -> str:
    """A file name safe to store and to send back: no path, no control or reserved characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name or "file"


def _allowed_type(mimetype: str) -> bool:
    allowed = _setting("ATTACHMENT_ALLOWED_TYPES")
    if not allowed:
        return True
    if isinstance(allowed, str):
        allowed = [a.strip() for a in allowed.split(",") if a.strip()]
    return any(fnmatch.fnmatch(mimetype, pattern) for pattern in allowed)


def _path_of(checksum: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", checksum or ""):
        raise MissingError(_("The file of this attachment is missing."))
    return storage_dir() / checksum[:2] / checksum


def _write_content(data: bytes, checksum: str) -> None:
    path = _path_of(checksum)
    if path.exists():
        try:  # a new use: the collector of a concurrent deletion must leave it
            os.utime(path)
        except OSError:
            pass
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # atomic: readers never see half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store(env: Environment, model: str, res_id: int, filename: str, data: bytes,
          mimetype: str | None = None) -> int:
    """Attach ``data`` to a record the user may write; returns the attachment id."""
    check_record(env, model, res_id, "write")
    return save(env, model, res_id, filename, data, mimetype)


def save(env: Environment, model: str, res_id: int, filename: str, data: bytes,
         mimetype: str | None = None) -> int:
    """:func:`store` without the access check: for the core's own files on records no user
    writes (the result file of a background job)."""
    limit = int(_setting("ATTACHMENT_MAX_BYTES") or DEFAULTS["ATTACHMENT_MAX_BYTES"])
    if len(data) > limit:
        raise ValidationError(_("The file is too large: %(size)s MB, the limit is %(limit)s MB.",
                                size=round(len(data) / 1048576, 1),
                                limit=round(limit / 1048576, 1)), field="file")
    if not data:
        raise ValidationError(_("The file is empty."), field="file")
    name = sanitize_filename(filename)
    guessed = mimetypes.guess_type(name)[0]
    mimetype = (mimetype or "").split(";")[0].strip().lower() or guessed or (
        "application/octet-stream")
    if mimetype == "application/octet-stream" and guessed:
        mimetype = guessed
    if not _allowed_type(mimetype):
        raise ValidationError(_("Files of type %(type)s are not allowed here.", type=mimetype),
                              field="file")
    checksum = hashlib.sha256(data).hexdigest()
    _write_content(data, checksum)
    record = env.registry["ir.attachment"].create(env, [{
        "name": name, "res_model": model, "res_id": int(res_id), "mimetype": mimetype,
        "file_size": len(data), "checksum": checksum}])[0]
    return record.id


def _attachment(env: Environment, attachment_id: Any, operation: str) -> Any:
    try:
        aid = int(attachment_id)
    except (TypeError, ValueError) as exc:
        raise MissingError(_("This attachment does not exist.")) from exc
    row = env.session.get(env.registry["ir.attachment"], aid)
    if row is None:
        raise MissingError(_("This attachment does not exist."))
    check_record(env, row.res_model, row.res_id, operation)
    return row


def open_attachment(env: Environment, attachment_id: Any) -> tuple[Any, Path]:
    """``(attachment row, file path)`` after checking read access to its record."""
    row = _attachment(env, attachment_id, "read")
    path = _path_of(row.checksum)
    if not path.is_file():
        raise MissingError(_("The file of %(name)s is missing from the file store.",
                             name=row.name))
    return row, path


def attachments_of(env: Environment, model: str, res_id: int, *,
                   checked: bool = False) -> list[dict[str, Any]]:
    """The attachments of a record the user may read, newest first (``checked``: the caller
    checked read access already)."""
    rid = int(res_id) if checked else check_record(env, model, res_id, "read")
    att = env.registry["ir.attachment"]
    return [{"id": a.id, "name": a.name, "mimetype": a.mimetype, "file_size": a.file_size,
             "create_date": a.create_date, "create_uid": a.create_uid}
            for a in env.session.scalars(select(att).where(
                att.res_model == model, att.res_id == rid).order_by(att.id.desc()))]


def files_of(env: Environment, model: str, ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """``{record id: [(attachment id, name)…]}`` of records the caller has already read (a
    page of the user's own to-dos or notifications): one query, oldest first."""
    ids = list(ids)
    found: dict[int, list[tuple[int, str]]] = {}
    if not ids:
        return found
    att = env.registry["ir.attachment"]
    for aid, name, rid in env.session.execute(select(att.id, att.name, att.res_id).where(
            att.res_model == model, att.res_id.in_(ids)).order_by(att.id)):
        found.setdefault(rid, []).append((aid, name))
    return found


def attach_files(env: Environment, model: str, ids: Iterable[int],
                 files: Iterable[tuple[str, bytes, str]]) -> None:
    """Store each ``(name, bytes, mimetype)`` on each of ``ids`` (the system attaching a
    document to the to-dos or notifications it sends: no write check); contents are kept once."""
    files = list(files)
    for rid in ids:
        for name, data, mimetype in files:
            save(env, model, rid, name, data, mimetype)


def remove(env: Environment, attachment_id: Any) -> None:
    """Delete an attachment of a record the user may write; its content goes after the commit
    unless another attachment shares it."""
    row = _attachment(env, attachment_id, "write")
    release_blobs(env, [row.checksum])
    env.session.delete(row)
    env.session.flush()


# -- garbage collection --------------------------------------------------------------------------


def release_blobs(env: Environment, checksums: Iterable[str]) -> None:
    """Attachment rows with these contents are being deleted in ``env``'s transaction: once it
    commits, delete each content no row refers to any more. Nothing happens on rollback."""
    session = env.session
    pending = session.info.get(_RELEASED)
    if pending is None:
        table = env.registry["ir.attachment"].__table__
        pending = session.info[_RELEASED] = {"table": table, "dir": storage_dir(), "marks": {}}
        if not event.contains(session, "after_commit", _collect_after_commit):
            event.listen(session, "after_commit", _collect_after_commit)
            event.listen(session, "after_rollback", _forget_after_rollback)
    now = time.time()
    for checksum in checksums:
        if checksum:
            pending["marks"].setdefault(checksum, now)


def _forget_after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():  # the whole transaction, not a savepoint
        session.info.pop(_RELEASED, None)


def _collect_after_commit(session: Session) -> None:
    """Delete the released contents still unused (a fresh connection: the session's
    transaction is over). Never raises: the commit is done, a failure is only logged."""
    if session.in_nested_transaction():  # a savepoint was released: wait for the commit
        return
    pending = session.info.pop(_RELEASED, None)
    if not pending or not pending["marks"]:
        return
    table, marks = pending["table"], pending["marks"]
    try:
        with session.get_bind().connect() as connection:
            used = set(connection.scalars(select(table.c.checksum).where(
                table.c.checksum.in_(list(marks)))))
        for checksum, since in marks.items():
            if checksum not in used:
                _unlink_blob(pending["dir"], checksum, touched_after=since)
    except Exception:  # noqa: BLE001 - after the commit: log, the sweep will catch up
        log.exception("Could not collect released attachment contents")


def _unlink_blob(directory: Path, checksum: str, touched_after: float) -> int:
    """Delete one content file unless it was touched after ``touched_after``; returns
    the bytes freed."""
    path = directory / checksum[:2] / checksum
    try:
        stat = path.stat()
        if stat.st_mtime > touched_after:
            return 0
        path.unlink()
    except FileNotFoundError:
        return 0
    try:
        path.parent.rmdir()  # only when empty
    except OSError:
        pass
    return stat.st_size


def sweep(env: Environment, grace: float = 3600, dry_run: bool = False,
          directory: Path | None = None) -> tuple[int, int]:
    """Delete the content files no attachment row refers to and older than ``grace`` seconds
    (and temporary upload files as old); returns ``(files, bytes)`` removed (or that would be,
    with ``dry_run``). One query per 500 files."""
    root = directory or storage_dir()
    table = env.registry["ir.attachment"].__table__
    cutoff = time.time() - grace
    found = [p for p in root.glob("??/*") if p.is_file()]
    blobs = [p for p in found if _CHECKSUM.fullmatch(p.name) and p.parent.name == p.name[:2]]
    stale_tmp = [p for p in found if p.name.startswith(".upload-")]
    used: set[str] = set()
    for start in range(0, len(blobs), 500):
        chunk = [p.name for p in blobs[start:start + 500]]
        used |= set(env.session.scalars(select(table.c.checksum).where(
            table.c.checksum.in_(chunk))))
    files = size = 0
    for path in [p for p in blobs if p.name not in used] + stale_tmp:
        if dry_run:
            if path.stat().st_mtime < cutoff:
                files, size = files + 1, size + path.stat().st_size
            continue
        freed = _unlink_blob(root, path.name, cutoff) if path in blobs else _unlink_tmp(
            path, cutoff)
        if freed or not path.exists():
            files, size = files + 1, size + freed
    return files, size


def _unlink_tmp(path: Path, cutoff: float) -> int:
    try:
        stat = path.stat()
        if stat.st_mtime >= cutoff:
            return 0
        path.unlink()
    except FileNotFoundError:
        return 0
    return stat.st_size


def content_disposition(filename: str, inline: bool = False) -> str:
    """RFC 6266 header value: an ASCII fallback and the UTF-8 name (``filename*``)."""
    from urllib.parse import quote

    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
