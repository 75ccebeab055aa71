"""Demo data of strategic steering: the steering group of Kreis Wesel with the member list of
seed 003 §11(2) (organisations as in the contract; the persons and their substitutes are
invented), further bodies of the concept (§4), and the themes the demo groups its barriers into.
"""

from __future__ import annotations

from typing import NamedTuple


class SeatSpec(NamedTuple):
    organisation: str
    person: str
    substitute: str
    role: str = "member"


# Seed 003, cooperation contract §11(2) "In der eingerichteten Lenkungsgruppe sind folgende
# Organisationen vertreten" — in the order of the contract.
WESEL_STEERING_GROUP = (
    SeatSpec("Kreis Wesel – Vorstandsmitglied 4", "Dr. Hartmann, Elisabeth", "Brandt, Oliver", "chair"),
    SeatSpec("Kreis Wesel – Fachdienstleitung 40-2", "Kaiser, Thomas", "Lorenz, Petra", "vice_chair"),
    SeatSpec("Kreis Wesel – Koordinatorin FD 40-2-3", "Wagner, Sabine", "Demir, Ayşe"),
    SeatSpec("Kommunales Integrationszentrum – Fachliche Leitung", "Becker, Martin", "Scholz, Anna"),
    SeatSpec("Stadt Dinslaken (entsandtes Mitglied)", "Schreiber, Heike", "Kuhn, Tobias"),
    SeatSpec("Stadt Wesel (entsandtes Mitglied)", "Arslan, Mehmet", "Vogel, Claudia"),
    SeatSpec("Gemeinde Alpen (entsandtes Mitglied)", "Jansen, Ludger", "Peters, Birgit"),
    SeatSpec(
        "Stadt Moers – FB Soziales, Senioren und Wohnen (Einwanderung gestalten NRW)",
        "Hoffmann, Jörg",
        "Schulte, Nadine",
    ),
    SeatSpec("Ausländerbehörde Kreis Wesel – Leitung", "Krüger, Stefan", "Winter, Julia"),
    SeatSpec("Jugendamt Kreis Wesel – Leitung", "Neumann, Andrea", "Busch, Markus"),
    SeatSpec("Kreis Wesel – Fachdienstleitung Soziale Hilfen", "Schmitz, Ralf", "Haas, Monika"),
    SeatSpec("Kreis Wesel – Fachdienstleitung Hilfen in besonderen Lebenslagen", "Keller, Ute", "Franke, Dirk"),
    SeatSpec("Gleichstellungsbeauftragte Kreis Wesel", "Richter, Karin", "Möller, Eva"),
    SeatSpec("Schwerbehindertenvertretung Kreis Wesel", "Lange, Bernd", "Engel, Sonja"),
    SeatSpec("Schulamt Kreis Wesel – Schulamtsdirektorin (Generale Integration)", "Dr. Weiß, Gabriele", "Roth, Frank"),
    SeatSpec("Gesundheitsamt Kreis Wesel – Leitung", "Dr. Sommer, Klaus", "Kraus, Helga"),
    SeatSpec("Jobcenter Kreis Wesel – Geschäftsführer und Migrationsbeauftragter", "Yıldız, Kemal", "Berger, Silke"),
    SeatSpec("Entwicklungsagentur Wirtschaft (EAW) – Leitung", "Fuchs, Christian", "Albrecht, Jana"),
    SeatSpec("Agentur für Arbeit Wesel", "Ziegler, Norbert", "Pohl, Sandra"),
    SeatSpec("AG der Wohlfahrtsverbände im Kreis Wesel (AG Wohlfahrt)", "Schäfer, Ingrid", "Ahmadi, Reza"),
    SeatSpec("Jugendmigrationsdienst (JMD) im Kreis Wesel – Träger", "Horn, Sebastian", "Wójcik, Marta"),
    SeatSpec("Begleitgremium Perspektiven und Partizipation der Zielgruppe – Sprecherin", "Haddad, Rana", ""),
    SeatSpec("Begleitgremium Perspektiven und Partizipation der Zielgruppe – Sprecherin", "Szymańska, Agnieszka", ""),
)

# the seat the demo login ``demo.committee`` holds (its account sees this body)
COMMITTEE_LOGIN_SEAT = "Agentur für Arbeit Wesel"

# Themes the coordination grouped the demo barriers into: title, level, the barrier texts (prefixes
# of lotse.demo.case_texts.BARRIERS) it holds, and the history of moves (level, reason, days ago).
THEMES = (
    (
        "Wartezeiten auf Integrations- und Alphabetisierungskurse",
        ("Wartezeit auf einen Integrationskurs", "Kein Alphabetisierungskurs", "Zulassung zum Integrationskurs"),
        (
            (2, "Gespräch mit den Kursträgern ohne Ergebnis", 200),
            (3, "Im Qualitätszirkel bestätigt", 150),
            (4, "Projektgruppe Sprache eingesetzt", 90),
        ),
    ),
    (
        "Terminvergabe der Ausländerbehörde",
        ("Termine bei der Ausländerbehörde",),
        ((2, "Bilaterale Klärung mit der Ausländerbehörde vereinbart", 120),),
    ),
    (
        "Anerkennung ausländischer Berufsabschlüsse",
        ("Anerkennung ausländischer Berufsabschlüsse", "Kosten für Übersetzung"),
        ((2, "Anfrage an die Anerkennungsstelle", 160), (3, "Fallkonferenz mit Jobcenter", 100)),
    ),
    (
        "Kinderbetreuung während der Sprachkurse",
        ("Keine Kinderbetreuung während des Integrationskurses",),
        (),
    ),
)
