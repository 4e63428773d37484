"""Each chapter's claim checks: ``helpers.claims.checks.<chapter>`` registers, with
``@helpers.claims.core.register``, a check for every claim of ``data/claims.csv`` whose ``chapter`` is that
chapter (or declares it not checkable, with the reason). Kept empty so that importing one chapter's checks
does not import the others'."""
