"""What came of it: tests and learning gain, evaluations, certificates, the donor report."""
