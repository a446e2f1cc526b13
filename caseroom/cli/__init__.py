"""The `caseroom` command line for authors and operators."""
