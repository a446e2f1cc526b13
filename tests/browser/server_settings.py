"""caseroom.settings for the browser tests' servers, with the cache's keys under the prefix
the test gives in CACHE_KEY_PREFIX, so that it deletes exactly what its server wrote to a
shared Redis (sessions, throttle counters) and two runs never read each other's.

Nothing else differs. Once caseroom/settings.py takes KEY_PREFIX from CACHE_KEY_PREFIX
itself, this module goes and tests/browser/conftest.py names caseroom.settings again.
"""

from __future__ import annotations

import os

from caseroom.settings import *  # noqa: F403 (the production settings, all of them)
from caseroom.settings import CACHES

CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "caseroom")
