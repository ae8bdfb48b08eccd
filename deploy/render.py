#!/usr/bin/env python3
"""Fill a deployment template's ``@NAME@`` values (issue 21, item 1).

    python deploy/render.py deploy/nginx/archive.conf.in \
        SERVER_NAME=archive.example.com UPSTREAMS=127.0.0.1:8001,127.0.0.1:8002 \
        > /etc/nginx/sites-available/archive

A value comes from the command line (NAME=value), else from the environment
(DEPLOY_NAME), else from the defaults below. A name left without a value
stops the rendering and says which, so no half-filled file is installed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

DEFAULTS = {
    "SERVER_NAME": "archive.example.com",
    "HTTP_LISTEN": "80",
    "HTTPS_LISTEN": "443",
    "TLS_CERT": "/etc/ssl/archive/fullchain.pem",
    "TLS_KEY": "/etc/ssl/archive/privkey.pem",
    # gunicorn instances, comma-separated (archive-web@8001, archive-web@8002).
    "UPSTREAMS": "127.0.0.1:8001,127.0.0.1:8002",
    # ARCHIVE_MAX_UPLOAD_MB and room for the form.
    "MAX_BODY_MB": "60",
    "STATIC_ROOT": "/srv/archive/app/staticfiles",
    # ARCHIVE_STORAGE_ROOT, ARCHIVE_BACKUP_ROOT and ARCHIVE_EXPORT_DIR.
    "STORE_ROOT": "/srv/archive/var/archive-store",
    "BACKUP_ROOT": "/srv/archive/var/archive-backup",
    "EXPORTS_ROOT": "/srv/archive/var/exports",
    # Who may ask /readyz/ and /metrics (comma-separated networks).
    "INTERNAL_NETWORKS": "127.0.0.1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
    "PROXY_PARAMS": "/etc/nginx/archive_proxy_params.conf",
    "LOG_DIR": "/var/log/nginx",
}


def _derived(values: dict[str, str]) -> dict[str, str]:
    upstreams = [u.strip() for u in values["UPSTREAMS"].split(",") if u.strip()]
    networks = [n.strip() for n in values["INTERNAL_NETWORKS"].split(",") if n.strip()]
    return {
        "UPSTREAM_SERVERS": "\n    ".join(
            f"server {u} max_fails=1 fail_timeout=10s;" for u in upstreams
        ),
        "INTERNAL_ALLOW": "\n        ".join(f"allow {n};" for n in networks),
    }


def render(template: str, given: dict[str, str]) -> str:
    values = dict(DEFAULTS)
    for name in DEFAULTS:
        if f"DEPLOY_{name}" in os.environ:
            values[name] = os.environ[f"DEPLOY_{name}"]
    values.update(given)
    values.update(_derived(values))
    missing = sorted(
        {m for m in re.findall(r"@([A-Z_]+)@", template) if m not in values}
    )
    if missing:
        raise SystemExit(f"no value for {', '.join(missing)}")
    return re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], template)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    path, *pairs = argv
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in DEFAULTS:
            raise SystemExit(f"unknown setting {pair!r}; known: {', '.join(DEFAULTS)}")
        given[name] = value
    sys.stdout.write(render(Path(path).read_text(), given))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
