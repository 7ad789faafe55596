"""The reporting loop (spec/accounts.md: Review, 督办).

- :mod:`core.review.submissions` — an upload by an institution waits for review (待审核); the
  province approves it (stored through core.ingest.commit) or returns it with a comment;
- :mod:`core.review.periods` — periods close at their deadline for institution accounts; the
  province reopens one period for one institution;
- :mod:`core.review.cases` — 督办 cases: opened from a 未达标 row, answered, closed;
- :mod:`core.review.evidence` — whether newer approved figures meet the case's standard;
- :mod:`core.review.casebook` — the case list's counts, burndown, CSV and one case's 督办单;
- :mod:`core.review.cli` — ``python -m core.cli import … --as NAME`` and ``review …``.

Nothing is imported here, so that the command line's parser stays light.
"""
