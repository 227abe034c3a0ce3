"""The hr models, one module per area."""

from .attendance import ATTENDANCE_MODELS
from .calendar import CALENDAR_MODELS
from .contract import CONTRACT_MODELS
from .employee import EMPLOYEE_MODELS
from .leave import LEAVE_MODELS
from .movement import MOVEMENT_MODELS
from .organization import ORGANIZATION_MODELS

MODELS = [*ORGANIZATION_MODELS, *EMPLOYEE_MODELS, *CONTRACT_MODELS, *MOVEMENT_MODELS,
          *CALENDAR_MODELS, *LEAVE_MODELS, *ATTENDANCE_MODELS]
