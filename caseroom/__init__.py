"""Caseroom: case-based investigation simulation training."""
