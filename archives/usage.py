"""What the archive tells other apps when a file is used: read in the
browser, downloaded or printed (issue 18). The usage ledger (lending) counts
them; ``archives`` does not know the ledger (import-linter)."""

from django.dispatch import Signal

# Sent with: user, record, record_file, kind ("read", "download", "print").
file_used = Signal()


def file_used_send(*, user, record, record_file, kind: str) -> None:
    file_used.send(
        sender=type(record_file),
        user=user,
        record=record,
        record_file=record_file,
        kind=kind,
    )
