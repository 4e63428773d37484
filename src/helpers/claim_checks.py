"""Cross-cutting claim checks, and the list of every module that registers checks.

Checks of a chapter's claims live in that chapter's topic module (``helpers.trends``,
``helpers.scale``, ``helpers.structure``, ``helpers.infrastructure``, ``helpers.pathways``). This
module holds checks for claims whose chapter has no topic module of its own — none at present —
and imports the topic modules *statically*, so that a page which imports it (the claims audit)
depends on every check: the build's cache key follows static imports, and a changed check in any
chapter then re-runs the audit. :func:`helpers.claims.check` itself imports the modules lazily, so
the chapters do not depend on each other's checks.
"""

from __future__ import annotations

from importlib.util import find_spec

# One static import per module that registers checks (see helpers.claims.CHECK_MODULES). A module
# that does not exist yet is skipped; an error *inside* a module surfaces.
try:
    from . import trends  # noqa: F401
except ImportError:  # pragma: no cover - depends on which chapters have landed
    if find_spec("helpers.trends") is not None:
        raise
try:
    from . import scale  # noqa: F401
except ImportError:  # pragma: no cover - depends on which chapters have landed
    if find_spec("helpers.scale") is not None:
        raise
try:
    from . import structure  # noqa: F401
except ImportError:  # pragma: no cover - depends on which chapters have landed
    if find_spec("helpers.structure") is not None:
        raise
try:
    from . import infrastructure  # noqa: F401
except ImportError:  # pragma: no cover - depends on which chapters have landed
    if find_spec("helpers.infrastructure") is not None:
        raise
try:
    from . import pathways  # noqa: F401
except ImportError:  # pragma: no cover - depends on which chapters have landed
    if find_spec("helpers.pathways") is not None:
        raise

TOPIC_MODULES = ("helpers.trends", "helpers.scale", "helpers.structure", "helpers.infrastructure",
                 "helpers.pathways")
