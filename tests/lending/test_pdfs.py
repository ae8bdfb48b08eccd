"""The forms and registers print with Chinese text in an embedded font."""

import subprocess

from django.urls import reverse

from lending.services.approvals import step_decide
from lending.services.circulation import hand_over
from tests.lending.test_viewing import ask


def _pdf_text(response, tmp_path, name="out.pdf"):
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return text, fonts


def test_request_form_and_register_in_chinese(client, world, window, tmp_path):
    import time_machine

    request = ask(world.finance_clerk, [world.own], window)
    for step, person in zip(
        request.steps.all(), (world.finance_head, world.archive_head), strict=True
    ):
        step_decide(step_id=step.pk, actor=person, approve=True)
    request.refresh_from_db()
    with time_machine.travel(window[0]):
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )
    client.force_login(world.archivist)
    client.cookies["django_language"] = "zh-hans"
    text, fonts = _pdf_text(
        client.get(reverse("lending:request-pdf", args=[request.pk])), tmp_path
    )
    assert "档案查阅申请表" in text
    assert world.own.number in text
    assert "吴部长" in text and "林主任" in text  # both signatures
    assert "WenQuanYi" in fonts and " yes " in fonts  # embedded
    day = window[0].date().isoformat()
    text, _ = _pdf_text(
        client.get(
            reverse("lending:register-pdf", args=["viewing"]),
            {"date_from": day, "date_to": day},
        ),
        tmp_path,
        "register.pdf",
    )
    assert "查阅登记簿" in text
    assert world.own.number in text and "周会计" in text


def test_the_request_forms_barcode_scans_as_its_reference(
    client, world, window, tmp_path
):
    """What the desk's scanner reads off the printed form (zbarimg, from the
    page rendered at a scanner's resolution) is the request's reference."""
    request = ask(world.finance_clerk, [world.own], window)
    client.force_login(world.archivist)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(
        client.get(reverse("lending:request-pdf", args=[request.pk])).content
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (page,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(page)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert scanned == [request.reference]
