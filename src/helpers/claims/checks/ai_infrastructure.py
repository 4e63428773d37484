"""Claim checks of the ai_infrastructure chapter. Transitional: the checks still live in the chapter's section module,
imported here so that they register; the chapter's split moves them into this module."""

from helpers.book.chapters import ai_infrastructure  # noqa: F401
