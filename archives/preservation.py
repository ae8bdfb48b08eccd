"""Long-term copies (长期保存格式) and the text inside files, made by the
programs that do it well.

* Word and Excel files: LibreOffice headless writes PDF/A-2b.
* PDFs and pictures: pages without text are read by Tesseract through
  OCRmyPDF (Simplified Chinese and English), then pikepdf declares PDF/A-2b
  and validates what it wrote. A PDF pikepdf finds in breach (a font not
  embedded, say) goes through Ghostscript instead, and the copy's text is
  compared page by page with the original's: Ghostscript 10.0.0, Debian's,
  garbles the text of some fonts, and a copy that reads differently from its
  original is refused, never kept.
* E-mails: headers, body and the list of attachments are laid out as a PDF
  (reportlab), made PDF/A as above; the attachments become files of the
  record.
* Text files: a UTF-8 text copy.
* Recordings, Outlook .msg and zip files are kept as they are.

The text of each page is taken from the copy (PDFium), so a search hit can
say on which page it was found. Nothing here touches the database or the
original: each function reads a path and writes into a working folder.
"""

from __future__ import annotations

import email
import functools
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from dataclasses import field
from email import policy
from pathlib import Path

from django.conf import settings

from archives import mail
from archives.mail import Attachment

OFFICE = {"doc", "docx", "xls", "xlsx"}
PICTURES = {"jpg", "jpeg", "png", "tif", "tiff"}
TEXTS = {"txt", "csv"}
# Page-transition keys of slide shows: no content, and pikepdf's validator
# does not know them (reportlab writes an empty /Trans on every page).
PRESENTATION_KEYS = ("/Trans", "/Dur")
# Tesseract spaces out Chinese characters; a space between two of them is
# no word boundary.
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])"
)


class ConversionFailed(Exception):
    """A copy that could not be made; ``code`` names why (checkmessages)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:500]


@dataclass
class Made:
    """A copy made, or what was found for a file kept as it is."""

    path: Path | None  # None: kept as it is
    format: str = ""  # "PDF/A-2b", "UTF-8 text"
    tool: str = ""  # the programs and their versions
    validation: str = ""  # passed / not_checked / text_compared
    pages: list[str] = field(default_factory=list)  # text, page by page
    source: str = ""  # where the text came from: text_layer, ocr, office, email, text
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\f".join(self.pages)


def tidy(text: str) -> str:
    """Extracted text as it is stored: no spaces inside Chinese, no empty
    lines, Windows line ends made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_CJK_SPACE.sub("", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _run(args: list[str], *, cwd: Path | None = None) -> str:
    timeout = settings.ARCHIVE_CONVERSION_TIMEOUT
    try:
        done = subprocess.run(  # noqa: S603 - fixed programs, our own paths
            args, cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except FileNotFoundError as error:
        raise ConversionFailed("tool_missing", args[0]) from error
    if done.returncode != 0:
        raise ConversionFailed(
            "conversion_failed", (done.stderr or done.stdout).strip()[-500:]
        )
    return done.stdout


@functools.cache
def _version(program: str, *args: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603
            [program, *args], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    found = re.search(r"\d+(\.\d+)+", out.stdout + out.stderr)
    return found.group(0) if found else "?"


def tools() -> dict[str, str]:
    """The versions of the programs that make copies (for the report)."""
    import ocrmypdf
    import pikepdf

    return {
        "LibreOffice": _version(settings.ARCHIVE_SOFFICE, "--version"),
        "OCRmyPDF": ocrmypdf.__version__,
        "Tesseract": _version("tesseract", "--version"),
        "pikepdf": pikepdf.__version__,
        "Ghostscript": _version("gs", "--version"),
    }


def pages_text(path: Path) -> list[str]:
    """The text of each page (PDFium)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(tidy(textpage.get_text_range()))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def _ocr(source: Path, target: Path, *, picture: bool) -> None:
    """Add a text layer to the pages that have none (OCRmyPDF, Tesseract).

    Written as a plain PDF: PDF/A is declared afterwards by pikepdf, so
    Ghostscript (which OCRmyPDF would use on pages with text) stays out.
    """
    args = [
        # A program of its own: OCRmyPDF starts worker processes, which a
        # Celery worker's own (daemonic) processes may not.
        sys.executable,
        "-m",
        "ocrmypdf",
        "--quiet",
        "--skip-text",
        "--output-type",
        "pdf",
        "-l",
        settings.ARCHIVE_OCR_LANGUAGES,
        "--jobs",
        str(settings.ARCHIVE_OCR_JOBS),
    ]
    if picture:
        args += ["--image-dpi", "300"]
    _run([*args, str(source), str(target)])


def _strip_presentation(pdf) -> None:
    for page in pdf.pages:
        for key in PRESENTATION_KEYS:
            if key in page.obj:
                del page.obj[key]


def _pdfa(source: Path, target: Path) -> str:
    """PDF/A-2b by pikepdf, validated; Ghostscript when pikepdf finds a
    breach it cannot repair, its text checked against the source's."""
    import pikepdf
    from pikepdf import pdfa

    try:
        with pikepdf.open(source) as pdf:
            _strip_presentation(pdf)
            try:
                pdfa.save(pdf, target, "2b")
                return "passed"
            except pdfa.PdfaError as error:
                report = error.report
            if report.verdict == "not_checked" and not report.violations:
                # Only constructs the validator does not know; none it forbids.
                pdfa.prepare(pdf, "2b")
                pdf.save(target, **pdfa.resolve_save_kwargs("2b"))
                return "not_checked"
    except pikepdf.PdfError as error:
        raise ConversionFailed("conversion_failed", str(error)) from error
    _ghostscript(source, target)
    if pages_text(source) != pages_text(target):
        target.unlink(missing_ok=True)
        raise ConversionFailed("text_changed", "Ghostscript")
    return "text_compared"


def _ghostscript(source: Path, target: Path) -> None:
    from ocrmypdf.pdfa import generate_pdfa_ps

    definition = target.with_name("pdfa_def.ps")
    generate_pdfa_ps(definition)
    _run(
        [
            "gs",
            "-dBATCH",
            "-dNOPAUSE",
            "-dSAFER",
            "-dQUIET",
            "-dPDFA=2",
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            "-dNOOUTERSAVE",
            f"--permit-file-read={target.parent}/",
            "-o",
            str(target),
            str(definition),
            str(source),
        ]
    )


def _pdf(source: Path, work: Path, *, picture: bool = False) -> Made:
    """A PDF or a picture: OCR where a page has no text, then PDF/A."""
    with_text = work / "text.pdf"
    if picture:
        _ocr(source, with_text, picture=True)
        read = "ocr"
    else:
        before = pages_text(source)
        if all(before):
            shutil.copyfile(source, with_text)
            read = "text_layer"
        else:
            _ocr(source, with_text, picture=False)
            read = "ocr" if not any(before) else "text_layer_ocr"
    target = work / "copy.pdf"
    validation = _pdfa(with_text, target)
    versions = tools()
    tool = f"pikepdf {versions['pikepdf']}"
    if read != "text_layer":
        tool = (
            f"OCRmyPDF {versions['OCRmyPDF']}, Tesseract {versions['Tesseract']} "
            f"({settings.ARCHIVE_OCR_LANGUAGES}), {tool}"
        )
    if validation == "text_compared":
        tool += f", Ghostscript {versions['Ghostscript']}"
    return Made(
        path=target,
        format="PDF/A-2b",
        tool=tool,
        validation=validation,
        pages=pages_text(target),
        source=read,
    )


def _office(source: Path, work: Path, suffix: str) -> Made:
    """Word and Excel through LibreOffice headless, straight to PDF/A-2b.

    Each worker process keeps its own LibreOffice profile: two instances
    sharing one refuse to start.
    """
    import os

    export = "calc_pdf_Export" if suffix in {"xls", "xlsx"} else "writer_pdf_Export"
    options = '{"SelectPdfVersion":{"type":"long","value":"2"}}'
    profile = Path(settings.ARCHIVE_SOFFICE_PROFILE) / str(os.getpid())
    out = work / "office"
    _run(
        [
            settings.ARCHIVE_SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"pdf:{export}:{options}",
            "--outdir",
            str(out),
            str(source),
        ]
    )
    made = out / f"{source.stem}.pdf"
    if not made.exists():
        raise ConversionFailed("conversion_failed", "LibreOffice wrote no PDF")
    return Made(
        path=made,
        format="PDF/A-2b",
        tool=f"LibreOffice {tools()['LibreOffice']}",
        validation="declared",
        pages=pages_text(made),
        source="office",
    )


def _email(source: Path, work: Path) -> Made:
    """An e-mail laid out with its headers, body and attachment list."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Spacer

    from core.pdfdoc import font_name

    try:
        message = email.message_from_bytes(source.read_bytes(), policy=policy.default)
        headers = [
            (name, str(message[name]))
            for name in ("From", "To", "Cc", "Date", "Subject")
            if message[name]
        ]
        body = mail.body_text(message)
        attachments = mail.attachments_of(message)
    except Exception as error:
        raise ConversionFailed("conversion_failed", str(error)) from error
    style = ParagraphStyle("mail", fontName=font_name(), fontSize=10.5, leading=15)
    head = ParagraphStyle("head", parent=style, fontSize=9.5, leading=13)

    def para(text: str, s=style):
        return Paragraph(html.escape(text).replace("\n", "<br/>"), s)

    story = [para(f"{name}: {value}", head) for name, value in headers]
    story.append(Spacer(1, 10))
    story += [para(block) for block in body.split("\n\n") if block.strip()]
    if attachments:
        story.append(Spacer(1, 10))
        story.append(para("Attachments / 附件:", head))
        story += [para(f"{a.name} ({len(a.data)} bytes)", head) for a in attachments]
    rendered = work / "mail.pdf"
    document = SimpleDocTemplate(
        str(rendered), pagesize=A4, title=str(message["Subject"] or "")
    )
    document.build(story)
    target = work / "copy.pdf"
    validation = _pdfa(rendered, target)
    import reportlab

    return Made(
        path=target,
        format="PDF/A-2b",
        tool=f"reportlab {reportlab.Version}, pikepdf {tools()['pikepdf']}",
        validation=validation,
        pages=pages_text(target),
        source="email",
        attachments=attachments,
    )


def _text(source: Path, work: Path) -> Made:
    from archives.probes import decode_text

    decoded = decode_text(source.read_bytes())
    if decoded is None:
        raise ConversionFailed("conversion_failed", "not UTF-8 or GB 18030 text")
    text, encoding = decoded
    target = work / "copy.txt"
    target.write_text(text, encoding="utf-8")
    return Made(
        path=target,
        format="UTF-8 text",
        tool=f"decoded from {encoding}",
        validation="passed",
        pages=[tidy(text)],
        source="text",
    )


def kept_as_is(suffix: str) -> bool:
    """Recordings, .msg and zip files: no long-term copy is made."""
    return suffix not in OFFICE | PICTURES | TEXTS | {"pdf", "eml"}


def make_copy(source: Path, suffix: str, work: Path) -> Made:
    """The long-term copy of ``source`` (a file of the given kind), made in
    the folder ``work``; ``Made(path=None)`` for a kind kept as it is."""
    if suffix == "pdf":
        return _pdf(source, work)
    if suffix in PICTURES:
        return _pdf(source, work, picture=True)
    if suffix in OFFICE:
        return _office(source, work, suffix)
    if suffix == "eml":
        return _email(source, work)
    if suffix in TEXTS:
        return _text(source, work)
    return Made(path=None)
