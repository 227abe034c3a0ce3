"""The stock models, one module per business object; the engine is :mod:`.operations`."""

from .company import COMPANY_MODELS
from .inventory import INVENTORY_MODELS
from .location import LOCATION_MODELS
from .move import MOVE_MODELS
from .orderpoint import ORDERPOINT_MODELS
from .picking import PICKING_MODELS
from .picking_type import PICKING_TYPE_MODELS
from .quant import QUANT_MODELS

MODELS = [*COMPANY_MODELS, *LOCATION_MODELS, *PICKING_TYPE_MODELS, *PICKING_MODELS,
          *MOVE_MODELS, *QUANT_MODELS, *INVENTORY_MODELS, *ORDERPOINT_MODELS]

__all__ = ["MODELS"]
