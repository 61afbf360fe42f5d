"""`python -m explorer`: the same as the `mlp-explorer` command."""

import sys

from explorer.app.cli import main

sys.exit(main())
