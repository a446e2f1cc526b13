"""The demo programme `make run` loads: shaped like the seed programme of the domain notes
(a needs assessment, a working group with three meetings, three modules for three audiences,
a training of trainers and its national roll-out), with synthetic, fictional people."""

from .build import DEMO_TITLE, ensure_demo_programme

__all__ = ["DEMO_TITLE", "ensure_demo_programme"]
