"""The read side. Every function takes an engine and a :class:`core.scope.Scope` first.

Queries aggregate in SQL and fetch only the scope's rows; pandas only shapes what the
database returns. One module per area: ``base`` (scope filters, shared reads),
``staffing``, ``screening``, ``projects``, ``completeness``, ``uploads``.
"""
