"""``python -m helpers.build book|chapter|run|notebooks|status`` (see ``helpers.build.cli``)."""

import sys

from helpers.build.cli import main

sys.exit(main())
