"""The product's version (CHANGELOG.md), shown in the page footer and at
/api/v1/version/. ``ARCHIVE_BUILD`` (set by the deployment, e.g. the
commit) is shown beside it."""

import os

VERSION = "1.6.4"


def full() -> str:
    build = os.environ.get("ARCHIVE_BUILD", "").strip()
    return f"{VERSION}+{build}" if build else VERSION
