"""The CRM models, one module per business object."""

from .config import CONFIG_MODELS
from .contract import CONTRACT_MODELS
from .followup import FOLLOWUP_MODELS
from .lead import LEAD_MODELS
from .partner import PARTNER_MODELS
from .visit import VISIT_MODELS

MODELS = [*CONFIG_MODELS, *PARTNER_MODELS, *FOLLOWUP_MODELS, *VISIT_MODELS, *LEAD_MODELS,
          *CONTRACT_MODELS]

__all__ = ["MODELS"]
