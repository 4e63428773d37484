"""``python -m helpers.build book|chapter|notebooks|run ...`` (see ``helpers.build.pipeline.main``)."""

import sys

from helpers.build.pipeline import main

sys.exit(main())
