"""schemathesis against the live schema: whatever it sends, the API answers
without a server error and every documented answer matches the schema.

The schemathesis command runs as its own process against the test's live
server (its pytest plugin does not work with this pytest).
"""

import os
import subprocess
import sys

import pytest
from django.utils import timezone

from reports.services.monthly import monthly_report_generate
from tests.factories import api_key

# Two minutes of a worker's time: CI runs it once, in the PostgreSQL pass
# (production's database); `make test` runs it too.
pytestmark = pytest.mark.fuzz

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


@pytest.mark.parametrize(
    ("role", "phases"),
    [
        # The archive may call every endpoint: every phase, boundaries included.
        ("archivist", "examples,coverage,fuzzing,stateful"),
        # A filer meets the refusals: fuzzing and sequences of calls.
        ("staff", "fuzzing,stateful"),
    ],
)
def test_no_server_error_and_answers_match_the_schema(
    reference_data, world, live_server, tmp_path, role, phases
):
    monthly_report_generate(month=timezone.localdate())
    token = api_key(getattr(world, role))
    command = [
        os.path.join(os.path.dirname(sys.executable), "schemathesis"),
        "run",
        f"{live_server.url}/api/schema/?format=json",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        "10",
        "--seed",
        "20261124",
        "--phases",
        phases,
        "--no-color",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
    )
    (tmp_path / "out.txt").write_text(result.stdout)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
