"""Test data from the command line: ``python -m evstatus.testing generate ...``."""

import sys

from evstatus.testing._command import main

sys.exit(main())
