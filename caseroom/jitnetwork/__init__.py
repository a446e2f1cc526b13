"""The network of national JIT experts: vetted members, a directory whose contact details
only confirmed members see (every view audited), and a request board."""
