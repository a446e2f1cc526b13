"""The exercises' throttled codes: join codes and personal codes (the mechanism is
`caseroom/lib/throttle.py`).

At 30 wrong join codes per 10 minutes, a 6-symbol code (31^6) among 50 open exercises takes
about 10^4 years to find; a personal code (31^8) is tried against one name at a time.
"""

from __future__ import annotations

from caseroom.lib.throttle import Limit, Throttled, check, count_failure, guard, response

__all__ = [
    "JOIN_CODE",
    "PERSONAL_CODE",
    "Limit",
    "Throttled",
    "check",
    "count_failure",
    "guard",
    "response",
]

JOIN_CODE = Limit("caseroom.join-code", "30/10m")
PERSONAL_CODE = Limit("caseroom.personal-code", "10/10m")
