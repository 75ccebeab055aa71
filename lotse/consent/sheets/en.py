"""English."""

from lotse.consent.sheets import Purpose, Section, Sheet

SHEET = Sheet(
    language="en",
    heading="Information on data processing under Art. 13 GDPR",
    subheading="Case management in the Municipal Integration Management (KIM)",
    intro=(
        "This sheet explains what happens to your personal data when you receive counselling from us. "
        "Please ask if anything is unclear."
    ),
    case_number_label="Case number",
    address_label="Address",
    phone_label="Phone",
    email_label="E-mail",
    sections=(
        Section(
            title="Who is responsible for your data?",
            paragraphs=("{controller}, Municipal Integration Management (Kommunales Integrationsmanagement, KIM)",),
            contact="controller",
        ),
        Section(
            title="Whom can you ask about data protection?",
            paragraphs=("The data protection officer of {controller}:",),
            contact="dpo",
        ),
        Section(
            title="What do we use your data for?",
            paragraphs=("We use your data to advise and support you in the KIM case management. This means:",),
            items=(
                "Together with you, we look at your situation and what you need (for example residence, "
                "language, work, housing, family).",
                "We agree goals and steps with you.",
                "Only if you wish, we put you in touch with other agencies and support you in this.",
                "We keep notes of the counselling, so that it can go on when your case manager is on leave or "
                "ill (substitution).",
            ),
            after=(
                "Reports and statistics only use figures without names. You can also receive counselling "
                "anonymously, under a case number only.",
            ),
        ),
        Section(
            title="On what legal basis?",
            paragraphs=(
                "On the basis of your consent (Art. 6(1)(a) GDPR).",
                "Information about your health is specially protected. We only process it if you explicitly "
                "consent to this (Art. 9(2)(a) GDPR).",
            ),
        ),
        Section(
            title="Who receives your data?",
            paragraphs=(
                "We only pass on your data if you separately release us from our duty of confidentiality "
                "(Schweigepflichtentbindung). Each release applies to one named agency only, and only to the "
                "topics that you choose. Such agencies are, for example: the immigration office, the "
                "naturalisation authority, the job centre, the employment agency, the youth welfare office, the "
                "school authority, counselling services and language course providers.",
                "Without your release, no other agency learns anything about you. Within the KIM, only your "
                "case manager and, if necessary, their substitute see your name.",
            ),
        ),
        Section(
            title="How long do we keep your data?",
            paragraphs=(
                "As long as we advise you. After the counselling has ended, we delete your data as soon as the "
                "retention periods set by law have passed.",
                "If you withdraw your consent, we delete your name and contact details at once. Only "
                "information without names remains, for statistics.",
            ),
        ),
        Section(
            title="What are your rights?",
            items=(
                "Access (Art. 15 GDPR): you can find out which data we hold about you.",
                "Rectification (Art. 16 GDPR): wrong data will be corrected.",
                "Erasure (Art. 17 GDPR): you can ask us to delete your data.",
                "Restriction (Art. 18 GDPR): you can ask us to restrict the processing of your data.",
                "Data portability (Art. 20 GDPR): you can receive your data in a common format.",
                "Complaint (Art. 77 GDPR): you can complain to the data protection supervisory authority.",
            ),
        ),
        Section(
            title="Where can you complain?",
            paragraphs=("The competent supervisory authority is:",),
            contact="authority",
        ),
        Section(
            title="You can withdraw your consent at any time",
            paragraphs=(
                "You can withdraw any consent and any release from confidentiality at any time, in full or in "
                "part, without giving reasons. Tell your case manager or write to the office named above.",
                "The withdrawal applies from that moment on. Whatever was done on the basis of your consent "
                "before then remains lawful (Art. 7(3) GDPR).",
            ),
        ),
        Section(
            title="Your consent is voluntary",
            paragraphs=(
                "Your consent is voluntary. If you do not consent, or withdraw your consent later, this will not "
                "harm you in any way. We will go on advising you – anonymously, if you wish.",
            ),
        ),
    ),
    consent_heading="Declaration of consent to data processing",
    client_name_label="Surname, first name (please fill in by hand)",
    consent_intro=(
        "I have received and read the information on data processing under Art. 13 GDPR in the KIM. "
        "I consent to the following (please tick):"
    ),
    purposes=(
        Purpose(
            code="processing",
            title="Counselling in the case management",
            text=(
                "My personal data may be processed for my counselling in the KIM case management, as described "
                "in the information sheet (Art. 6(1)(a) GDPR)."
            ),
        ),
        Purpose(
            code="health",
            title="Information about my health",
            text=(
                "I explicitly consent to information about my health also being processed, as far as it is "
                "important for my counselling (Art. 9(2)(a) GDPR)."
            ),
        ),
        Purpose(
            code="contact",
            title="Contact by phone, e-mail or messenger",
            text=(
                "My case manager may contact me in the following ways. I know that e-mail and messenger "
                "services are not always secure."
            ),
        ),
    ),
    contact_details_label="Phone / e-mail / messenger:",
    release_heading="Release from confidentiality (for one agency)",
    release_intro=(
        "I release my case manager from the duty of confidentiality towards the following agency. My case "
        "manager may exchange information about me with this agency – only on the topics ticked. For each "
        "further agency I fill in a separate form."
    ),
    release_agency_label="Agency (name, address)",
    release_topics_label="Topics",
    release_valid_until_label="Valid until",
    release_note="Without a date, the release applies until I withdraw it.",
    closing_note=(
        "My consent is voluntary. I can withdraw it at any time, in full or in part, and this will not harm me "
        "in any way. The withdrawal applies for the future."
    ),
    place_date_label="Place, date",
    client_signature_label="Signature of the client",
    case_manager_signature_label="Signature of the case manager",
    form_version_label="Form version",
)
