"""The projects models, one module per area."""

from .cost_month import COST_MODELS
from .early_start import EARLY_START_MODELS
from .employee import EMPLOYEE_MODELS
from .expense import EXPENSE_MODELS
from .initiation import INITIATION_MODELS
from .presales import PRESALES_MODELS
from .project import PROJECT_MODELS
from .settings import SETTINGS_MODELS
from .timesheet import TIMESHEET_MODELS

MODELS = [*SETTINGS_MODELS, *EMPLOYEE_MODELS, *INITIATION_MODELS, *PROJECT_MODELS,
          *PRESALES_MODELS, *EARLY_START_MODELS, *TIMESHEET_MODELS, *EXPENSE_MODELS,
          *COST_MODELS]
