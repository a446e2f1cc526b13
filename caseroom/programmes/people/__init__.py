"""The people registry: entry, import with a row report, look-alikes, consent, erasure."""
