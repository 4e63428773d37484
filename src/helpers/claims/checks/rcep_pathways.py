"""Claim checks of the rcep_pathways chapter. Transitional: the checks still live in the chapter's section module,
imported here so that they register; the chapter's split moves them into this module."""

from helpers.book.chapters import rcep_pathways  # noqa: F401
