"""Product categories (product lines, a tree) and products."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l

PRODUCT_TYPES = [
    ("product", _l("Stockable product")),
    ("consu", _l("Consumable")),
    ("service", _l("Service")),
]

#: China's standard VAT rate on goods (percent)
DEFAULT_VAT_RATE = Decimal("13")


class ProductCategory:
    _name = "product.category"
    _description = _l("Product category")
    _order = "complete_name"
    _rec_name = "complete_name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, index=True)
    parent_id: Mapped[Optional[int]] = fields.Many2one("product.category", _l("Parent category"),
                                                       ondelete="RESTRICT")
    child_id = fields.One2many("product.category", "parent_id", _l("Child categories"))
    complete_name: Mapped[Optional[str]] = fields.Char(_l("Full name"), size=512, readonly=True,
                                                       index=True)

    def _full_name(self) -> str:
        parent = self.parent
        return f"{parent.complete_name or parent.name} / {self.name}" if parent else self.name

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            record.complete_name = record._full_name()
        env.session.flush()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        super().write(vals)
        if "name" in vals or "parent_id" in vals:
            self.env.session.flush()
            self._check_recursion()
            self._refresh_names()

    def _refresh_names(self) -> None:
        """Recompute the full names of this category and its descendants, level by level."""
        cls = type(self)
        session = self.env.session
        session.expire(self, ["parent"])
        self.complete_name = self._full_name()
        level = [self]
        while level:
            parents = {c.id: c for c in level}
            children = list(session.scalars(select(cls).where(cls.parent_id.in_(parents))))
            for child in children:
                parent = parents[child.parent_id]
                child.complete_name = f"{parent.complete_name} / {child.name}"
            level = children
        session.flush()

    @constrains("parent_id")
    def _check_recursion(self) -> None:
        """A category cannot be its own ancestor."""
        seen = {self.id}
        parent_id = self.parent_id
        cls = type(self)
        while parent_id:
            if parent_id in seen:
                raise ValidationError(_("The category %(name)s cannot be its own ancestor.",
                                        name=self.name))
            seen.add(parent_id)
            parent_id = self.env.session.scalar(select(cls.parent_id).where(cls.id == parent_id))


def _default_uom(env: Any) -> int | None:
    return env.ref_id("product.uom_unit", raise_if_not_found=False)


def _default_category(env: Any) -> int | None:
    return env.ref_id("product.product_category_all", raise_if_not_found=False)


def _blank_codes_to_null(vals: dict[str, Any]) -> dict[str, Any]:
    """An empty code is no code: NULL, so that the unique constraints ignore it."""
    return {k: (None if k in ("default_code", "barcode") and v == "" else v)
            for k, v in vals.items()}


class Product:
    _name = "product.product"
    _description = _l("Product")
    _order = "default_code, name"
    #: the product picker finds a product by its name, internal reference or barcode
    _rec_names_search = ("name", "default_code", "barcode")
    #: a file's row with a known internal reference updates that product (``core.importing``)
    _import_match = "default_code"
    _import_columns = ("default_code", "name", "barcode", "categ_id", "type", "uom_id",
                       "list_price", "standard_price", "vat_rate", "sale_ok", "purchase_ok",
                       "active", "description_sale")

    name: Mapped[str] = fields.Char(_l("Name"), required=True, index=True)
    default_code: Mapped[Optional[str]] = fields.Char(_l("Internal reference"), size=64,
                                                      unique=True, index=True)
    barcode: Mapped[Optional[str]] = fields.Char(_l("Barcode"), size=64, unique=True)
    categ_id: Mapped[int] = fields.Many2one("product.category", _l("Product category"),
                                            required=True, ondelete="RESTRICT",
                                            default=_default_category)
    type: Mapped[str] = fields.Selection(PRODUCT_TYPES, _l("Product type"), required=True,
                                         default="product")
    uom_id: Mapped[int] = fields.Many2one("uom.uom", _l("Unit of measure"), required=True,
                                          ondelete="RESTRICT", default=_default_uom)
    list_price: Mapped[Decimal] = fields.Monetary(_l("Sales price"), default=Decimal("0"))
    standard_price: Mapped[Decimal] = fields.Monetary(_l("Cost"), digits=(16, 4),
                                                      default=Decimal("0"))
    vat_rate: Mapped[Decimal] = fields.Decimal(
        _l("VAT rate (%)"), digits=(5, 2), default=DEFAULT_VAT_RATE,
        help=_l("Output VAT in percent, e.g. 13, 9, 6 or 0."))
    sale_ok: Mapped[bool] = fields.Boolean(_l("Can be sold"), default=True)
    purchase_ok: Mapped[bool] = fields.Boolean(_l("Can be purchased"), default=True)
    description_sale: Mapped[Optional[str]] = fields.Text(_l("Sales description"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        vals_list = [_blank_codes_to_null(vals) for vals in vals_list]
        for vals in vals_list:
            cls._check_unique_codes(env, vals, None)
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = _blank_codes_to_null(vals)
        self._check_unique_codes(self.env, vals, self.id)
        super().write(vals)

    @classmethod
    def _check_unique_codes(cls, env: Any, vals: dict[str, Any], own_id: int | None) -> None:
        """A clear message naming the product that already uses a code (the database's unique
        index still guards concurrent writers)."""
        for field in ("default_code", "barcode"):
            value = vals.get(field)
            if not value:
                continue
            column = getattr(cls, field)
            query = select(cls.id, cls.name).where(column == value)
            if own_id is not None:
                query = query.where(cls.id != own_id)
            clash = env.session.execute(query.limit(1)).first()
            if clash is not None:
                raise ValidationError(_("%(field)s %(value)s is already used by the product "
                                        "%(product)s.", field=cls.__fields__[field].label,
                                        value=value, product=clash.name))

    @property
    def display_name(self) -> str:
        return f"[{self.default_code}] {self.name}" if self.default_code else self.name

    @constrains("list_price", "standard_price", "vat_rate")
    def _check_prices(self) -> None:
        """Prices are not negative; the VAT rate is a percentage between 0 and 100."""
        for value in (self.list_price, self.standard_price):
            if value is not None and value < 0:
                raise ValidationError(_("Prices of %(product)s cannot be negative.",
                                        product=self.name))
        if self.vat_rate is not None and not (0 <= self.vat_rate <= 100):
            raise ValidationError(_("The VAT rate of %(product)s must lie between 0 and 100.",
                                    product=self.name))

    @constrains("default_code", "barcode")
    def _check_codes(self) -> None:
        """Codes carry no surrounding spaces (a space would make a near-duplicate)."""
        for value in (self.default_code, self.barcode):
            if value is not None and value != value.strip():
                raise ValidationError(_("Codes of %(product)s cannot start or end with a space.",
                                        product=self.name))


PRODUCT_MODELS = [ProductCategory, Product]
