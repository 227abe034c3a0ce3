"""The accounting models, one module per concern."""

from .chart import CHART_MODELS
from .move import MOVE_MODELS
from .move_line import LINE_MODELS
from .payment import PAYMENT_MODELS
from .period import PERIOD_MODELS
from .reconcile import RECONCILE_MODELS

MODELS = [*CHART_MODELS, *PERIOD_MODELS, *MOVE_MODELS, *LINE_MODELS, *RECONCILE_MODELS,
          *PAYMENT_MODELS]
