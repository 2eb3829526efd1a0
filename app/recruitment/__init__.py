"""Recruitment: certification status per level, the change feed, consent to share, and
outside exam results (docs/recruitment.md)."""
