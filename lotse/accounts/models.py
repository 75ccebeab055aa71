"""Accounts: staff users, their TOTP second factor, login failures for lockout, and the
sessions each user holds (so that deactivation can end all of them)."""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel


def normalize_username(username: str) -> str:
    """The one form in which usernames are stored and looked up: NFKC, trimmed, case-folded.
    Lookups are exact on this form (no database-specific case-insensitive matching)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        if not username:
            raise ValueError("A username is required.")
        user = self.model(username=normalize_username(username), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=normalize_username(username or ""))


def sort_key(*parts: str) -> str:
    """A case- and accent-free key so that "Çelik", "Öztürk" and "Bäumer" sort where German
    readers look for them (C, O, B) on every database, whatever its collation."""
    text = " ".join(parts).replace("ß", "ss").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()[:300]


class User(AbstractBaseUser, VersionedModel):
    """A member of staff. Clients never have accounts. Lotse has no superuser: tenants are
    created on the command line and everything else is done by a tenant's administrators."""

    username = models.CharField(_("username"), max_length=150, unique=True, validators=[UnicodeUsernameValidator()])
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    sort_name = models.CharField(max_length=300, editable=False, db_index=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)
    must_change_password = models.BooleanField(default=False, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    # Lotse keeps no Django-admin flags; these exist for code that asks.
    is_staff = False
    is_superuser = False

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("username"), name="user_username_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_key(self.last_name, self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.username

    def totp_device_confirmed(self) -> bool:
        return TotpDevice.objects.filter(user=self, confirmed_at__isnull=False).exists()


class TotpDevice(models.Model):
    """The user's authenticator app (RFC 6238). The shared secret is stored encrypted; the last
    accepted time step makes every code usable once only."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_encrypted = models.BinaryField(editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("authenticator")

    def __str__(self) -> str:
        return f"authenticator of user {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class FailureKind(models.TextChoices):
    ACCOUNT = "account", _("account")
    ADDRESS = "address", _("address")


class LoginFailure(models.Model):
    """One failed password or code. ``key_hash`` is a keyed hash of the username or address,
    so mistyped passwords in the username field are never stored in clear."""

    kind = models.CharField(max_length=10, choices=FailureKind.choices)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key_hash", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} failure at {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """Links a session key to its user, so that all sessions of a user can be ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
