"""Time-based one-time passwords (RFC 6238, 30-second steps, 6 digits) with one-time use."""

from __future__ import annotations

import hmac
import time
import unicodedata
from io import BytesIO

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings

from lotse.accounts.models import TotpDevice, User
from lotse.core import crypto

STEP_SECONDS = 30
# Accept the previous and the next step too: phone clocks drift.
TOLERANCE_STEPS = 1


def associated_data(user_id: int) -> bytes:
    return f"accounts.totp:{user_id}".encode()


def new_device(user: User) -> TotpDevice:
    """Start (or restart) enrolment with a fresh 160-bit secret."""
    secret = pyotp.random_base32()
    TotpDevice.objects.filter(user=user).delete()
    return TotpDevice.objects.create(
        user=user, secret_encrypted=crypto.encrypt_text(secret, associated_data=associated_data(user.pk))
    )


def secret_of(device: TotpDevice) -> str:
    return crypto.decrypt_text(bytes(device.secret_encrypted), associated_data=associated_data(device.user_id))


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(name=device.user.username, issuer_name=settings.TOTP_ISSUER)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG (no inline styles, so the strict CSP allows it)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    # digits of any script as ASCII (an Arabic or Persian keyboard types ١٢٣); other
    # characters, "²" too, are dropped: compare_digest compares ASCII only
    code = "".join(str(unicodedata.decimal(ch)) for ch in code if unicodedata.decimal(ch, None) is not None)
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    base = current_step(now)
    for offset in range(-TOLERANCE_STEPS, TOLERANCE_STEPS + 1):
        step = base + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_and_consume(device: TotpDevice, code: str, *, now: float | None = None) -> bool:
    """True if ``code`` is valid and newer than every code accepted before. The conditional
    UPDATE makes a replayed code fail even when two requests race."""
    step = matching_step(secret_of(device), code, now=now)
    if step is None:
        return False
    updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
    return updated == 1


def code_for(device: TotpDevice, *, now: float | None = None) -> str:
    """The current code — for tests and the demo data only."""
    return pyotp.TOTP(secret_of(device)).generate_otp(current_step(now))
