"""Cross-cutting claim checks, and the list of every module that registers checks.

Checks of a chapter's claims live in that chapter's topic module (``helpers.book.chapters.global_trends``,
``helpers.book.chapters.china_scale``, ``helpers.book.chapters.structure``, ``helpers.book.chapters.ai_infrastructure``, ``helpers.book.chapters.rcep_pathways``). This
module holds checks for claims whose chapter has no topic module of its own — none at present —
and imports the topic modules *statically*, so that a page which imports it (the claims audit)
depends on every check: the build's cache key follows static imports, and a changed check in any
chapter then re-runs the audit. :func:`helpers.claims.core.check` itself imports the modules lazily, so
the chapters do not depend on each other's checks.
"""

from __future__ import annotations

# Static imports of every module that registers checks (see helpers.claims.core.CHECK_MODULES), so that
# the audit's cache key covers them all.
from helpers.book.chapters import ai_infrastructure as infrastructure  # noqa: F401
from helpers.book.chapters import rcep_pathways as pathways
from helpers.book.chapters import china_scale as scale
from helpers.book.chapters import structure
from helpers.book.chapters import global_trends as trends

TOPIC_MODULES = ("helpers.book.chapters.global_trends", "helpers.book.chapters.china_scale", "helpers.book.chapters.structure", "helpers.book.chapters.ai_infrastructure",
                 "helpers.book.chapters.rcep_pathways")
