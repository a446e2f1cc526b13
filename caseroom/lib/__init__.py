"""Small helpers shared by the Django apps."""
