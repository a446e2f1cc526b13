"""Run the real ralph Learning Record Store on 127.0.0.1 for the xAPI round-trip tests.

    python tests/debrief/ralph_server.py APP_DIR USERNAME PASSWORD

Binds a free loopback port itself and writes it to APP_DIR/port once it listens, so the
test never races another process for a port. Statements go to files under APP_DIR/data.
The fs backend of ralph 5.1.0 opens its data file in create mode, so every POST after the
first fails; the backend is switched to append before the app is imported (see the
shared notes on ralph).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path


def configure(app_dir: Path, username: str, password: str) -> None:
    """Environment and credentials; must run before anything from ralph is imported,
    because ralph reads its settings once at import."""
    os.environ.update(
        {
            "RALPH_APP_DIR": str(app_dir),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(app_dir / "data"),
        }
    )
    import bcrypt

    # The format `ralph auth --write-to-disk` writes (checked against ralph 5.1.0); written
    # here directly because the command needs `requests` and takes two seconds.
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    user = {
        "agent": {"mbox": f"mailto:{username}@example.org", "objectType": "Agent"},
        "scopes": ["statements/write", "statements/read"],
        "hash": hashed,
        "username": username,
    }
    (app_dir / "auth.json").write_text(json.dumps([user]), encoding="utf-8")
    (app_dir / "data").mkdir(exist_ok=True)


def patch_fs_backend() -> None:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.data.fs import FSDataBackend

    FSDataBackend.default_operation_type = BaseOperationType.APPEND


def main(argv: list[str]) -> None:
    app_dir, username, password = Path(argv[0]), argv[1], argv[2]
    configure(app_dir, username, password)
    patch_fs_backend()

    import uvicorn
    from ralph.api import app

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    # Written atomically: the test polls for the file and must never read half a number.
    (app_dir / "port.tmp").write_text(str(port), encoding="utf-8")
    (app_dir / "port.tmp").replace(app_dir / "port")
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main(sys.argv[1:])
