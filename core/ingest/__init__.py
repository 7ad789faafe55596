"""Intake: read (file → raw cells) → normalise → validate → plan (diff) → store."""
