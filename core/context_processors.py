from core.queue import delayed


def background(request) -> dict:
    """Whether pages should say that background work is delayed."""
    return {"background_delayed": delayed()}
