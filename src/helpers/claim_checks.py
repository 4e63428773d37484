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

# Static imports of every module that registers checks (see helpers.claims.CHECK_MODULES), so that
# the audit's cache key covers them all.
from . import infrastructure, pathways, scale, structure, trends  # noqa: F401

TOPIC_MODULES = ("helpers.trends", "helpers.scale", "helpers.structure", "helpers.infrastructure",
                 "helpers.pathways")
