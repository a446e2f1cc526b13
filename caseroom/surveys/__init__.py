"""Questionnaires (XLSForm) stored as immutable versions, rounds of answers, the web form."""
