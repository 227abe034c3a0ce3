"""Loading an addon's data idempotently, by external id (``addon.name`` in ``ir_model_data``).

Data files are listed in the manifest's ``data`` and ``demo``. Two formats:

* ``<model>.csv`` (``res.partner.csv``): an ``id`` column with the external id, one column per
  field, ``field:id`` columns holding external ids (comma-separated for many2many);
* ``*.py``: a module with ``load(loader)`` calling :meth:`DataLoader.record` (generated data).

A manifest entry may be ``{"path": "data/stages.csv", "noupdate": True}``: such records are
created once and then left to the admin's edits. Demo data is always ``noupdate``.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from .db import model_data_table
from .errors import AddonError
from .i18n import _
from .translate import msgid

if TYPE_CHECKING:
    from .addons import AddonInfo
    from .env import Environment

__all__ = ["DataLoader", "sync_security"]


class DataLoader:
    """Upserts the records of one addon and remembers which external ids it loaded."""

    def __init__(self, env: Environment, addon: str, mode: str = "init") -> None:
        self.env = env.sudo()
        self.addon = addon
        self.mode = mode  # "init" (fresh install) or "update"
        self.loaded: set[str] = set()
        self.noupdate = False  # default of record() while a file loads

    def qualify(self, xmlid: str) -> tuple[str, str]:
        module, _sep, name = xmlid.rpartition(".")
        return (module or self.addon), name

    def resolve(self, xmlid: str) -> int:
        """The id of the record with external id ``xmlid`` (``name`` means this addon's)."""
        module, name = self.qualify(xmlid)
        res_id = self.env.session.scalar(select(model_data_table.c.res_id).where(
            model_data_table.c.module == module, model_data_table.c.name == name))
        if res_id is None:
            raise AddonError(_("%(addon)s refers to the unknown external id %(xmlid)s.",
                               addon=self.addon, xmlid=f"{module}.{name}"))
        return res_id

    def record(self, xmlid: str, model: str, vals: dict[str, Any],
               noupdate: bool | None = None) -> int:
        """Create or update the record ``xmlid`` of ``model``; returns its id.

        A ``noupdate`` record is left alone by upgrades once created (it keeps admins' edits).
        """
        noupdate = self.noupdate if noupdate is None else noupdate
        module, name = self.qualify(xmlid)
        self.loaded.add(f"{module}.{name}")
        table = model_data_table
        row = self.env.session.execute(select(table.c.id, table.c.res_id, table.c.noupdate).where(
            table.c.module == module, table.c.name == name)).first()
        service = self.env[model]
        if row is not None and service.exists([row.res_id]):
            if not (row.noupdate and self.mode == "update"):
                service.write([row.res_id], vals)
            return row.res_id
        res_id = service.create(vals)
        assert isinstance(res_id, int)
        if row is not None:
            self.env.session.execute(update(table).where(table.c.id == row.id)
                                     .values(res_id=res_id, model=model))
        else:
            self.env.session.execute(insert(table).values(
                module=module, name=name, model=model, res_id=res_id, noupdate=noupdate))
        return res_id

    def load_file(self, info: AddonInfo, entry: Any, noupdate: bool = False) -> None:
        """Load one manifest data entry (a path, or ``{"path", "noupdate"}``)."""
        if isinstance(entry, dict):
            noupdate = entry.get("noupdate", noupdate)
            entry = entry["path"]
        path = info.path / entry
        if not path.is_file():
            raise AddonError(_("The data file %(file)s of %(addon)s does not exist.",
                               file=entry, addon=info.name))
        self.noupdate = noupdate
        try:
            self._load_path(info, path, entry)
        finally:
            self.noupdate = False

    def _load_path(self, info: AddonInfo, path: Path, entry: str) -> None:
        if path.suffix == ".csv":
            self._load_csv(path)
        elif path.suffix == ".py":
            spec = importlib.util.spec_from_file_location(
                f"{info.module_name}._data_{path.stem}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.load(self)
        else:
            raise AddonError(_("Unsupported data file %(file)s in %(addon)s.",
                               file=entry, addon=info.name))

    def _load_csv(self, path: Path) -> None:
        model = path.stem
        fields = self.env[model].fields
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                xmlid = row.pop("id", None)
                if not xmlid:
                    raise AddonError(_("%(file)s line %(line)s has no id.",
                                       file=path.name, line=line))
                vals: dict[str, Any] = {}
                for column, raw in row.items():
                    name, _sep, suffix = column.partition(":")
                    info = fields.get(name)
                    if info is None:
                        raise AddonError(_("%(file)s: unknown field %(field)s.",
                                           file=path.name, field=name))
                    if suffix == "id":
                        refs = [self.resolve(x.strip()) for x in raw.split(",") if x.strip()]
                        vals[name] = [(6, 0, refs)] if not info.stored else (
                            refs[0] if refs else False)
                    elif info.type == "boolean":
                        vals[name] = raw.strip().lower() in ("1", "true", "yes")
                    else:
                        vals[name] = raw if raw != "" else False
                self.record(xmlid, model, vals)

    def remove_stale(self) -> int:
        """After an update: delete this addon's records that its data no longer declares."""
        table = model_data_table
        rows = self.env.session.execute(select(table.c.id, table.c.name, table.c.model,
                                               table.c.res_id)
                                        .where(table.c.module == self.addon,
                                               table.c.noupdate.is_(False))).all()
        stale = [r for r in rows if f"{self.addon}.{r.name}" not in self.loaded]
        for row in sorted(stale, key=lambda r: -r.id):
            if row.model in self.env.registry and self.env[row.model].exists([row.res_id]):
                self.env[row.model].unlink([row.res_id])
            self.env.session.execute(delete(table).where(table.c.id == row.id))
        return len(stale)


def sync_security(loader: DataLoader, results: dict[str, list[Any]]) -> None:
    """Store the groups, access rights and rules an addon declared through its hooks."""
    for group in results.get("register_groups", []):
        implied = [loader.resolve(x) for x in group.implied]
        loader.record(group.xmlid, "res.groups", {
            "name": str(msgid(group.name)), "category": str(msgid(group.category)) or False,
            "comment": str(msgid(group.comment)) or False, "implied_ids": [(6, 0, implied)]})
    for access in results.get("register_access", []):
        loader.record(access.xmlid, "ir.model.access", {
            "name": access.xmlid, "model": access.model,
            "group_id": loader.resolve(access.group) if access.group else False,
            "perm_read": access.read, "perm_write": access.write,
            "perm_create": access.create, "perm_unlink": access.unlink})
    for rule in results.get("register_rules", []):
        loader.record(rule.xmlid, "ir.rule", {
            "name": str(msgid(rule.name)), "model": rule.model, "domain_force": rule.domain,
            "groups": [(6, 0, [loader.resolve(g) for g in rule.groups])],
            "perm_read": rule.read, "perm_write": rule.write,
            "perm_create": rule.create, "perm_unlink": rule.unlink})
