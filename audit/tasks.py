"""The worker links new audit entries into the chain (``audit.chain.link``)."""

from celery import shared_task

from audit import chain


@shared_task(name="audit.tasks.chain_link")
def chain_link_task() -> int:
    return chain.link()
