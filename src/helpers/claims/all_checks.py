"""Static imports of every chapter's claim checks, so that a page importing this module (the claims audit)
depends on all of them: the build's cache key follows static imports, and a changed check in any chapter then
re-runs the audit. :func:`helpers.claims.core.check` imports only the checks of a claim's own chapter, so the
chapters do not depend on each other's checks."""

from __future__ import annotations

from helpers.claims.checks import ai_infrastructure, china_scale, global_trends, rcep_pathways, structure  # noqa: F401
