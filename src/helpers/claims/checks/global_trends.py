"""Claim checks of the global_trends chapter. Transitional: the checks still live in the chapter's section module,
imported here so that they register; the chapter's split moves them into this module."""

from helpers.book.chapters import global_trends  # noqa: F401
