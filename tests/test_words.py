"""Words an archivist reads one way (issue 19, item 14): in Chinese, 提交
(submit) is only sending a record to the archive, never saving or filing a
draft; a link to the appraisal lists does not read as the act of appraising."""

import pytest
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_filing_a_draft_and_submitting_it_are_different_words(language):
    with translation.override(language):
        filing = [gettext(m) for m in ("File a record", "File", "Save draft")]
        submitting = gettext("Submit to the archive")
        appraisals = gettext("Appraisals")
        appraising = gettext("appraisal")
    assert not any(word.startswith("提交") for word in filing), filing
    assert submitting.startswith("提交")
    assert appraisals != appraising
