"""The client's identity: one encrypted value per case, and the keyed hash for the search before
create. Plain identity exists only in memory while a permitted view renders it."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
import unicodedata

from django.conf import settings

from lotse.core import crypto


@dataclasses.dataclass(frozen=True, kw_only=True)
class IdentityData:
    given_name: str
    family_name: str
    birth_date: datetime.date | None = None
    nationality: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def to_json(self) -> bytes:
        data = dataclasses.asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> IdentityData:
        data = json.loads(raw.decode("utf-8"))
        born = data.get("birth_date")
        text = {name: data.get(name) or "" for name in FIELDS if name != "birth_date"}
        return cls(**text, birth_date=datetime.date.fromisoformat(born) if born else None)


FIELDS = tuple(f.name for f in dataclasses.fields(IdentityData))


def associated_data(case_id: int) -> bytes:
    return f"cases.identity:{case_id}".encode()


def seal(data: IdentityData, *, case_id: int) -> bytes:
    return crypto.encrypt(data.to_json(), associated_data=associated_data(case_id))


def unseal(token: bytes, *, case_id: int) -> IdentityData:
    return IdentityData.from_json(crypto.decrypt(bytes(token), associated_data=associated_data(case_id)))


def normalise_name(value: str) -> str:
    """Casefolded, accents and punctuation removed, umlauts and ß spelled out, words sorted: so
    "Müller-Öztürk, Aylin" and "aylin mueller oeztuerk" meet."""
    value = unicodedata.normalize("NFKC", value).casefold()
    for source, target in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(source, target)
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in value).split()
    return " ".join(sorted(words))


def duplicate_key(*, given_name: str, family_name: str, birth_date: datetime.date | None) -> str:
    """HMAC-SHA256 over normalised name and birth date with ``LOOKUP_KEY``: equal for the same
    person, useless for guessing names without the key."""
    name = normalise_name(f"{given_name} {family_name}")
    message = f"{name}|{birth_date.isoformat() if birth_date else ''}".encode()
    return hmac.new(settings.LOOKUP_KEY.encode(), message, hashlib.sha256).hexdigest()
