"""Live team exercises: exercises, teams, participants, the event log and live updates."""
