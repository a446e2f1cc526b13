"""The programme itself: list, dashboard, logframe, staff, needs findings, working group."""
