"""What the four checks (四性检测) can find, as translatable messages.

A ``FileCheckItem`` keeps a code and its values; the text is made when it is
read, in the reader's language (as ``retention.findings`` does).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Authenticity (真实性)
    "hash_recorded": _("SHA-256 taken at upload: %(sha256)s…"),
    "hash_unchanged": _("The stored file still has the SHA-256 taken at upload."),
    "hash_changed": _(
        "The stored file no longer has the SHA-256 taken at upload "
        "(recorded %(expected)s…, now %(actual)s…)."
    ),
    "type_matches": _("Its content is what its extension .%(suffix)s says."),
    "type_mismatch": _("Its content is not a .%(suffix)s file."),
    "pages_match": _("The PDFs have %(found)s page(s), as the record declares."),
    "pages_differ": _(
        "The record declares %(declared)s page(s); its PDFs have %(found)s."
    ),
    # Integrity (完整性)
    "metadata_complete": _("The required description is complete."),
    "metadata_missing": _("Required description missing: %(fields)s."),
    "file_present": _("The file is in the archive store (%(size)s bytes)."),
    "file_missing": _("The file is missing from the archive store."),
    "file_size_differs": _(
        "The stored file has %(actual)s bytes; %(expected)s were uploaded."
    ),
    "no_files": _("An electronic record needs at least one file."),
    # Usability (可用性)
    "opens": _("It opens: %(detail)s."),
    "does_not_open": _("It does not open as a .%(suffix)s file (%(detail)s)."),
    "encrypted": _(
        "It is encrypted or protected by a password: the archive could not "
        "open it in years to come."
    ),
    "container": _(
        "It is a zip archive: the files inside are not checked one by one. "
        "Upload them as files of the record instead."
    ),
    "format_allowed": _("The format .%(suffix)s is on the list of long-term formats."),
    "format_not_allowed": _("The format .%(suffix)s is no longer on the allowed list."),
    # Security (安全性)
    "virus_free": _("No malware found (%(engine)s)."),
    "virus_found": _("Malware found: %(signature)s. The file is quarantined."),
    "scan_pending": _(
        "Not yet scanned for malware: the virus scanner could not be reached. "
        "It is scanned as soon as it is back."
    ),
    # The long-term copy (长期保存格式), when it could not be made
    "tool_missing": _(
        "The program that makes the copy is not installed (%(detail)s). "
        "Tell the system administrator."
    ),
    "conversion_failed": _("The conversion program refused the file: %(detail)s"),
    "conversion_error": _("The conversion stopped with an error: %(detail)s"),
    "text_changed": _(
        "The copy did not read like the original (its text changed in the "
        "conversion), so it was not kept."
    ),
    "source_changed": _(
        "The stored original no longer has the SHA-256 taken at upload; no "
        "copy was made from it."
    ),
    "source_infected": _("The original holds malware (%(detail)s); no copy was made."),
}

# What a technical detail of a file is called when shown.
DETAILS = {
    "pages": _("%(value)s page(s)"),
    "width": _("%(value)s px wide"),
    "height": _("%(value)s px high"),
    "seconds": _("%(value)s s long"),
    "codec": _("format %(value)s"),
    "sample_rate": _("%(value)s Hz"),
    "subject": _("subject “%(value)s”"),
    "from": _("from %(value)s"),
    "attachments": _("%(value)s attachment(s)"),
    "characters": _("%(value)s characters"),
}
TEXT_LAYER = {
    True: _("with a text layer"),
    False: _("without a text layer (a scan)"),
}


def describe(technical: dict) -> str:
    """A short line of what opening the file found, in the reader's language."""
    from django.utils.translation import get_language

    parts = []
    for key, template in DETAILS.items():
        value = technical.get(key)
        if value in (None, "", 0):
            continue
        parts.append(str(template) % {"value": value})
    if "pages" in technical and "text_layer" in technical:
        parts.append(str(TEXT_LAYER[bool(technical["text_layer"])]))
    separator = "，" if (get_language() or "").startswith("zh") else ", "
    return separator.join(parts) if parts else "—"


def render(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    values = dict(params or {})
    if code == "opens" and "technical" in values:
        values["detail"] = describe(values["technical"])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
