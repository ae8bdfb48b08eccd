"""The plain-text API tokens of earlier versions become hashed tokens.

Each keeps working (its hash is stored, the key itself is dropped) for
ARCHIVE_API_TOKEN_MAX_DAYS from today, under the name "before hashing".
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    days = getattr(settings, "ARCHIVE_API_TOKEN_MAX_DAYS", 90)
    for token in Token.objects.all():
        ApiToken.objects.create(
            user_id=token.user_id,
            name="before hashing",
            prefix=token.key[:8],
            key_hash=hashlib.sha256(token.key.encode()).hexdigest(),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
