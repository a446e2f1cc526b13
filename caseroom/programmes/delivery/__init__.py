"""Modules, sessions, agendas, enrolments, attendance, exercises, the trainers cascade."""
