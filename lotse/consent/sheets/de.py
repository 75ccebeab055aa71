"""Deutsch – nach der Anlage 1 des Kooperationsvertrags (seed 003 §9(3)), in einfacher Sprache."""

from lotse.consent.sheets import Purpose, Section, Sheet

SHEET = Sheet(
    language="de",
    heading="Informationen zur Datenverarbeitung nach Art. 13 DSGVO",
    subheading="Case Management im Kommunalen Integrationsmanagement (KIM)",
    intro=(
        "Mit diesem Blatt erklären wir Ihnen, was mit Ihren persönlichen Daten geschieht, wenn Sie sich "
        "bei uns beraten lassen. Bitte fragen Sie nach, wenn etwas unklar ist."
    ),
    case_number_label="Fallnummer",
    address_label="Anschrift",
    phone_label="Telefon",
    email_label="E-Mail",
    sections=(
        Section(
            title="Wer ist für Ihre Daten verantwortlich?",
            paragraphs=("{controller}, Kommunales Integrationsmanagement (KIM)",),
            contact="controller",
        ),
        Section(
            title="Wen können Sie zum Datenschutz fragen?",
            paragraphs=("Die oder den Datenschutzbeauftragten von {controller}:",),
            contact="dpo",
        ),
        Section(
            title="Wofür verwenden wir Ihre Daten?",
            paragraphs=(
                "Wir verwenden Ihre Daten, um Sie im Case Management des KIM zu beraten und zu begleiten. Das heißt:",
            ),
            items=(
                "Wir klären mit Ihnen Ihre Lebenssituation und was Sie brauchen (zum Beispiel Aufenthalt, "
                "Sprache, Arbeit, Wohnen, Familie).",
                "Wir vereinbaren mit Ihnen Ziele und Schritte.",
                "Nur wenn Sie es wünschen, stellen wir Kontakt zu anderen Stellen her und begleiten Sie dabei.",
                "Wir schreiben die Beratung auf, damit sie weitergehen kann, wenn Ihre Case Managerin oder Ihr "
                "Case Manager im Urlaub oder krank ist (Vertretung).",
            ),
            after=(
                "Für Berichte und Statistiken verwenden wir nur Zahlen ohne Namen. Sie können sich auch anonym "
                "beraten lassen, nur unter einer Fallnummer.",
            ),
        ),
        Section(
            title="Auf welcher Rechtsgrundlage?",
            paragraphs=(
                "Auf Grundlage Ihrer Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO).",
                "Angaben zu Ihrer Gesundheit sind besonders geschützt. Wir verarbeiten sie nur, wenn Sie dafür "
                "ausdrücklich einwilligen (Art. 9 Abs. 2 Buchst. a DSGVO).",
            ),
        ),
        Section(
            title="Wer bekommt Ihre Daten?",
            paragraphs=(
                "Wir geben Ihre Daten nur weiter, wenn Sie uns dafür gesondert von der Schweigepflicht entbinden. "
                "Jede Entbindung gilt nur für eine bestimmte Stelle und nur für die Themen, die Sie selbst "
                "auswählen. Solche Stellen sind zum Beispiel: Ausländerbehörde, Einbürgerungsbehörde, Jobcenter, "
                "Agentur für Arbeit, Jugendamt, Schulamt, Beratungsstellen und Träger von Sprachkursen.",
                "Ohne Ihre Entbindung erfährt keine andere Stelle etwas über Sie. Im KIM sehen Ihren Namen nur "
                "Ihre Case Managerin oder Ihr Case Manager und, wenn nötig, deren Vertretung.",
            ),
        ),
        Section(
            title="Wie lange speichern wir Ihre Daten?",
            paragraphs=(
                "So lange, wie wir Sie beraten. Nach dem Ende der Beratung löschen wir Ihre Daten, sobald die "
                "gesetzlichen Aufbewahrungsfristen abgelaufen sind.",
                "Wenn Sie Ihre Einwilligung widerrufen, löschen wir Ihren Namen und Ihre Kontaktdaten sofort. "
                "Es bleiben nur Angaben ohne Namen für die Statistik.",
            ),
        ),
        Section(
            title="Welche Rechte haben Sie?",
            items=(
                "Auskunft (Art. 15 DSGVO): Sie können erfahren, welche Daten wir über Sie speichern.",
                "Berichtigung (Art. 16 DSGVO): Falsche Daten werden korrigiert.",
                "Löschung (Art. 17 DSGVO): Sie können verlangen, dass wir Ihre Daten löschen.",
                "Einschränkung (Art. 18 DSGVO): Sie können verlangen, dass wir Ihre Daten nur eingeschränkt "
                "verarbeiten.",
                "Datenübertragbarkeit (Art. 20 DSGVO): Sie können Ihre Daten in einem üblichen Format bekommen.",
                "Beschwerde (Art. 77 DSGVO): Sie können sich bei der Aufsichtsbehörde für den Datenschutz beschweren.",
            ),
        ),
        Section(
            title="Wo können Sie sich beschweren?",
            paragraphs=("Zuständige Aufsichtsbehörde ist:",),
            contact="authority",
        ),
        Section(
            title="Sie können Ihre Einwilligung jederzeit widerrufen",
            paragraphs=(
                "Sie können jede Einwilligung und jede Entbindung von der Schweigepflicht jederzeit widerrufen, "
                "ganz oder zum Teil, ohne Gründe zu nennen. Sagen Sie es Ihrer Case Managerin oder Ihrem Case "
                "Manager oder schreiben Sie an die oben genannte Stelle.",
                "Der Widerruf gilt ab diesem Zeitpunkt. Was vorher auf Grundlage Ihrer Einwilligung geschehen "
                "ist, bleibt rechtmäßig (Art. 7 Abs. 3 DSGVO).",
            ),
        ),
        Section(
            title="Freiwilligkeit",
            paragraphs=(
                "Ihre Einwilligung ist freiwillig. Wenn Sie nicht einwilligen oder später widerrufen, haben Sie "
                "dadurch keinen Nachteil. Wir beraten Sie weiter – wenn Sie möchten, anonym.",
            ),
        ),
    ),
    consent_heading="Einwilligungserklärung zur Datenverarbeitung",
    client_name_label="Name, Vorname (bitte von Hand eintragen)",
    consent_intro=(
        "Ich habe die Informationen zur Datenverarbeitung nach Art. 13 DSGVO im Rahmen des KIM bekommen und "
        "zur Kenntnis genommen. Ich willige ein in (bitte ankreuzen):"
    ),
    purposes=(
        Purpose(
            code="processing",
            title="Beratung im Case Management",
            text=(
                "Meine persönlichen Daten dürfen für meine Beratung im Case Management des KIM verarbeitet "
                "werden, wie im Informationsblatt beschrieben (Art. 6 Abs. 1 Buchst. a DSGVO)."
            ),
        ),
        Purpose(
            code="health",
            title="Angaben zu meiner Gesundheit",
            text=(
                "Ich willige ausdrücklich ein, dass auch Angaben zu meiner Gesundheit verarbeitet werden, "
                "soweit sie für meine Beratung wichtig sind (Art. 9 Abs. 2 Buchst. a DSGVO)."
            ),
        ),
        Purpose(
            code="contact",
            title="Kontakt per Telefon, E-Mail oder Messenger",
            text=(
                "Meine Case Managerin oder mein Case Manager darf mich auf den folgenden Wegen kontaktieren. "
                "Ich weiß, dass E-Mail und Messenger-Dienste nicht immer sicher sind."
            ),
        ),
    ),
    contact_details_label="Telefon / E-Mail / Messenger:",
    release_heading="Entbindung von der Schweigepflicht (für eine Stelle)",
    release_intro=(
        "Ich entbinde meine Case Managerin oder meinen Case Manager gegenüber der folgenden Stelle von der "
        "Schweigepflicht. Sie oder er darf mit dieser Stelle Informationen über mich austauschen – nur zu den "
        "angekreuzten Themen. Für jede weitere Stelle fülle ich ein eigenes Formular aus."
    ),
    release_agency_label="Stelle (Name, Anschrift)",
    release_topics_label="Themen",
    release_valid_until_label="Gültig bis",
    release_note="Ohne Datum gilt die Entbindung, bis ich sie widerrufe.",
    closing_note=(
        "Meine Einwilligung ist freiwillig. Ich kann sie jederzeit ganz oder zum Teil widerrufen, ohne dass "
        "ich dadurch einen Nachteil habe. Der Widerruf gilt für die Zukunft."
    ),
    place_date_label="Ort, Datum",
    client_signature_label="Unterschrift Klient*in",
    case_manager_signature_label="Unterschrift Case Manager*in",
    form_version_label="Formularversion",
)
