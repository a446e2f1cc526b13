"""The needs assessment's questionnaire: an XLSForm answered anonymously, its results by topic
and group (small groups suppressed), linked to the written findings and the modules."""
