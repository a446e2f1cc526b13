"""The demo `make run` loads: users, a ready exercise and a finished, debriefed one.

Its own package, above every app it fills (exercises, debrief), so that no app below has
to import the ones above it.
"""
