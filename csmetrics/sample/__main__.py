"""``python -m csmetrics.sample [options]`` runs ``csmetrics sample [options]``."""

import sys

from ..cli import main

sys.exit(main(["sample", *sys.argv[1:]]))
