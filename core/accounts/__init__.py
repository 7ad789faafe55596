"""Who may see and change what (spec/accounts.md: Roles, Signing in, Audit log).

- :mod:`core.accounts.roles` — roles, the signed-in :class:`Account`, typed errors;
- :mod:`core.accounts.limits` — a user's limits, intersected with the chosen filters
  (:func:`effective_scope`), upload row checks and the ``may_…`` permissions (pure functions);
- :mod:`core.accounts.passwords` — Argon2id hashing;
- :mod:`core.accounts.users` — add, change password, disable, list;
- :mod:`core.accounts.signin` — sign-in with lockout, sessions with idle expiry, sign-out;
- :mod:`core.accounts.audit` — the append-only audit log;
- :mod:`core.accounts.demo` — demo users for the sample data;
- :mod:`core.accounts.cli` — ``python -m core.cli user …`` and ``audit``.

Nothing is imported here, so that the command line's parser stays as light as before.
"""
