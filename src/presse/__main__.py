"""``python -m presse`` runs the command line."""

import sys

from presse.cli import main

sys.exit(main())
