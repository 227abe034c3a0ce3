"""``python -m core.translations update|check``: see :mod:`core.translations`."""

import sys

from . import main

sys.exit(main(sys.argv[1:]))
