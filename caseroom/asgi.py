"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseroom.settings")
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from caseroom.exercises.routing import websocket_urlpatterns  # noqa: E402
from caseroom.lib.bodylimit import BodyLimit  # noqa: E402
from caseroom.workshops.routing import websocket_urlpatterns as workshop_websockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*websocket_urlpatterns, *workshop_websockets]))
        ),
    }
)

from caseroom.exercises.warmup import warm_up  # noqa: E402

warm_up()

# Everything loaded so far (Django, the libraries, the URL conf, the scenarios of running
# exercises) lives as long as the process: move it out of the garbage collector's reach,
# so that a full collection scans only what requests create (measured: full collections
# paused a worker 80-260 ms).
import gc  # noqa: E402  (after the app is built, on purpose)
import sys  # noqa: E402

gc.collect()
gc.freeze()

# Requests run in threads that share one interpreter lock with the event loop. A thread
# whose database or Redis answer has arrived waits for the lock up to the switch
# interval (5 ms by default) while another thread computes, and an action makes ~6
# such round trips. Measured with benchmarks/load.py: p50 21 → 15 ms, p95 107 → 59 ms.
sys.setswitchinterval(0.001)
