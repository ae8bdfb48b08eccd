"""Retention in a real browser (zh-hans): an appraisal through to its
certificate, and a stocktake with a barcode scanner typing into the field."""

import subprocess

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from archives.models import ArchiveRecord
from retention.models import Appraisal
from retention.models import CheckRun
from tests.factories import BoxFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_an_appraisal_through_to_the_certificate(
    open_as, shoot, live_server, world, tmp_path
):
    w, url = world, live_server.url
    head = open_as(w.archive_head, "zh-hans")
    head.goto(f"{url}/retention/due/")
    for record in (w.own, w.cs2_record, w.other_own):
        head.get_by_label(record.number, exact=True).check()
    head.get_by_role("group", name="鉴定小组").get_by_label(str(w.supervisor)).check()
    shoot(head, "retention-1-due-list")
    head.get_by_role("button", name="开始鉴定").click()
    head.wait_for_selector("[data-testid=appraisal-status]")
    assert "鉴定中" in head.inner_text("[data-testid=appraisal-status]")

    # The group keeps one record for another year, then lists the rest.
    row = head.locator(f"[data-testid=item-{w.cs2_record.number}]")
    row.get_by_placeholder("事由").fill("客户仍有争议，继续保存")
    row.get_by_role("button", name="保留").click()
    head.wait_for_selector(f"[data-testid=item-{w.cs2_record.number}].table-success")
    head.get_by_role("button", name="将 2 件未决定的档案列入销毁").click()
    head.get_by_role("button", name="报送审批").click()
    assert "待审批" in head.inner_text("[data-testid=appraisal-status]")
    shoot(head, "retention-2-submitted")

    executive = open_as(w.executive, "zh-hans")
    executive.goto(f"{url}{Appraisal.objects.get().get_absolute_url()}")
    executive.fill("#id_note", "同意销毁")
    executive.get_by_role("button", name="批准销毁").click()
    assert "已批准销毁" in executive.inner_text("[data-testid=appraisal-status]")

    archivist = open_as(w.archivist, "zh-hans")
    archivist.goto(f"{url}{Appraisal.objects.get().get_absolute_url()}")
    archivist.fill("#id_place", "档案室碎纸间")
    archivist.select_option("#id_paper_method", "shredding")
    archivist.select_option("#id_executor", label=str(w.archivist))
    archivist.select_option("#id_witnesses", label=[str(w.archivist2), str(w.auditor)])
    shoot(archivist, "retention-3-execute")
    archivist.get_by_role("button", name="登记销毁").click()
    assert "待监销人确认" in archivist.inner_text("[data-testid=appraisal-status]")
    destroyed = ArchiveRecord.objects.get(pk=w.own.pk)
    assert destroyed.status == "destroyed" and destroyed.number == w.own.number

    for witness in (w.archivist2, w.auditor):
        page = open_as(witness, "zh-hans")
        page.goto(f"{url}{Appraisal.objects.get().get_absolute_url()}")
        page.get_by_role("button", name="我已监督此次销毁").click()
    assert "已完成" in page.inner_text("[data-testid=appraisal-status]")
    shoot(page, "retention-4-completed")
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url;"
            " a.download = 'c.pdf'; document.body.appendChild(a); a.click(); }",
            f"{url}/retention/appraisals/{Appraisal.objects.get().pk}/certificate.pdf",
        )
    certificate = tmp_path / "certificate.pdf"
    download_info.value.save_as(certificate)
    text = subprocess.run(
        ["pdftotext", "-layout", str(certificate), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "档案销毁证明" in text and w.own.number in text and "档案室碎纸间" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(certificate),
            "test-artifacts/browser/retention-certificate",
        ],
        check=True,
    )


def test_a_stocktake_with_scanning(open_as, shoot, live_server, world):
    w, url = world, live_server.url
    box = w.own.box
    other = BoxFactory(code="GT-2023-002", shelf=box.shelf)
    page = open_as(w.archivist, "zh-hans")
    page.goto(f"{url}/retention/checks/")
    page.locator("[data-testid=check-stocktake]").get_by_role(
        "button", name="立即运行"
    ).click()
    assert "待录入" in page.inner_text("[data-testid=run-status]")
    page.get_by_role("link", name="扫描档案盒").click()
    # A USB scanner types the code and presses Enter.
    page.fill("#box-code", box.code)
    page.press("#box-code", "Enter")
    for record in (w.own, w.other_own):
        page.fill("#scan-code", record.number)
        page.press("#scan-code", "Enter")
        page.wait_for_selector(f"[data-testid=last-scan]:has-text('{record.number}')")
    page.fill("#scan-code", "GT20990101001")
    page.press("#scan-code", "Enter")
    page.wait_for_selector("[data-testid=stray-GT20990101001]")
    assert page.inner_text("[data-testid=found-count]") == "2 / 4"
    shoot(page, "retention-5-scanning")
    page.fill("#box-code", other.code)
    page.press("#box-code", "Enter")
    # A scan sent before htmx took the new panel over is an ordinary POST,
    # leaving the browser on the scan address: the box form names its own.
    page.wait_for_selector(f"label[for=scan-code]:has-text('{other.code}')")
    page.fill("#scan-code", w.cs2_record.number)
    page.press("#scan-code", "Enter")
    page.wait_for_selector(f"[data-testid=stray-{w.cs2_record.number}]")
    page.get_by_role("link", name="报告").click()
    page.get_by_role("button", name="完成并生成报告").click()
    assert "已完成" in page.inner_text("[data-testid=run-status]")
    findings = page.inner_text("[data-testid=findings]")
    assert f"未找到 {w.confidential.number}" in findings
    assert f"{w.cs2_record.number} 在档案盒 GT-2023-002 中找到" in findings
    assert "GT20990101001" in findings
    shoot(page, "retention-6-stocktake-report")
    report = CheckRun.objects.get(kind="stocktake")
    assert report.summary["missing"] == 1 and report.summary["misplaced"] == 1
    assert storages["default"] and timezone.now()
