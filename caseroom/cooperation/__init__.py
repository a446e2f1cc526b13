"""Regional cooperation: self-assessment rounds on the guidelines, gap analysis, corrective
measures (and, later, the JIT network, the legislation matrix and workshops)."""
