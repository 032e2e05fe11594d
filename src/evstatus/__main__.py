"""Run the ``evstatus`` command: ``python -m evstatus``."""

import sys

from ._cli import main

sys.exit(main())
