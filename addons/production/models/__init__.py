"""The production models, one module per business object; the flow of an order is in
:mod:`.production_flow`, the explosion in :mod:`..explosion`, planning in :mod:`..mrp`."""

from .bom import BOM_MODELS
from .planning import PLANNING_MODELS
from .production import PRODUCTION_MODELS
from .stock import STOCK_MODELS
from .workcenter import WORKCENTER_MODELS

MODELS = [*WORKCENTER_MODELS, *BOM_MODELS, *PRODUCTION_MODELS, *PLANNING_MODELS,
          *STOCK_MODELS]

__all__ = ["MODELS"]
