"""What the demo cases are made of: partner agencies, countries of origin, streets, and the
German texts of situations, goals, contacts, referrals, barriers and closures (all invented).
The plan and build of the cases live in :mod:`lotse.demo.cases`."""

from __future__ import annotations

from typing import NamedTuple

from lotse.cases.domains import LifeDomain
from lotse.cases.models import (
    ClosureReason,
    GoalStatus,
    StepActor,
)
from lotse.network.models import AgencyKind

SEED = "lotse-demo-cases-2026"

# Usernames of the demo logins that appear in the case data.
DEMO_CASE_MANAGER = "demo.casemanager"
DEMO_COORDINATOR = "demo.coordinator"

D = LifeDomain
K = AgencyKind
A = StepActor


# === Partner directory ======================================================================


class AgencySpec(NamedTuple):
    name: str
    kind: str  # AgencyKind
    topics: tuple[str, ...]  # life domains the agency is referred to for
    address: str
    phone: str
    email: str
    contact_person: str = ""
    own_case_management: bool = False  # SGB II / III / VIII: a case can be handed over to it


WESEL_AGENCIES = (
    AgencySpec(
        "Ausländerbehörde Kreis Wesel",
        K.IMMIGRATION_OFFICE,
        (D.RESIDENCE, D.WORK, D.FAMILY),
        "Reeser Landstraße 31, 46483 Wesel",
        "0281 207-4410",
        "auslaenderbehoerde@kreis-wesel.example.org",
        "Frau Hendricks",
    ),
    AgencySpec(
        "Ausländerbehörde Stadt Moers",
        K.IMMIGRATION_OFFICE,
        (D.RESIDENCE, D.WORK),
        "Rathausplatz 1, 47441 Moers",
        "02841 201-3320",
        "auslaenderbehoerde@moers.example.org",
    ),
    AgencySpec(
        "Ausländerbehörde Stadt Dinslaken",
        K.IMMIGRATION_OFFICE,
        (D.RESIDENCE, D.WORK),
        "Platz d'Agen 1, 46535 Dinslaken",
        "02064 66-3150",
        "auslaenderbehoerde@dinslaken.example.org",
    ),
    AgencySpec(
        "Einbürgerungsbehörde Kreis Wesel",
        K.NATURALISATION_OFFICE,
        (D.NATURALISATION,),
        "Reeser Landstraße 31, 46483 Wesel",
        "0281 207-4470",
        "einbuergerung@kreis-wesel.example.org",
        "Herr Terwey",
    ),
    AgencySpec(
        "Jobcenter Kreis Wesel",
        K.JOBCENTER,
        (D.WORK, D.INCOME, D.LANGUAGE),
        "Kreuzstraße 12, 46483 Wesel",
        "0281 9620-0",
        "jobcenter@kreis-wesel.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Agentur für Arbeit Wesel",
        K.EMPLOYMENT_AGENCY,
        (D.WORK, D.EDUCATION),
        "Reeser Landstraße 61, 46483 Wesel",
        "0800 4555500",
        "wesel@arbeitsagentur.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Jugendamt Kreis Wesel",
        K.YOUTH_OFFICE,
        (D.FAMILY, D.EDUCATION),
        "Reeser Landstraße 31, 46483 Wesel",
        "0281 207-5100",
        "jugendamt@kreis-wesel.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Jugendamt Stadt Moers",
        K.YOUTH_OFFICE,
        (D.FAMILY,),
        "Unterwallstraße 9, 47441 Moers",
        "02841 201-5500",
        "jugendamt@moers.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Schulamt für den Kreis Wesel",
        K.SCHOOL_OFFICE,
        (D.EDUCATION,),
        "Reeser Landstraße 31, 46483 Wesel",
        "0281 207-6300",
        "schulamt@kreis-wesel.example.org",
    ),
    AgencySpec(
        "Migrationsberatung für Erwachsene (MBE) – Caritas Moers-Xanten",
        K.MBE,
        (D.RESIDENCE, D.INCOME, D.PARTICIPATION, D.LANGUAGE),
        "Haagstraße 11, 47441 Moers",
        "02841 9010-40",
        "mbe@caritas-moers-xanten.example.org",
    ),
    AgencySpec(
        "Migrationsberatung für Erwachsene (MBE) – Diakonisches Werk Dinslaken",
        K.MBE,
        (D.RESIDENCE, D.INCOME, D.PARTICIPATION),
        "Duisburger Straße 103, 46535 Dinslaken",
        "02064 4369-20",
        "mbe@diakonie-dinslaken.example.org",
    ),
    AgencySpec(
        "Jugendmigrationsdienst (JMD) Moers",
        K.JMD,
        (D.EDUCATION, D.WORK, D.LANGUAGE),
        "Neustraße 23, 47441 Moers",
        "02841 8870-12",
        "jmd@moers.example.org",
    ),
    AgencySpec(
        "VHS Wesel-Hamminkeln-Schermbeck – Integrationskurse",
        K.COURSE_PROVIDER,
        (D.LANGUAGE,),
        "Ritterstraße 10, 46483 Wesel",
        "0281 2032-300",
        "integrationskurse@vhs-wesel.example.org",
    ),
    AgencySpec(
        "VHS Moers – Kamp-Lintfort – Integrationskurse",
        K.COURSE_PROVIDER,
        (D.LANGUAGE,),
        "Wilhelm-Schroeder-Straße 10, 47441 Moers",
        "02841 201-565",
        "integrationskurse@vhs-moers.example.org",
    ),
    AgencySpec(
        "VHS Dinslaken-Voerde-Hünxe – Integrationskurse",
        K.COURSE_PROVIDER,
        (D.LANGUAGE,),
        "Friedrich-Ebert-Straße 84, 46535 Dinslaken",
        "02064 41-3500",
        "integrationskurse@vhs-dinslaken.example.org",
    ),
    AgencySpec(
        "Sozialamt Kreis Wesel",
        K.SOCIAL_OFFICE,
        (D.INCOME, D.HOUSING),
        "Reeser Landstraße 31, 46483 Wesel",
        "0281 207-5000",
        "sozialamt@kreis-wesel.example.org",
    ),
    AgencySpec(
        "Gesundheitsamt Kreis Wesel",
        K.HEALTH,
        (D.HEALTH,),
        "Jurastraße 1, 47441 Moers",
        "0281 207-7000",
        "gesundheitsamt@kreis-wesel.example.org",
    ),
    AgencySpec(
        "Psychosoziales Zentrum für Geflüchtete Niederrhein",
        K.COUNSELLING,
        (D.HEALTH,),
        "Homberger Straße 80, 47441 Moers",
        "02841 99881-0",
        "psz@niederrhein.example.org",
    ),
    AgencySpec(
        "Anerkennungsberatung IQ Netzwerk NRW (Niederrhein)",
        K.COUNSELLING,
        (D.WORK, D.EDUCATION),
        "Hohe Straße 4, 46483 Wesel",
        "0281 16392-11",
        "anerkennung@iq-niederrhein.example.org",
    ),
    AgencySpec(
        "Schuldner- und Insolvenzberatung Diakonie im Kirchenkreis Wesel",
        K.COUNSELLING,
        (D.INCOME, D.HOUSING),
        "Korbmacherstraße 14, 46483 Wesel",
        "0281 15620-30",
        "schuldnerberatung@diakonie-wesel.example.org",
    ),
)

COESFELD_AGENCIES = (
    AgencySpec(
        "Ausländerbehörde Kreis Coesfeld",
        K.IMMIGRATION_OFFICE,
        (D.RESIDENCE, D.WORK, D.FAMILY),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-3200",
        "auslaenderbehoerde@kreis-coesfeld.example.org",
        "Frau Schulze Althoff",
    ),
    AgencySpec(
        "Einbürgerungsbehörde Kreis Coesfeld",
        K.NATURALISATION_OFFICE,
        (D.NATURALISATION,),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-3260",
        "einbuergerung@kreis-coesfeld.example.org",
    ),
    AgencySpec(
        "Jobcenter Kreis Coesfeld",
        K.JOBCENTER,
        (D.WORK, D.INCOME, D.LANGUAGE),
        "Borkener Straße 13, 48653 Coesfeld",
        "02541 9410-0",
        "jobcenter@kreis-coesfeld.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Agentur für Arbeit Coesfeld",
        K.EMPLOYMENT_AGENCY,
        (D.WORK, D.EDUCATION),
        "Holtwicker Straße 1, 48653 Coesfeld",
        "0800 4555500",
        "coesfeld@arbeitsagentur.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Jugendamt Kreis Coesfeld",
        K.YOUTH_OFFICE,
        (D.FAMILY, D.EDUCATION),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-5100",
        "jugendamt@kreis-coesfeld.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Jugendamt Stadt Dülmen",
        K.YOUTH_OFFICE,
        (D.FAMILY,),
        "Overbergplatz 3, 48249 Dülmen",
        "02594 12-5010",
        "jugendamt@duelmen.example.org",
        own_case_management=True,
    ),
    AgencySpec(
        "Schulamt für den Kreis Coesfeld",
        K.SCHOOL_OFFICE,
        (D.EDUCATION,),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-4010",
        "schulamt@kreis-coesfeld.example.org",
    ),
    AgencySpec(
        "Migrationsberatung für Erwachsene (MBE) – Caritasverband für den Kreis Coesfeld",
        K.MBE,
        (D.RESIDENCE, D.INCOME, D.PARTICIPATION, D.LANGUAGE),
        "Kupferstraße 7, 48653 Coesfeld",
        "02541 8930-25",
        "mbe@caritas-coesfeld.example.org",
    ),
    AgencySpec(
        "Jugendmigrationsdienst (JMD) Kreis Coesfeld",
        K.JMD,
        (D.EDUCATION, D.WORK, D.LANGUAGE),
        "Letter Straße 3, 48653 Coesfeld",
        "02541 7460-33",
        "jmd@coesfeld.example.org",
    ),
    AgencySpec(
        "VHS Coesfeld – Integrationskurse",
        K.COURSE_PROVIDER,
        (D.LANGUAGE,),
        "Osterwicker Straße 29, 48653 Coesfeld",
        "02541 9508-0",
        "integrationskurse@vhs-coesfeld.example.org",
    ),
    AgencySpec(
        "VHS Dülmen – Haltern am See – Havixbeck – Integrationskurse",
        K.COURSE_PROVIDER,
        (D.LANGUAGE,),
        "Königswall 43, 48249 Dülmen",
        "02594 12-620",
        "integrationskurse@vhs-duelmen.example.org",
    ),
    AgencySpec(
        "Sozialamt Kreis Coesfeld",
        K.SOCIAL_OFFICE,
        (D.INCOME, D.HOUSING),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-5000",
        "sozialamt@kreis-coesfeld.example.org",
    ),
    AgencySpec(
        "Gesundheitsamt Kreis Coesfeld",
        K.HEALTH,
        (D.HEALTH,),
        "Schützenwall 18, 48653 Coesfeld",
        "02541 18-5300",
        "gesundheitsamt@kreis-coesfeld.example.org",
    ),
    AgencySpec(
        "Psychosoziales Zentrum Münsterland",
        K.COUNSELLING,
        (D.HEALTH,),
        "Hafenweg 9, 48155 Münster",
        "0251 1445-70",
        "psz@muensterland.example.org",
    ),
    AgencySpec(
        "Anerkennungsberatung IQ Netzwerk NRW (Münsterland)",
        K.COUNSELLING,
        (D.WORK, D.EDUCATION),
        "Bahnhofstraße 26, 48653 Coesfeld",
        "02541 9276-14",
        "anerkennung@iq-muensterland.example.org",
    ),
    AgencySpec(
        "Schuldnerberatung des Caritasverbands Coesfeld",
        K.COUNSELLING,
        (D.INCOME, D.HOUSING),
        "Kupferstraße 7, 48653 Coesfeld",
        "02541 8930-40",
        "schuldnerberatung@caritas-coesfeld.example.org",
    ),
)


# === Countries of origin and fictitious names ===============================================


class Origin(NamedTuple):
    """A country of origin: name pools, languages and typical residence situations."""

    key: str
    nationality: str
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[str, ...]  # for pseudonyms ("Familie aus Aleppo 3")
    languages: str
    interpreter_language: str
    form_language: str  # ClientLanguage of information sheet and forms
    interpreter_share: float
    residence: tuple[tuple[int, str], ...]  # (need level, situation)


ORIGINS = (
    Origin(
        "SY",
        "syrisch",
        24,
        ("Rasha", "Hala", "Lama", "Ruba", "Ghada", "Diala", "Bushra", "Souad", "Hiba", "Razan"),
        ("Firas", "Hussam", "Tarek", "Bassel", "Ayham", "Wassim", "Khaled", "Mazen", "Nizar", "Ammar"),
        ("Darwish", "Sabbagh", "Kabbani", "Halabi", "Atassi", "Jabri", "Khoury", "Nahhas", "Qassem", "Tarabishi"),
        ("Aleppo", "Damaskus", "Homs", "Idlib", "Hasaka", "Qamischli"),
        "Arabisch, Kurdisch (Kurmandschi)",
        "Arabisch",
        "ar",
        0.55,
        (
            (
                1,
                "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG (subsidiärer Schutz), gültig bis Ende nächsten Jahres.",
            ),
            (2, "Aufenthaltserlaubnis läuft in drei Monaten ab; Passbeschaffung bei der Botschaft schwierig."),
            (0, "Niederlassungserlaubnis nach § 26 Abs. 3 AufenthG."),
            (3, "Aufenthaltsgestattung; Asylverfahren seit über einem Jahr offen, Anhörung beim BAMF steht aus."),
        ),
    ),
    Origin(
        "UA",
        "ukrainisch",
        22,
        ("Oksana", "Tetiana", "Olena", "Halyna", "Svitlana", "Liudmyla", "Yuliia", "Khrystyna", "Kateryna"),
        ("Andrii", "Oleksandr", "Serhii", "Dmytro", "Vasyl", "Bohdan", "Taras", "Yurii", "Mykola"),
        ("Shevchuk", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Oliinyk", "Lysenko", "Hnatiuk"),
        ("Kyjiw", "Charkiw", "Odesa", "Dnipro", "Mariupol", "Saporischschja"),
        "Ukrainisch, Russisch",
        "Ukrainisch",
        "uk",
        0.45,
        (
            (1, "Aufenthaltserlaubnis nach § 24 AufenthG (vorübergehender Schutz); Verlängerung beantragt."),
            (2, "Fiktionsbescheinigung; Termin zur Abholung des elektronischen Aufenthaltstitels noch nicht vergeben."),
            (0, "Aufenthaltserlaubnis nach § 24 AufenthG, gültig bis zum Ende der EU-Regelung."),
        ),
    ),
    Origin(
        "AF",
        "afghanisch",
        12,
        ("Mursal", "Fereshta", "Zarghuna", "Shabnam", "Mahbooba", "Nilofar", "Parwana", "Hosai"),
        ("Wahid", "Jawed", "Naweed", "Sohail", "Mirwais", "Zabihullah", "Ajmal", "Hamidullah"),
        ("Noorzai", "Stanikzai", "Popal", "Hotak", "Wardak", "Sultani", "Haidari", "Rasuli", "Amiri"),
        ("Kabul", "Herat", "Mazar-e Scharif", "Kandahar"),
        "Dari, Paschtu",
        "Dari",
        "fa",
        0.7,
        (
            (3, "Duldung nach Ablehnung des Asylantrags; Klage beim Verwaltungsgericht anhängig."),
            (2, "Aufenthaltsgestattung; Asylverfahren läuft."),
            (1, "Aufenthaltserlaubnis nach § 25 Abs. 3 AufenthG (Abschiebungsverbot)."),
            (1, "Aufnahme über das Bundesaufnahmeprogramm, Aufenthaltserlaubnis nach § 23 Abs. 2 AufenthG."),
        ),
    ),
    Origin(
        "TR",
        "türkisch",
        9,
        ("Gülsüm", "Sevgi", "Derya", "Hülya", "Songül", "Aysel", "Gönül"),
        ("Hüseyin", "Recep", "Cemal", "Volkan", "Barış", "Ercan", "Ümit"),
        ("Aksoy", "Doğan", "Şahin", "Polat", "Karakaya", "Erdem", "Kılıç", "Tekin", "Uçar"),
        ("Diyarbakır", "Gaziantep", "Izmir", "Van", "Istanbul"),
        "Türkisch, Kurdisch (Kurmandschi)",
        "Türkisch",
        "tr",
        0.4,
        (
            (2, "Aufenthaltsgestattung; Asylantrag gestellt, Anhörung erfolgt."),
            (1, "Aufenthaltserlaubnis zum Ehegattennachzug nach § 30 AufenthG."),
            (0, "Niederlassungserlaubnis."),
        ),
    ),
    Origin(
        "IQ",
        "irakisch",
        9,
        ("Shilan", "Avin", "Zainab", "Rawa", "Lavin", "Shno"),
        ("Hawkar", "Karwan", "Rebwar", "Haider", "Sarmad", "Dilshad"),
        ("Aziz", "Rashid", "Saleh", "Mahmoud", "Jabbar", "Hawrami", "Zangana", "Dizayee"),
        ("Mossul", "Erbil", "Sulaimaniya", "Bagdad", "Sindschar"),
        "Kurdisch (Sorani), Arabisch",
        "Kurdisch (Sorani)",
        "ar",
        0.6,
        (
            (3, "Duldung; die Ausländerbehörde verlangt die Klärung der Identität."),
            (2, "Aufenthaltsgestattung, Asylverfahren läuft."),
            (1, "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG (Flüchtlingseigenschaft)."),
        ),
    ),
    Origin(
        "ER",
        "eritreisch",
        5,
        ("Mebrat", "Senait", "Luwam", "Freweini", "Selamawit"),
        ("Dawit", "Yonas", "Tesfay", "Kidane", "Biniam", "Efrem"),
        ("Tesfamariam", "Ghebreyesus", "Berhane", "Woldu", "Habte", "Kahsay", "Mehari", "Tekle"),
        ("Asmara", "Keren", "Massawa"),
        "Tigrinya",
        "Tigrinya",
        "en",
        0.75,
        (
            (1, "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG; Reiseausweis für Ausländer beantragt."),
            (2, "Familiennachzug des Ehepartners hängt seit Monaten bei der Auslandsvertretung."),
        ),
    ),
    Origin(
        "GN",
        "guineisch",
        4,
        ("Mariama", "Fatoumata", "Aissatou", "Kadiatou"),
        ("Mamadou", "Ibrahima", "Ousmane", "Thierno", "Sekou", "Boubacar"),
        ("Diallo", "Barry", "Camara", "Condé", "Keita", "Soumah", "Touré", "Sylla", "Baldé"),
        ("Conakry", "Kankan", "Labé"),
        "Französisch, Pular",
        "Französisch",
        "en",
        0.5,
        (
            (3, "Duldung; eine Beschäftigungsduldung nach § 60d AufenthG wird geprüft."),
            (3, "Ausreisepflichtig, Duldung jeweils für drei Monate."),
            (2, "Ausbildungsduldung beantragt."),
        ),
    ),
    Origin(
        "IR",
        "iranisch",
        5,
        ("Shirin", "Maryam", "Parisa", "Golnaz", "Azadeh", "Setareh"),
        ("Babak", "Behrouz", "Kaveh", "Arash", "Dariush", "Siavash"),
        ("Hosseini", "Moradi", "Jafari", "Sadeghi", "Tehrani", "Farahani", "Mousavi", "Rostami", "Kazemi"),
        ("Teheran", "Schiras", "Isfahan", "Täbris"),
        "Persisch (Farsi), Englisch",
        "Farsi",
        "fa",
        0.35,
        (
            (2, "Aufenthaltsgestattung; Asylverfahren nach Konversion anhängig."),
            (1, "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG."),
        ),
    ),
    Origin(
        "RO",
        "rumänisch",
        6,
        ("Ioana", "Andreea", "Florentina", "Mihaela", "Georgiana"),
        ("Ionuț", "Florin", "Cătălin", "Bogdan", "Constantin"),
        ("Popescu", "Ionescu", "Dumitru", "Stoica", "Munteanu", "Lupu", "Dobre", "Niculescu"),
        ("Bukarest", "Craiova", "Iași", "Constanța"),
        "Rumänisch",
        "Rumänisch",
        "en",
        0.4,
        (
            (0, "Freizügigkeitsberechtigt als Unionsbürger*in."),
            (1, "Freizügigkeit als Arbeitsuchende*r; die Ausländerbehörde fragt Nachweise der Erwerbstätigkeit an."),
        ),
    ),
    Origin(
        "PL",
        "polnisch",
        4,
        ("Katarzyna", "Małgorzata", "Joanna", "Dorota", "Beata"),
        ("Krzysztof", "Tomasz", "Paweł", "Marcin", "Grzegorz", "Łukasz"),
        ("Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Wieczorek", "Michalak", "Pawlak", "Sikora"),
        ("Wrocław", "Kraków", "Łódź", "Gdańsk"),
        "Polnisch",
        "Polnisch",
        "de",
        0.3,
        (
            (0, "Freizügigkeitsberechtigt als Unionsbürger*in."),
            (1, "Freizügigkeit; Anmeldung beim Bürgerbüro fehlt noch."),
        ),
    ),
)

EU_ORIGINS = frozenset({"RO", "PL"})  # Unionsbürger*innen: freedom of movement, no residence permit

STREETS = (
    "Lindenstraße",
    "Gartenstraße",
    "Schulstraße",
    "Am Mühlenbach",
    "Kirchstraße",
    "Feldstraße",
    "Birkenweg",
    "Ringstraße",
    "Hauptstraße",
    "Blumenstraße",
    "Am Stadtpark",
    "Wiesenweg",
    "Goethestraße",
    "Friedhofstraße",
    "Lessingstraße",
    "Eichendorffstraße",
    "Parkstraße",
    "Sandstraße",
)

POSTAL_CODES = {
    # Kreis Wesel
    "Alpen": "46519",
    "Dinslaken": "46535",
    "Hamminkeln": "46499",
    "Hünxe": "46569",
    "Kamp-Lintfort": "47475",
    "Moers": "47441",
    "Neukirchen-Vluyn": "47506",
    "Rheinberg": "47495",
    "Schermbeck": "46514",
    "Sonsbeck": "47665",
    "Voerde": "46562",
    "Wesel": "46483",
    "Xanten": "46509",
    # Kreis Coesfeld
    "Ascheberg": "59387",
    "Billerbeck": "48727",
    "Coesfeld": "48653",
    "Dülmen": "48249",
    "Havixbeck": "48329",
    "Lüdinghausen": "59348",
    "Nordkirchen": "59394",
    "Nottuln": "48301",
    "Olfen": "59399",
    "Rosendahl": "48720",
    "Senden": "48308",
}


# === Texts of case work (no client is named in any of them) =================================

# Need levels 0-3 (NeedLevel) → situations. The first residence text comes from the origin.
SITUATIONS: dict[str, dict[int, tuple[str, ...]]] = {
    D.RESIDENCE: {
        3: ("Duldung; die Perspektive ist weiter ungeklärt.",),
        2: ("Verlängerung des Aufenthaltstitels beantragt; Fiktionsbescheinigung liegt vor.",),
        1: ("Aufenthaltstitel verlängert; die nächste Verlängerung steht in einem Jahr an.",),
        0: ("Aufenthalt gesichert (Niederlassungserlaubnis bzw. Freizügigkeit).",),
    },
    D.LANGUAGE: {
        3: (
            "Keine Deutschkenntnisse; Alphabetisierung in lateinischer Schrift erforderlich.",
            "Keine Deutschkenntnisse, bisher kein Kursplatz; Verständigung nur mit Sprachmittlung.",
        ),
        2: (
            "Deutsch auf Niveau A1; Integrationskurs beantragt.",
            "Integrationskurs wegen fehlender Kinderbetreuung abgebrochen, Niveau A2 nicht erreicht.",
            "Deutsch A2; Berechtigungsschein für den Integrationskurs liegt vor, Wartezeit auf einen Kursplatz.",
        ),
        1: (
            "Deutsch auf Niveau B1 (DTZ bestanden); Berufssprachkurs B2 sinnvoll.",
            "Deutsch A2/B1, verständigt sich im Alltag gut; Behördenschreiben bleiben schwierig.",
        ),
        0: ("Deutsch auf Niveau B2.", "Sehr gute Deutschkenntnisse (C1)."),
    },
    D.EDUCATION: {
        3: (
            "Schulpflichtiges Kind seit der Zuweisung ohne Schulplatz.",
            "Keine Schulbildung im Herkunftsland; Grundbildung nötig.",
        ),
        2: (
            "Schulabschluss aus dem Herkunftsland; Zeugnisbewertung bei der ZAB fehlt.",
            "Kind in der Seiteneinsteigerklasse, Wechsel in die Regelklasse steht an.",
        ),
        1: (
            "Sekundarschulabschluss vorhanden, Zeugnisbewertung beantragt.",
            "Kinder besuchen die Grundschule, Förderbedarf in Deutsch.",
        ),
        0: ("Hochschulreife im Herkunftsland, Zeugnisbewertung liegt vor.", "Keine Bildungsfragen offen."),
    },
    D.WORK: {
        3: (
            "Keine Beschäftigungserlaubnis, obwohl ein Arbeitsangebot vorliegt.",
            "Ohne Arbeit und Ausbildung, keine Anbindung an Jobcenter oder Agentur für Arbeit.",
        ),
        2: (
            "Berufserfahrung als Elektriker, Abschluss nicht anerkannt; arbeitet als Helfer.",
            "Ausbildung in der Pflege im Herkunftsland; Anerkennungsverfahren läuft.",
            "Sucht einen Ausbildungsplatz im Handwerk.",
            "Studium der Betriebswirtschaft im Herkunftsland, arbeitet in der Reinigung.",
        ),
        1: (
            "Minijob in der Gastronomie, möchte in Vollzeit arbeiten.",
            "In einer Einstiegsqualifizierung (EQ) bei einem Betrieb vor Ort.",
        ),
        0: ("Sozialversicherungspflichtig beschäftigt.", "In betrieblicher Ausbildung (Einzelhandel)."),
    },
    D.HOUSING: {
        3: (
            "Lebt seit über einem Jahr in der Gemeinschaftsunterkunft; Wohnungssuche bisher erfolglos.",
            "Räumungsklage wegen Mietrückständen angekündigt.",
        ),
        2: (
            "Wohnung für die Familie deutlich zu klein (fünf Personen, zwei Zimmer).",
            "Wohnsitzauflage verhindert den Umzug in die Nähe des Arbeitsplatzes.",
            "Schimmel in der Wohnung, der Vermieter reagiert nicht.",
        ),
        1: ("Eigene Wohnung; Nebenkostennachzahlung offen.", "Wohnberechtigungsschein beantragt."),
        0: ("Eigene, angemessene Wohnung.",),
    },
    D.HEALTH: {
        3: (
            "Psychische Belastung nach der Flucht; Psychotherapie mit Sprachmittlung nicht verfügbar.",
            "Chronische Erkrankung, fachärztliche Anbindung fehlt.",
        ),
        2: (
            "Krankenversicherungsschutz ungeklärt (Lücke nach Ende der Beschäftigung).",
            "Schwangerschaft; Anbindung an eine Hebamme fehlt.",
        ),
        1: ("Hausärztliche Versorgung besteht; Vorsorgeuntersuchungen der Kinder nachholen.",),
        0: ("Keine gesundheitlichen Einschränkungen bekannt.",),
    },
    D.FAMILY: {
        3: ("Alleinerziehend mit drei Kindern, kein Kita-Platz.", "Das Jugendamt ist wegen einer Krise eingebunden."),
        2: (
            "Familiennachzug der Kinder beantragt, Termin bei der Botschaft steht aus.",
            "Kein Kita-Platz für das jüngste Kind; Integrationskurs deshalb nicht möglich.",
        ),
        1: ("Kinder gut versorgt; Unterstützung beim Elterngeld- und Kindergeldantrag.",),
        0: ("Keine Unterstützung im Bereich Familie nötig.",),
    },
    D.INCOME: {
        3: ("Leistungen ruhen wegen fehlender Unterlagen; keine Einkünfte.", "Hohe Schulden (Miete, Handyverträge)."),
        2: (
            "Weiterbewilligungsantrag SGB II überfällig.",
            "Wechsel vom AsylbLG ins SGB II steht an; Antrag beim Jobcenter noch nicht gestellt.",
            "Kindergeld abgelehnt, Widerspruch wird geprüft.",
        ),
        1: (
            "Ergänzende Leistungen nach dem SGB II; Bescheide müssen erklärt werden.",
            "Wohngeld und Kinderzuschlag kommen in Betracht.",
        ),
        0: ("Das Einkommen sichert den Lebensunterhalt.",),
    },
    D.PARTICIPATION: {
        3: ("Sozial isoliert, keine Kontakte außerhalb der Familie.",),
        2: (
            "Wenige Kontakte; Interesse an Ehrenamt und Sportverein.",
            "Kinder nehmen an keinen Freizeitangeboten teil; Leistungen für Bildung und Teilhabe nicht beantragt.",
        ),
        1: ("Besucht gelegentlich das Begegnungscafé.",),
        0: ("Aktiv im Sportverein und in der Kirchengemeinde bzw. Moscheegemeinde.",),
    },
    D.NATURALISATION: {
        3: ("Einbürgerung scheitert bisher an der Klärung der Identität.",),
        2: ("Möchte sich einbürgern lassen; Sprachnachweis B1 und Einbürgerungstest fehlen noch.",),
        1: ("Einbürgerungsantrag gestellt, die Bearbeitung dauert an.", "Einbürgerungstest bestanden."),
        0: ("Derzeit kein Thema.",),
    },
}

RESOURCES: dict[str, tuple[str, ...]] = {
    D.RESIDENCE: ("Alle Unterlagen liegen geordnet vor.", "Verfahrensberatung ist eingebunden."),
    D.LANGUAGE: (
        "Englisch fließend.",
        "Lernt täglich mit einer Sprach-App.",
        "Besucht das Sprachcafé der Kirchengemeinde.",
        "Französisch und Englisch.",
    ),
    D.EDUCATION: ("Hoher Bildungswunsch.", "Zeugnisse im Original vorhanden."),
    D.WORK: (
        "Mehrjährige Berufserfahrung.",
        "Führerschein Klasse B.",
        "Hohe Motivation, sucht aktiv.",
        "Kontakte zu einem Handwerksbetrieb.",
    ),
    D.HOUSING: ("Unterstützung durch Ehrenamtliche bei der Wohnungssuche.",),
    D.HEALTH: ("Hausarzt mit Arabisch- bzw. Russischkenntnissen in der Nähe.",),
    D.FAMILY: ("Großeltern im Haushalt unterstützen bei der Kinderbetreuung.", "Stabiler Familienzusammenhalt."),
    D.INCOME: ("Führt ein Haushaltsbuch.",),
    D.PARTICIPATION: ("Engagiert sich ehrenamtlich bei der Tafel.", "Spielt Fußball im Verein."),
    D.NATURALISATION: ("Lebt seit acht Jahren in Deutschland.",),
}


class GoalSpec(NamedTuple):
    text: str
    steps: tuple[tuple[str, str], ...]  # (step, StepActor)


GOALS: dict[str, tuple[GoalSpec, ...]] = {
    D.LANGUAGE: (
        GoalSpec(
            "Integrationskurs bis zum Sprachniveau B1 abschließen",
            (
                ("Antrag auf Zulassung zum Integrationskurs beim BAMF stellen", A.CLIENT),
                ("Kursplatz mit Kinderbetreuung bei der VHS anfragen", A.CASE_MANAGER),
                ("Einstufungstest absolvieren", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Berufssprachkurs B2 beginnen",
            (
                ("Berechtigung für den Berufssprachkurs mit dem Jobcenter klären", A.CASE_MANAGER),
                ("Beim Kursträger anmelden", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Alphabetisierungskurs besuchen",
            (
                ("Kursträger mit Alphabetisierungskurs in der Nähe suchen", A.CASE_MANAGER),
                ("Fahrtkostenerstattung beantragen", A.CLIENT),
            ),
        ),
    ),
    D.RESIDENCE: (
        GoalSpec(
            "Aufenthaltstitel rechtzeitig verlängern",
            (
                ("Unterlagen für den Verlängerungsantrag zusammenstellen", A.CLIENT),
                ("Termin bei der Ausländerbehörde vereinbaren", A.CASE_MANAGER),
                ("Nationalpass bei der Botschaft beantragen", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Perspektive für einen sicheren Aufenthalt klären",
            (
                ("Beratung bei der Migrationsberatung vermitteln", A.CASE_MANAGER),
                ("Voraussetzungen einer Beschäftigungsduldung prüfen lassen", A.PARTNER),
            ),
        ),
    ),
    D.EDUCATION: (
        GoalSpec(
            "Schulplatz für das schulpflichtige Kind sichern",
            (
                ("Anmeldung beim Schulamt begleiten", A.CASE_MANAGER),
                ("Impfnachweis und Unterlagen vorlegen", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Ausländischen Schulabschluss bewerten lassen",
            (
                ("Zeugnisse übersetzen lassen", A.CLIENT),
                ("Antrag auf Zeugnisbewertung bei der ZAB stellen", A.CLIENT),
            ),
        ),
    ),
    D.WORK: (
        GoalSpec(
            "Ausländischen Berufsabschluss anerkennen lassen",
            (
                ("Anerkennungsberatung vermitteln", A.CASE_MANAGER),
                ("Unterlagen übersetzen und beglaubigen lassen", A.CLIENT),
                ("Antrag bei der zuständigen Stelle einreichen", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Sozialversicherungspflichtige Beschäftigung aufnehmen",
            (
                ("Lebenslauf und Bewerbungsunterlagen erstellen", A.CLIENT),
                ("Termin bei der Arbeitsvermittlung vereinbaren", A.CASE_MANAGER),
                ("Bei drei Betrieben bewerben", A.CLIENT),
            ),
        ),
        GoalSpec(
            "Ausbildungsplatz finden",
            (
                ("Berufsberatung der Agentur für Arbeit wahrnehmen", A.CLIENT),
                ("Praktikum in einem Betrieb organisieren", A.PARTNER),
            ),
        ),
    ),
    D.HOUSING: (
        GoalSpec(
            "Eigene Wohnung finden",
            (
                ("Wohnberechtigungsschein beantragen", A.CLIENT),
                ("Bei den Wohnungsbaugesellschaften registrieren", A.CLIENT),
                ("Mietobergrenze (KdU) mit dem Leistungsträger klären", A.CASE_MANAGER),
            ),
        ),
        GoalSpec(
            "Wohnungsverlust abwenden",
            (
                ("Übernahme der Mietschulden beantragen", A.CASE_MANAGER),
                ("Gespräch mit dem Vermieter führen", A.CLIENT),
            ),
        ),
    ),
    D.HEALTH: (
        GoalSpec(
            "Psychotherapeutische Versorgung sichern",
            (
                ("Erstgespräch im Psychosozialen Zentrum vermitteln", A.CASE_MANAGER),
                ("Sprachmittlung für die Termine organisieren", A.CASE_MANAGER),
            ),
        ),
        GoalSpec(
            "Krankenversicherungsschutz klären",
            (
                ("Mitgliedschaft bei einer Krankenkasse beantragen", A.CLIENT),
                ("Nachweis an den Arbeitgeber weiterleiten", A.CLIENT),
            ),
        ),
    ),
    D.FAMILY: (
        GoalSpec(
            "Kita-Platz für das jüngste Kind finden",
            (
                ("Im Kita-Portal der Kommune anmelden", A.CLIENT),
                ("Platzvergabe mit dem Jugendamt besprechen", A.CASE_MANAGER),
            ),
        ),
        GoalSpec(
            "Familiennachzug vorbereiten",
            (
                ("Unterlagen für das Visumverfahren zusammenstellen", A.CLIENT),
                ("Stand bei der Auslandsvertretung nachfragen", A.CASE_MANAGER),
            ),
        ),
    ),
    D.INCOME: (
        GoalSpec(
            "Lebensunterhalt sichern",
            (
                ("Weiterbewilligungsantrag beim Jobcenter einreichen", A.CLIENT),
                ("Fehlende Unterlagen nachreichen", A.CLIENT),
                ("Bescheid gemeinsam prüfen", A.CASE_MANAGER),
            ),
        ),
        GoalSpec(
            "Schulden regulieren",
            (("Erstgespräch bei der Schuldnerberatung", A.PARTNER), ("Haushaltsplan erstellen", A.CLIENT)),
        ),
        GoalSpec(
            "Kindergeld und Kinderzuschlag erhalten",
            (("Antrag bei der Familienkasse stellen", A.CLIENT), ("Nachweise zusammenstellen", A.CLIENT)),
        ),
    ),
    D.PARTICIPATION: (
        GoalSpec(
            "Kontakte im Wohnort aufbauen",
            (
                ("Begegnungscafé besuchen", A.CLIENT),
                ("Kontakt zur Ehrenamtsinitiative herstellen", A.CASE_MANAGER),
            ),
        ),
        GoalSpec(
            "Freizeitangebote für die Kinder nutzen",
            (
                ("Leistungen für Bildung und Teilhabe beantragen", A.CLIENT),
                ("Kinder im Sportverein anmelden", A.CLIENT),
            ),
        ),
    ),
    D.NATURALISATION: (
        GoalSpec(
            "Einbürgerung beantragen",
            (
                ("Einbürgerungstest ablegen", A.CLIENT),
                ("Sprachzertifikat B1 vorlegen", A.CLIENT),
                ("Antrag bei der Einbürgerungsbehörde einreichen", A.CLIENT),
            ),
        ),
    ),
}

CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    D.RESIDENCE: (
        "Schreiben der Ausländerbehörde übersetzt und erklärt; Liste der fehlenden Unterlagen erstellt.",
        "Begleitung zum Termin bei der Ausländerbehörde.",
        "Verlängerungsantrag gemeinsam ausgefüllt.",
    ),
    D.LANGUAGE: (
        "Kursanmeldung besprochen; Anmeldebestätigung der VHS liegt vor.",
        "Zwischenstand Integrationskurs: regelmäßige Teilnahme, Prüfung im nächsten Monat.",
        "Informationen zu Alphabetisierungskursen gegeben.",
    ),
    D.EDUCATION: (
        "Schulanmeldung vorbereitet, Unterlagen kopiert.",
        "Gespräch mit der Klassenleitung zur Förderung in Deutsch.",
    ),
    D.WORK: (
        "Lebenslauf überarbeitet, zwei Bewerbungen verschickt.",
        "Unterlagen für die Anerkennung gesichtet; Übersetzungen fehlen noch.",
        "Vorstellungsgespräch vorbereitet.",
    ),
    D.HOUSING: (
        "Wohnungsangebote durchgesehen, Besichtigungstermin vereinbart.",
        "Mietvertrag erklärt; Mietobergrenze mit dem Jobcenter geklärt.",
    ),
    D.HEALTH: ("Termin beim Facharzt organisiert, Sprachmittlung angefragt.",),
    D.FAMILY: ("Kita-Anmeldung im Portal gemeinsam erledigt.", "Unterlagen für den Familiennachzug gesichtet."),
    D.INCOME: (
        "Weiterbewilligungsantrag gemeinsam ausgefüllt und eingereicht.",
        "Bescheid des Jobcenters erklärt; Widerspruchsfrist notiert.",
        "Kindergeldantrag vorbereitet.",
    ),
    D.PARTICIPATION: ("Angebote im Stadtteil vorgestellt; Begleitung zum Begegnungscafé vereinbart.",),
    D.NATURALISATION: ("Voraussetzungen der Einbürgerung erklärt; Termin für den Einbürgerungstest gesucht.",),
}
GENERAL_NOTES = (
    "Stand der vereinbarten Schritte besprochen; nächste Schritte vereinbart.",
    "Kurze telefonische Rückfrage zu einem Behördenschreiben.",
    "Post durchgesehen und Fristen notiert.",
)

REFERRAL_NOTES: dict[str, str] = {
    D.RESIDENCE: "Bitte um einen Termin zur Verlängerung des Aufenthaltstitels.",
    D.LANGUAGE: "Bitte um einen Kursplatz im nächsten Integrationskurs, möglichst mit Kinderbetreuung.",
    D.EDUCATION: "Bitte um Beratung zur Schullaufbahn bzw. Zeugnisbewertung.",
    D.WORK: "Bitte um Beratung zur beruflichen Perspektive und Anerkennung.",
    D.HOUSING: "Bitte um Unterstützung bei drohendem Wohnungsverlust.",
    D.HEALTH: "Bitte um ein Erstgespräch mit Sprachmittlung.",
    D.FAMILY: "Bitte um Beratung zur Kinderbetreuung.",
    D.INCOME: "Bitte um Prüfung der Leistungsansprüche.",
    D.PARTICIPATION: "Bitte um Anbindung an Angebote im Wohnort.",
    D.NATURALISATION: "Bitte um einen Beratungstermin zur Einbürgerung.",
}
REFERRAL_OUTCOMES: dict[str, tuple[str, ...]] = {
    D.RESIDENCE: ("Aufenthaltstitel um zwei Jahre verlängert.", "Fiktionsbescheinigung ausgestellt, Titel folgt."),
    D.LANGUAGE: ("Kursplatz erhalten; Kurs begonnen.", "Kurs mit Zertifikat B1 abgeschlossen."),
    D.EDUCATION: ("Schulplatz zugewiesen.", "Zeugnisbewertung erteilt."),
    D.WORK: (
        "Anerkennung als gleichwertig erteilt.",
        "Teilanerkennung; Anpassungsqualifizierung empfohlen.",
        "In Arbeit vermittelt.",
    ),
    D.HOUSING: ("Mietschulden übernommen, Wohnung gesichert.",),
    D.HEALTH: ("Therapieplatz mit Sprachmittlung erhalten.",),
    D.FAMILY: ("Kita-Platz zugesagt.",),
    D.INCOME: ("Leistungen bewilligt.", "Ratenzahlung mit den Gläubigern vereinbart."),
    D.PARTICIPATION: ("Anbindung an eine Ehrenamtsinitiative erfolgt.",),
    D.NATURALISATION: ("Einbürgerungsantrag vollständig eingereicht.",),
}
DECLINE_REASONS = (
    "Keine freien Plätze; Warteliste länger als sechs Monate.",
    "Nicht zuständig: Wohnsitz außerhalb des Zuständigkeitsbereichs.",
    "Angebot nur für junge Menschen bis 27 Jahre.",
    "Leistungsvoraussetzungen nicht erfüllt.",
)
WITHDRAWAL_NOTES = (
    "Zurückgezogen: Termin selbst vereinbart.",
    "Zurückgezogen: Anliegen hat sich erledigt.",
    "Zurückgezogen: Umzug in eine andere Kommune.",
)


class BarrierSpec(NamedTuple):
    domain: str
    agency_kind: str | None  # the tenant's agency of this kind, or …
    institution: str  # … this institution outside the directory ({bezirksregierung} per tenant)
    text: str
    weight: int


BARRIERS = (
    BarrierSpec(
        D.LANGUAGE,
        K.COURSE_PROVIDER,
        "",
        "Wartezeit auf einen Integrationskurs mit Kinderbetreuung beträgt mehr als sechs Monate.",
        9,
    ),
    BarrierSpec(
        D.LANGUAGE,
        K.COURSE_PROVIDER,
        "",
        "Kein Alphabetisierungskurs in erreichbarer Nähe; Anfahrt mit Bus und Bahn über eine Stunde je Strecke.",
        4,
    ),
    BarrierSpec(
        D.LANGUAGE,
        None,
        "Bundesamt für Migration und Flüchtlinge (BAMF)",
        "Zulassung zum Integrationskurs dauert mehrere Monate; Berechtigungsschein fehlt bei Kursbeginn.",
        5,
    ),
    BarrierSpec(
        D.LANGUAGE,
        K.COURSE_PROVIDER,
        "",
        "Berufssprachkurse (B2) nur in Vollzeit; nicht vereinbar mit Schichtarbeit.",
        3,
    ),
    BarrierSpec(
        D.FAMILY,
        K.YOUTH_OFFICE,
        "",
        "Keine Kinderbetreuung während des Integrationskurses; Kita-Platz frühestens zum nächsten Kita-Jahr.",
        7,
    ),
    BarrierSpec(
        D.WORK,
        None,
        "Anerkennungsstelle der {bezirksregierung}",
        "Anerkennung ausländischer Berufsabschlüsse (Pflege) dauert länger als ein Jahr; bis dahin nur "
        "Helfertätigkeit.",
        7,
    ),
    BarrierSpec(
        D.WORK,
        None,
        "IHK FOSA",
        "Kosten für Übersetzung und Beglaubigung der Zeugnisse übernimmt kein Leistungsträger.",
        3,
    ),
    BarrierSpec(
        D.RESIDENCE,
        K.IMMIGRATION_OFFICE,
        "",
        "Termine bei der Ausländerbehörde nur online buchbar; nächster freier Termin in drei Monaten, "
        "Fiktionsbescheinigungen laufen aus.",
        8,
    ),
    BarrierSpec(
        D.RESIDENCE,
        K.IMMIGRATION_OFFICE,
        "",
        "Ausländerbehörde telefonisch und per E-Mail kaum erreichbar; Anfragen bleiben wochenlang unbeantwortet.",
        5,
    ),
    BarrierSpec(
        D.WORK,
        K.IMMIGRATION_OFFICE,
        "",
        "Beschäftigungserlaubnis wird erst nach langer Bearbeitungszeit erteilt; Arbeitsangebote verfallen.",
        4,
    ),
    BarrierSpec(
        D.HOUSING,
        None,
        "Wohnungsmarkt vor Ort",
        "Angespannter Wohnungsmarkt: keine Wohnung innerhalb der Mietobergrenzen (KdU); Familien bleiben in der "
        "Gemeinschaftsunterkunft.",
        8,
    ),
    BarrierSpec(
        D.HOUSING,
        K.IMMIGRATION_OFFICE,
        "",
        "Wohnsitzauflage verhindert den Umzug zum Arbeitsplatz in einer Nachbarkommune.",
        3,
    ),
    BarrierSpec(
        D.INCOME,
        K.JOBCENTER,
        "",
        "Bearbeitung von Weiterbewilligungsanträgen dauert mehrere Monate; es entstehen Mietrückstände.",
        4,
    ),
    BarrierSpec(
        D.INCOME,
        K.JOBCENTER,
        "",
        "Rechtskreiswechsel vom AsylbLG ins SGB II: Leistungslücke von mehreren Wochen.",
        3,
    ),
    BarrierSpec(
        D.EDUCATION,
        K.SCHOOL_OFFICE,
        "",
        "Kein Schulplatz für neu zugewanderte Jugendliche ab 16 Jahren; Wartezeit auf die internationale "
        "Förderklasse am Berufskolleg.",
        4,
    ),
    BarrierSpec(
        D.HEALTH,
        None,
        "Psychotherapeutische Versorgung im Kreis",
        "Keine Psychotherapieplätze mit Sprachmittlung; Wartezeit über neun Monate, Kosten der Sprachmittlung "
        "ungeklärt.",
        3,
    ),
    BarrierSpec(
        D.NATURALISATION,
        K.NATURALISATION_OFFICE,
        "",
        "Bearbeitungszeit von Einbürgerungsanträgen über 18 Monate; keine Eingangsbestätigung.",
        3,
    ),
    BarrierSpec(
        D.PARTICIPATION,
        None,
        "Sportvereine",
        "Vereinsbeiträge und Ausrüstung übersteigen die Leistungen für Bildung und Teilhabe.",
        2,
    ),
    BarrierSpec(
        D.FAMILY,
        K.YOUTH_OFFICE,
        "",
        "Kita-Plätze werden nur über ein Online-Portal in deutscher Sprache vergeben.",
        3,
    ),
    BarrierSpec(
        D.INCOME,
        None,
        "Familienkasse",
        "Kindergeldanträge Neuzugewanderter bleiben wegen fehlender Nachweise monatelang unbearbeitet.",
        3,
    ),
)

CLOSURE_NOTES: dict[str, str] = {
    ClosureReason.GOALS_REACHED: "Vereinbarte Ziele erreicht; weitere Schritte werden selbstständig erledigt.",
    ClosureReason.MOVED_AWAY: "Umzug in ein anderes Bundesland; Hinweis auf die Migrationsberatung vor Ort gegeben.",
    ClosureReason.CLIENT_ENDED: "Keine weitere Begleitung gewünscht.",
    ClosureReason.REGULAR_SERVICES: "Begleitung durch die Regeldienste (Jobcenter, MBE) gesichert.",
    ClosureReason.NATURALISED: "Einbürgerungsurkunde ausgehändigt; Begleitung abgeschlossen.",
    ClosureReason.NO_CONTACT: "Seit drei Monaten kein Kontakt; zwei Anschreiben blieben unbeantwortet.",
    ClosureReason.OTHER: "Rückkehr in das Herkunftsland.",
}
# How goals end, by reason for closure: (status, weight).
GOAL_OUTCOMES: dict[str, tuple[tuple[str, int], ...]] = {
    ClosureReason.GOALS_REACHED: ((GoalStatus.ACHIEVED, 8), (GoalStatus.PARTLY, 2)),
    ClosureReason.MOVED_AWAY: ((GoalStatus.PARTLY, 4), (GoalStatus.DROPPED, 4), (GoalStatus.ACHIEVED, 2)),
    ClosureReason.CLIENT_ENDED: ((GoalStatus.DROPPED, 4), (GoalStatus.PARTLY, 3), (GoalStatus.NOT_ACHIEVED, 3)),
    ClosureReason.REGULAR_SERVICES: ((GoalStatus.PARTLY, 5), (GoalStatus.ACHIEVED, 4), (GoalStatus.DROPPED, 1)),
    ClosureReason.NATURALISED: ((GoalStatus.ACHIEVED, 9), (GoalStatus.PARTLY, 1)),
    ClosureReason.NO_CONTACT: ((GoalStatus.NOT_ACHIEVED, 5), (GoalStatus.DROPPED, 5)),
    ClosureReason.OTHER: ((GoalStatus.DROPPED, 6), (GoalStatus.PARTLY, 4)),
}

FOLLOW_UP_NOTES = (
    "Rückmeldung der Ausländerbehörde nachhalten",
    "Stand der Kursanmeldung erfragen",
    "Bescheid des Jobcenters besprechen",
    "Unterlagen für die Anerkennung prüfen",
    "Termin zur Zielüberprüfung",
    "Rückruf wegen Kita-Platz",
    "Nachfragen, ob die Wohnungsbesichtigung geklappt hat",
    "Zwischenstand der Vermittlung erfragen",
)
HANDOVER_REASONS_COLLEAGUE = (
    "Neuverteilung der Fälle nach Stundenreduzierung.",
    "Sprachliche Passung: die übernehmende Fachkraft spricht die Sprache der Klientin bzw. des Klienten.",
    "Umzug innerhalb des Kreises; Zuständigkeit der Anlaufstelle vor Ort.",
)
HANDOVER_REASON_PROVIDER = "Umzug in den Zuständigkeitsbereich des anderen Trägers."
HANDOVER_REASON_AGENCY = "Leistungsbezug nach dem SGB II; das Fallmanagement des Jobcenters übernimmt die Begleitung."
REOPEN_NOTE = "Wiederaufnahme: neues Schreiben der Ausländerbehörde, Klient*in bittet um Unterstützung."
OVERRIDE_REASON = (
    "Frist der Ausländerbehörde läuft morgen ab; Einwilligung mündlich erteilt, schriftliche Entbindung folgt."
)


# === The plan ===============================================================================

# States of the case-management cycle the demo shows.
UNASSIGNED = "unassigned"  # just opened at the district, the coordinator assigns it
INTAKE = "intake"  # anonymous, just after the first conversation
ANONYMOUS = "anonymous"  # anonymous counselling over months
ACTIVE = "active"  # named, in progress
HANDED_TO_COLLEAGUE = "handed_to_colleague"  # open, taken over from another case manager
HANDED_TO_PROVIDER = "handed_to_provider"  # open, waiting for assignment at another provider
CLOSURE_RETURNED = "closure_returned"  # closure request returned by the coordinator, open again
CLOSURE_REQUESTED = "closure_requested"  # waiting for the coordinator's approval
CLOSED = "closed"
HANDED_TO_AGENCY = "handed_to_agency"  # closed: handed to the job centre's own case management
REOPENED = "reopened"
ANONYMISED = "anonymised"  # processing consent revoked
IDENTITY_ERASED = "identity_erased"  # back to anonymous counselling on the client's wish

SCENARIOS = (
    UNASSIGNED,
    INTAKE,
    ANONYMOUS,
    ACTIVE,
    HANDED_TO_COLLEAGUE,
    HANDED_TO_PROVIDER,
    CLOSURE_RETURNED,
    CLOSURE_REQUESTED,
    CLOSED,
    HANDED_TO_AGENCY,
    REOPENED,
    ANONYMISED,
    IDENTITY_ERASED,
)
OPEN_SCENARIOS = frozenset(
    {INTAKE, ANONYMOUS, ACTIVE, HANDED_TO_COLLEAGUE, CLOSURE_RETURNED, REOPENED, IDENTITY_ERASED}
)
CLOSED_SCENARIOS = frozenset({CLOSED, HANDED_TO_AGENCY, ANONYMISED})
