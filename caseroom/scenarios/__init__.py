"""Scenario versions registered for exercises: immutable copies of validated folders."""
