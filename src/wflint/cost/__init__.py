"""What workflows cost: static monthly estimates, savings of fixes, usage from run history.

Nothing here is imported by a plain lint or ``wflint --version``; the ``cost`` and
``usage`` commands import these modules when they run.
"""
