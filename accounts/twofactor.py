"""A second factor at login for the privileged roles (issue 21, item 5):
a time-based code (TOTP, RFC 6238) from an authenticator app, through
django-otp. ``ARCHIVE_2FA_ROLES`` names the roles that need it (by default
the three administrators, the head of archives and the auditor; empty turns
it off). The first login after it applies sets the app up; every login after
asks for a code. A lost phone: the security administrator deletes the
person's device in admin (TOTP devices), and the next login sets one up
again."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit import services as audit
from core.permissions import user_roles

DEVICE_NAME = "authenticator"


def needs_second_factor(user: User) -> bool:
    roles = settings.ARCHIVE_2FA_ROLES
    if not roles or not user.is_authenticated or user.is_system:
        return False
    # The request's cached role names, shared with the other checks.
    return not user_roles(user).isdisjoint(roles)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_to_set_up(user: User) -> TOTPDevice:
    """The person's unconfirmed device, made once (its key stays the same
    while they set up the app, across reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )


def secret_of(device: TOTPDevice) -> str:
    """The key as the authenticator app takes it typed in (Base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice, user: User) -> str:
    """The otpauth:// address as a QR code, an SVG drawn on the server."""
    from urllib.parse import quote

    import qrcode
    from qrcode.image.svg import SvgPathImage

    issuer = quote(settings.ARCHIVE_2FA_ISSUER)
    label = quote(f"{settings.ARCHIVE_2FA_ISSUER}:{user.get_username()}")
    uri = (
        f"otpauth://totp/{label}?secret={secret_of(device)}&issuer={issuer}"
        f"&digits={device.digits}&period={device.step}"
    )
    image = qrcode.make(uri, image_factory=SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def code_check(request, device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the device's; the session is then verified.
    django-otp slows down repeated wrong codes."""
    code = "".join(ch for ch in code if ch.isdigit())
    allowed, _why = device.verify_is_allowed()
    if not allowed or not code or not device.verify_token(code):
        audit.log(
            audit.Action.LOGIN_FAILED,
            actor=request.user,
            outcome=audit.Outcome.DENIED,
            second_factor=True,
        )
        return False
    with transaction.atomic():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.log(
                audit.Action.ACCESS_CHANGED,
                actor=request.user,
                target=request.user,
                changes="second factor set up",
            )
        otp_login(request, device)
    return True
