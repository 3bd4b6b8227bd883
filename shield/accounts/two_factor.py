"""TOTP enrolment: an unconfirmed device until the user proves they hold the secret."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction


def pending_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Shield", confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@transaction.atomic
def device_confirm(*, request: HttpRequest, user: User, token: str) -> bool:
    device = pending_device(user)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(action=AuditAction.TWO_FACTOR, actor=user, obj=user, changed_fields=["totp_device"])
    return True


def device_for_token(*, user: User, token: str) -> TOTPDevice | None:
    """The user's confirmed device that accepts this code (each code is accepted once)."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def session_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    device = device_for_token(user=user, token=token)
    if device is None:
        return False
    otp_login(request, device)
    return True
