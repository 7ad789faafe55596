"""The read side: SQL only. Every function takes a bind (an engine, or an open connection) and
a :class:`core.scope.Scope` first.

Queries aggregate in SQL, fetch only the scope's rows and return them keyed by field
names; pages never call them directly but through :mod:`core.views`, which builds what
a page shows. One module per area: ``base`` (scope filters, shared reads), ``staffing``,
``screening``, ``projects``, ``completeness``, ``uploads``, ``overview``, ``profile``.
"""
