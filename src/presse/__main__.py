"""``python -m presse`` runs the command line."""

import sys

from presse.cli import main

if __name__ == "__main__":  # worker processes import this module too: they must not run the CLI
    sys.exit(main())
