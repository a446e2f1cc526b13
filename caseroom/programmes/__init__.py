"""Training programmes: logframe, needs, working group, modules, sessions, people, ToT, results."""
