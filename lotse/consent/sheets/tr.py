"""Türkçe – Turkish."""

from lotse.consent.sheets import Purpose, Section, Sheet

SHEET = Sheet(
    language="tr",
    heading="Veri işleme hakkında bilgilendirme",
    subheading=(
        "AB Genel Veri Koruma Tüzüğü (DSGVO) madde 13 uyarınca – Belediye Entegrasyon Yönetimi (KIM) "
        "kapsamında vaka yönetimi"
    ),
    intro=(
        "Bu form, bizden danışmanlık aldığınızda kişisel verilerinize ne olduğunu açıklar. "
        "Anlaşılmayan bir şey olursa lütfen sorun."
    ),
    case_number_label="Dosya numarası",
    address_label="Adres",
    phone_label="Telefon",
    email_label="E-posta",
    sections=(
        Section(
            title="Verilerinizden kim sorumludur?",
            paragraphs=("{controller}, Belediye Entegrasyon Yönetimi (Kommunales Integrationsmanagement, KIM)",),
            contact="controller",
        ),
        Section(
            title="Veri koruma konusunda kime başvurabilirsiniz?",
            paragraphs=("Veri koruma görevlisi, {controller}:",),
            contact="dpo",
        ),
        Section(
            title="Verilerinizi ne için kullanıyoruz?",
            paragraphs=(
                "Verilerinizi, KIM vaka yönetimi kapsamında size danışmanlık yapmak ve size eşlik etmek için "
                "kullanıyoruz. Bu şu anlama gelir:",
            ),
            items=(
                "Yaşam durumunuzu ve ihtiyaçlarınızı sizinle birlikte belirliyoruz (örneğin oturum, dil, iş, "
                "konut, aile).",
                "Sizinle hedefler ve adımlar üzerinde anlaşıyoruz.",
                "Yalnızca siz isterseniz, başka kurumlarla iletişim kurmanıza yardımcı oluyor ve size eşlik ediyoruz.",
                "Vaka yöneticiniz izinli ya da hasta olduğunda da danışmanlığın sürebilmesi için görüşmeleri "
                "kayda geçiriyoruz (vekâlet).",
            ),
            after=(
                "Raporlar ve istatistikler için yalnızca isim içermeyen sayılar kullanılır. Dilerseniz adınızı "
                "vermeden, yalnızca bir dosya numarasıyla da danışmanlık alabilirsiniz.",
            ),
        ),
        Section(
            title="Hangi hukuki dayanakla?",
            paragraphs=(
                "Onayınıza dayanarak (DSGVO madde 6 fıkra 1 bent a).",
                "Sağlığınızla ilgili bilgiler özel olarak korunur. Bu bilgileri yalnızca açıkça onay vermeniz "
                "hâlinde işleriz (DSGVO madde 9 fıkra 2 bent a).",
            ),
        ),
        Section(
            title="Verilerinizi kim alır?",
            paragraphs=(
                "Verilerinizi yalnızca bizi ayrıca sır saklama yükümlülüğünden muaf tutmanız "
                "(Schweigepflichtentbindung) hâlinde başkalarına iletiriz. Her muafiyet yalnızca belirli bir "
                "kurum ve yalnızca sizin seçtiğiniz konular için geçerlidir. Bu kurumlar örneğin şunlar olabilir: "
                "yabancılar dairesi, vatandaşlık dairesi, Jobcenter, iş ajansı, gençlik dairesi, okul dairesi, "
                "danışma merkezleri ve dil kursu veren kurumlar.",
                "Muafiyetiniz olmadan başka hiçbir kurum sizinle ilgili bir şey öğrenmez. KIM içinde adınızı "
                "yalnızca vaka yöneticiniz ve gerekirse onun vekili görür.",
            ),
        ),
        Section(
            title="Verilerinizi ne kadar süre saklıyoruz?",
            paragraphs=(
                "Danışmanlık sürdüğü sürece. Danışmanlık sona erdikten sonra, yasal saklama süreleri dolar "
                "dolmaz verilerinizi sileriz.",
                "Onayınızı geri alırsanız, adınızı ve iletişim bilgilerinizi hemen sileriz. Yalnızca istatistik "
                "için isim içermeyen bilgiler kalır.",
            ),
        ),
        Section(
            title="Haklarınız nelerdir?",
            items=(
                "Bilgi alma (DSGVO madde 15): Hakkınızda hangi verileri sakladığımızı öğrenebilirsiniz.",
                "Düzeltme (DSGVO madde 16): Yanlış veriler düzeltilir.",
                "Silme (DSGVO madde 17): Verilerinizi silmemizi isteyebilirsiniz.",
                "Kısıtlama (DSGVO madde 18): Verilerinizin işlenmesini kısıtlamamızı isteyebilirsiniz.",
                "Veri taşınabilirliği (DSGVO madde 20): Verilerinizi yaygın bir formatta alabilirsiniz.",
                "Şikâyet (DSGVO madde 77): Veri koruma denetim makamına şikâyette bulunabilirsiniz.",
            ),
        ),
        Section(
            title="Nereye şikâyette bulunabilirsiniz?",
            paragraphs=("Yetkili denetim makamı:",),
            contact="authority",
        ),
        Section(
            title="Onayınızı istediğiniz zaman geri alabilirsiniz",
            paragraphs=(
                "Her onayı ve sır saklama yükümlülüğünden her muafiyeti istediğiniz zaman, tamamen veya kısmen, "
                "gerekçe göstermeden geri alabilirsiniz. Bunu vaka yöneticinize söyleyin ya da yukarıda belirtilen "
                "kuruma yazın.",
                "Geri alma o andan itibaren geçerlidir. Daha önce onayınıza dayanarak yapılanlar hukuka uygun "
                "olmaya devam eder (DSGVO madde 7 fıkra 3).",
            ),
        ),
        Section(
            title="Gönüllülük",
            paragraphs=(
                "Onayınız gönüllüdür. Onay vermezseniz veya daha sonra geri alırsanız, bundan hiçbir zarar "
                "görmezsiniz. Size danışmanlık yapmaya devam ederiz – dilerseniz adınız olmadan.",
            ),
        ),
    ),
    consent_heading="Veri işlemeye onay beyanı",
    client_name_label="Soyadı, adı (lütfen elle doldurun)",
    consent_intro=(
        "KIM kapsamında DSGVO madde 13 uyarınca veri işleme hakkındaki bilgileri aldım ve okudum. "
        "Aşağıdakilere onay veriyorum (lütfen işaretleyin):"
    ),
    purposes=(
        Purpose(
            code="processing",
            title="Vaka yönetiminde danışmanlık",
            text=(
                "Kişisel verilerim, bilgilendirme formunda açıklandığı şekilde, KIM vaka yönetimindeki "
                "danışmanlığım için işlenebilir (DSGVO madde 6 fıkra 1 bent a)."
            ),
        ),
        Purpose(
            code="health",
            title="Sağlığımla ilgili bilgiler",
            text=(
                "Danışmanlığım için önemli olduğu ölçüde sağlığımla ilgili bilgilerin de işlenmesine açıkça onay "
                "veriyorum (DSGVO madde 9 fıkra 2 bent a)."
            ),
        ),
        Purpose(
            code="contact",
            title="Telefon, e-posta veya mesajlaşma uygulamasıyla iletişim",
            text=(
                "Vaka yöneticim benimle aşağıdaki yollarla iletişim kurabilir. E-postanın ve mesajlaşma "
                "uygulamalarının her zaman güvenli olmadığını biliyorum."
            ),
        ),
    ),
    contact_details_label="Telefon / e-posta / mesajlaşma uygulaması:",
    release_heading="Sır saklama yükümlülüğünden muafiyet (bir kurum için)",
    release_intro=(
        "Vaka yöneticimi aşağıda belirtilen kuruma karşı sır saklama yükümlülüğünden muaf tutuyorum. Vaka "
        "yöneticim bu kurumla hakkımdaki bilgileri yalnızca işaretlediğim konularda paylaşabilir. Her başka kurum "
        "için ayrı bir form dolduruyorum."
    ),
    release_agency_label="Kurum (adı, adresi)",
    release_topics_label="Konular",
    release_valid_until_label="Geçerlilik tarihi",
    release_note="Tarih yazılmazsa muafiyet, ben geri alana kadar geçerlidir.",
    closing_note=(
        "Onayım gönüllüdür. Onayımı istediğim zaman, tamamen veya kısmen, hiçbir zarar görmeden geri alabilirim. "
        "Geri alma ileriye dönük olarak geçerlidir."
    ),
    place_date_label="Yer, tarih",
    client_signature_label="Danışanın imzası",
    case_manager_signature_label="Vaka yöneticisinin imzası",
    form_version_label="Form sürümü",
)
