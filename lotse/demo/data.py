"""Demo data for ``manage.py demo_data``: plain constants, no logic.

Structure and figures follow the seeds: Kreis Coesfeld (seed 004: three coordinators, six case
managers at the district, six at municipalities) and Kreis Wesel (seed 003: the strategic
overhead employed by Kreis Wesel and the cities of Dinslaken, Moers and Wesel; eleven case
management positions, about a third at the district, one in Voerde, one at a welfare
organisation). Municipality keys (AGS) are the official ones. Every person, street address and
e-mail address is invented; no name of a person from the seeds is used. E-mail addresses live
under ``example.org`` only.
"""

from __future__ import annotations

from typing import NamedTuple

# The one password of every demo login (shown on the demo start page and in the README).
DEMO_PASSWORD = "Lotse-Demo-2026"  # noqa: S105 - public by design, demo mode only


class LocationData(NamedTuple):
    """Anlaufstelle of a provider."""

    name: str
    street: str
    postal_code: str
    city: str
    municipality: str | None  # name of the municipality in the same tenant


class ProviderData(NamedTuple):
    name: str
    kind: str  # ProviderKind value
    municipality: str | None  # municipality the provider is (for kind "municipality")
    email_domain: str
    location: LocationData


class StaffData(NamedTuple):
    """A member of staff without a demo login (the account gets an unusable password)."""

    first_name: str
    last_name: str
    role: str  # Role value
    provider: str | None  # provider name in the same tenant


class TenantData(NamedTuple):
    name: str
    slug: str
    kind: str  # TenantKind value
    email_domain: str  # for staff without a provider (admins, committee members, …)
    municipalities: tuple[tuple[str, str], ...]  # (name, AGS)
    providers: tuple[ProviderData, ...]
    staff: tuple[StaffData, ...]


class DemoMembership(NamedTuple):
    tenant: str  # tenant slug
    role: str
    provider: str | None


class DemoLogin(NamedTuple):
    """A named demo person whose account signs in with :data:`DEMO_PASSWORD`."""

    username: str
    first_name: str
    last_name: str
    email: str
    memberships: tuple[DemoMembership, ...]  # the first one is the role shown in the table


# --- Kreis Coesfeld -------------------------------------------------------------------------

COESFELD_DISTRICT = "Kreis Coesfeld – Kommunales Integrationszentrum"

COESFELD = TenantData(
    name="Kreis Coesfeld",
    slug="kreis-coesfeld",
    kind="district",
    email_domain="kreis-coesfeld.example.org",
    municipalities=(
        ("Ascheberg", "05558004"),
        ("Billerbeck", "05558008"),
        ("Coesfeld", "05558012"),
        ("Dülmen", "05558016"),
        ("Havixbeck", "05558020"),
        ("Lüdinghausen", "05558024"),
        ("Nordkirchen", "05558028"),
        ("Nottuln", "05558032"),
        ("Olfen", "05558036"),
        ("Rosendahl", "05558040"),
        ("Senden", "05558044"),
    ),
    providers=(
        ProviderData(
            COESFELD_DISTRICT,
            "district",
            None,
            "kreis-coesfeld.example.org",
            LocationData(
                "KIM-Anlaufstelle Kreis Coesfeld",
                "Friedrich-Ebert-Straße 7",
                "48653",
                "Coesfeld",
                "Coesfeld",
            ),
        ),
        ProviderData(
            "Stadt Dülmen",
            "municipality",
            "Dülmen",
            "duelmen.example.org",
            LocationData("KIM-Anlaufstelle Dülmen", "Marktstraße 12", "48249", "Dülmen", "Dülmen"),
        ),
        ProviderData(
            "Stadt Coesfeld",
            "municipality",
            "Coesfeld",
            "stadt-coesfeld.example.org",
            LocationData("KIM-Anlaufstelle Stadt Coesfeld", "Walkenbrückenstraße 14", "48653", "Coesfeld", "Coesfeld"),
        ),
        ProviderData(
            "Stadt Lüdinghausen",
            "municipality",
            "Lüdinghausen",
            "luedinghausen.example.org",
            LocationData("KIM-Anlaufstelle Lüdinghausen", "Mühlenstraße 9", "59348", "Lüdinghausen", "Lüdinghausen"),
        ),
        ProviderData(
            "Gemeinde Senden",
            "municipality",
            "Senden",
            "senden.example.org",
            LocationData("KIM-Anlaufstelle Senden", "Münsterstraße 21", "48308", "Senden", "Senden"),
        ),
        ProviderData(
            "Gemeinde Nottuln",
            "municipality",
            "Nottuln",
            "nottuln.example.org",
            LocationData("KIM-Anlaufstelle Nottuln", "Stiftsplatz 5", "48301", "Nottuln", "Nottuln"),
        ),
        ProviderData(
            "Stadt Olfen",
            "municipality",
            "Olfen",
            "olfen.example.org",
            LocationData("KIM-Anlaufstelle Olfen", "Kirchstraße 6", "59399", "Olfen", "Olfen"),
        ),
    ),
    # With demo.coordinator: 3 coordinators, 12 case managers (6 district, 6 municipal), 1 admin.
    staff=(
        StaffData("Katharina", "Brüggemann", "coordinator", COESFELD_DISTRICT),
        StaffData("Emre", "Bozkurt", "coordinator", COESFELD_DISTRICT),
        StaffData("Anna", "Lewandowska", "case_manager", COESFELD_DISTRICT),
        StaffData("Tobias", "Hölscher", "case_manager", COESFELD_DISTRICT),
        StaffData("Leyla", "Demir", "case_manager", COESFELD_DISTRICT),
        StaffData("Markus", "Tenbrink", "case_manager", COESFELD_DISTRICT),
        StaffData("Viktor", "Reimer", "case_manager", COESFELD_DISTRICT),
        StaffData("Rana", "Haddad", "case_manager", COESFELD_DISTRICT),
        StaffData("Julia", "Overbeck", "case_manager", "Stadt Dülmen"),
        StaffData("Mehmet", "Kaya", "case_manager", "Stadt Coesfeld"),
        StaffData("Natalia", "Wiens", "case_manager", "Stadt Lüdinghausen"),
        StaffData("Sarah", "Niehues", "case_manager", "Gemeinde Senden"),
        StaffData("Ahmad", "Al-Khatib", "case_manager", "Gemeinde Nottuln"),
        StaffData("Agnieszka", "Nowak", "case_manager", "Stadt Olfen"),
        StaffData("Frank", "Wiesmann", "tenant_admin", None),
    ),
)


# --- Kreis Wesel ----------------------------------------------------------------------------

WESEL = TenantData(
    name="Kreis Wesel",
    slug="kreis-wesel",
    kind="district",
    email_domain="kreis-wesel.example.org",
    municipalities=(
        ("Alpen", "05170004"),
        ("Dinslaken", "05170008"),
        ("Hamminkeln", "05170012"),
        ("Hünxe", "05170016"),
        ("Kamp-Lintfort", "05170020"),
        ("Moers", "05170024"),
        ("Neukirchen-Vluyn", "05170028"),
        ("Rheinberg", "05170032"),
        ("Schermbeck", "05170036"),
        ("Sonsbeck", "05170040"),
        ("Voerde", "05170044"),
        ("Wesel", "05170048"),
        ("Xanten", "05170052"),
    ),
    # Seed 003 § 4(3): employers of the strategic overhead; § 3(3) and the Voerde minutes:
    # employers of case managers (district, municipalities, a welfare organisation).
    providers=(
        ProviderData(
            "Kreis Wesel",
            "district",
            None,
            "kreis-wesel.example.org",
            LocationData("KIM-Anlaufstelle Kreis Wesel", "Bahnhofstraße 18", "46483", "Wesel", "Wesel"),
        ),
        ProviderData(
            "Stadt Dinslaken",
            "municipality",
            "Dinslaken",
            "dinslaken.example.org",
            LocationData("KIM-Anlaufstelle Dinslaken", "Friedrich-Ebert-Straße 62", "46535", "Dinslaken", "Dinslaken"),
        ),
        ProviderData(
            "Stadt Moers",
            "municipality",
            "Moers",
            "moers.example.org",
            LocationData("KIM-Anlaufstelle Moers", "Homberger Straße 12", "47441", "Moers", "Moers"),
        ),
        ProviderData(
            "Stadt Wesel",
            "municipality",
            "Wesel",
            "stadt-wesel.example.org",
            LocationData("KIM-Anlaufstelle Stadt Wesel", "Großer Markt 5", "46483", "Wesel", "Wesel"),
        ),
        ProviderData(
            "Stadt Voerde",
            "municipality",
            "Voerde",
            "voerde.example.org",
            LocationData("KIM-Anlaufstelle Voerde", "Frankfurter Straße 40", "46562", "Voerde", "Voerde"),
        ),
        ProviderData(
            "Caritasverband Moers-Xanten e.V.",
            "welfare",
            None,
            "caritas-moers-xanten.example.org",
            LocationData("KIM-Anlaufstelle Caritas Xanten", "Marsstraße 21", "46509", "Xanten", "Xanten"),
        ),
    ),
    # With demo.coordinator and demo.casemanager (both Kreis Wesel): 7 coordinators (Kreis Wesel 4,
    # Dinslaken, Moers, Wesel 1 each) and 11 case managers (Kreis Wesel 4, Moers 2, Dinslaken 2,
    # Wesel 1, Voerde 1, Caritas 1).
    staff=(
        StaffData("Claudia", "Terhorst", "coordinator", "Kreis Wesel"),
        StaffData("Serkan", "Öztürk", "coordinator", "Kreis Wesel"),
        StaffData("Miriam", "Kowalczyk", "coordinator", "Kreis Wesel"),
        StaffData("Daniel", "Sievers", "coordinator", "Stadt Dinslaken"),
        StaffData("Yasemin", "Çelik", "coordinator", "Stadt Moers"),
        StaffData("Andreas", "Janßen", "coordinator", "Stadt Wesel"),
        StaffData("Lena", "Brinkmann", "case_manager", "Kreis Wesel"),
        StaffData("Alexander", "Friesen", "case_manager", "Kreis Wesel"),
        StaffData("Samira", "El-Amrani", "case_manager", "Kreis Wesel"),
        StaffData("Kerstin", "Verhoeven", "case_manager", "Stadt Voerde"),
        StaffData("Zeynep", "Arslan", "case_manager", "Stadt Moers"),
        StaffData("Piotr", "Zieliński", "case_manager", "Stadt Moers"),
        StaffData("Hatice", "Yıldız", "case_manager", "Stadt Dinslaken"),
        StaffData("Jonas", "Kemper", "case_manager", "Stadt Dinslaken"),
        StaffData("Maria", "Papadopoulou", "case_manager", "Stadt Wesel"),
        StaffData("Omar", "Nasser", "case_manager", "Caritasverband Moers-Xanten e.V."),
    ),
)


# --- Land Nordrhein-Westfalen ---------------------------------------------------------------

STATE = TenantData(
    name="Land Nordrhein-Westfalen",
    slug="land-nrw",
    kind="state",
    email_domain="land-nrw.example.org",
    municipalities=(),
    providers=(),
    staff=(),
)

TENANTS = (COESFELD, WESEL, STATE)


# --- Demo logins: exactly one per role ------------------------------------------------------

DEMO_LOGINS = (
    DemoLogin(
        "demo.casemanager",
        "Nadia",
        "Rahimi",
        "nadia.rahimi@kreis-wesel.example.org",
        (DemoMembership("kreis-wesel", "case_manager", "Kreis Wesel"),),
    ),
    DemoLogin(
        "demo.coordinator",
        "Stefan",
        "Lindner",
        "stefan.lindner@kreis-wesel.example.org",
        (
            DemoMembership("kreis-wesel", "coordinator", "Kreis Wesel"),
            # A second tenant, to show switching between tenants.
            DemoMembership("kreis-coesfeld", "coordinator", COESFELD_DISTRICT),
        ),
    ),
    DemoLogin(
        "demo.providerlead",
        "Aleksandra",
        "Wójcik",
        "aleksandra.wojcik@moers.example.org",
        (DemoMembership("kreis-wesel", "provider_lead", "Stadt Moers"),),
    ),
    DemoLogin(
        "demo.funding",
        "Ingrid",
        "Bäumer",
        "ingrid.baeumer@kreis-wesel.example.org",
        (DemoMembership("kreis-wesel", "funding_clerk", None),),
    ),
    DemoLogin(
        "demo.committee",
        "Karim",
        "Mansour",
        "karim.mansour@kreis-wesel.example.org",
        (DemoMembership("kreis-wesel", "committee_member", None),),
    ),
    DemoLogin(
        "demo.dpo",
        "Irina",
        "Dück",
        "irina.dueck@kreis-wesel.example.org",
        (DemoMembership("kreis-wesel", "data_protection_officer", None),),
    ),
    DemoLogin(
        "demo.admin",
        "Murat",
        "Güneş",
        "murat.guenes@kreis-wesel.example.org",
        (DemoMembership("kreis-wesel", "tenant_admin", None),),
    ),
    DemoLogin(
        "demo.state",
        "Henrike",
        "Albers",
        "henrike.albers@land-nrw.example.org",
        (DemoMembership("land-nrw", "state_analyst", None),),
    ),
)
