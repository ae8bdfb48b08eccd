from core import version
from core.queue import delayed


def background(request) -> dict:
    """Whether pages should say that background work is delayed; the
    product's version for the footer."""
    return {"background_delayed": delayed(), "archive_version": version.full()}
