"""The feedback questionnaire and the printed sheet in the seven client languages
(``ClientLanguage``: de, en, ar, uk, ru, tr, fa).

These texts are not gettext messages: the staff UI speaks German or English, the client form
speaks the client's language, chosen by the token or by ``?lang=``, independently of the staff
language. Arabic and Persian are written right to left; Persian uses its own letters (ی, ک) and
the zero-width non-joiner where the spelling needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse.cases.domains import RTL_LANGUAGES, ClientLanguage

LANGUAGES: tuple[str, ...] = tuple(ClientLanguage.values)
DEFAULT_LANGUAGE = "de"

# The five questions, in the order of the form; each is a column of ``FeedbackResponse``.
QUESTIONS: tuple[str, ...] = ("understood", "helped", "respected", "reachable", "recommend")
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
# Error codes of the form (see ``lotse.feedback.services``).
ERROR_CODES: tuple[str, ...] = ("used", "unknown", "expired", "rate_limited", "empty", "invalid")


@dataclass(frozen=True)
class FeedbackTexts:
    language_name: str  # the language's name in itself
    language_label: str  # label of the language links
    title: str
    intro: str
    scale_hint: str
    questions: dict[str, str]
    scale: tuple[str, str, str, str, str]  # 1 = not at all … 5 = fully
    digits: str  # the digits 0–9 as the language writes them
    no_answer: str
    submit: str
    check_title: str  # above form errors
    problem_title: str  # above a refused link
    thanks_title: str
    thanks_text: str
    errors: dict[str, str]
    # the printed sheet
    sheet_title: str
    sheet_text: str
    sheet_link_label: str
    sheet_once: str  # "{date}": the last day the link works
    sheet_languages: str

    def number(self, value: int) -> str:
        return "".join(self.digits[int(char)] for char in str(value))

    def scale_label(self, value: int) -> str:
        """``"1 – not at all"`` … ``"5 – fully"`` in the language's digits."""
        return f"{self.number(value)} – {self.scale[value - 1]}"


LATIN_DIGITS = "0123456789"

TEXTS: dict[str, FeedbackTexts] = {
    "de": FeedbackTexts(
        language_name="Deutsch",
        language_label="Sprache",
        title="Ihre Meinung zur Beratung",
        intro=(
            "Diese Befragung ist anonym: Wir fragen nicht nach Ihrem Namen, und niemand kann Ihre Antworten "
            "Ihnen zuordnen. Sie dauert etwa 2 Minuten. Sie können jede Frage auslassen."
        ),
        scale_hint="Wie sehr stimmen Sie zu? 1 = gar nicht, 5 = voll und ganz.",
        questions={
            "understood": "Ich habe verstanden, was mir in der Beratung erklärt wurde.",
            "helped": "Die Beratung hat mir in meiner Situation geholfen.",
            "respected": "Ich wurde mit Respekt behandelt.",
            "reachable": "Meine Beraterin oder mein Berater war gut erreichbar.",
            "recommend": "Ich würde die Beratung anderen empfehlen.",
        },
        scale=("gar nicht", "wenig", "teilweise", "überwiegend", "voll und ganz"),
        digits=LATIN_DIGITS,
        no_answer="keine Antwort",
        submit="Antworten absenden",
        check_title="Bitte prüfen Sie Ihre Antworten",
        problem_title="Das hat nicht geklappt",
        thanks_title="Vielen Dank!",
        thanks_text=(
            "Ihre Antworten sind gespeichert. Sie helfen uns, die Beratung zu verbessern. "
            "Sie können diese Seite jetzt schließen."
        ),
        errors={
            "used": "Dieser Link wurde bereits benutzt. Jeder Feedback-Bogen kann nur einmal ausgefüllt werden.",
            "unknown": (
                "Diesen Feedback-Link gibt es nicht. Bitte prüfen Sie, ob Sie ihn vollständig abgeschrieben "
                "haben, oder scannen Sie den QR-Code."
            ),
            "expired": (
                "Dieser Feedback-Link ist abgelaufen. Bitte fragen Sie in der Beratungsstelle nach einem neuen Bogen."
            ),
            "rate_limited": (
                "Von diesem Anschluss wurden in der letzten Stunde zu viele Antworten gesendet. "
                "Bitte versuchen Sie es später noch einmal."
            ),
            "empty": "Bitte beantworten Sie mindestens eine Frage.",
            "invalid": "Bitte wählen Sie eine der angebotenen Antworten.",
        },
        sheet_title="Ihre Meinung ist uns wichtig",
        sheet_text=(
            "Bitte sagen Sie uns, wie Sie die Beratung erlebt haben. Scannen Sie den QR-Code mit Ihrem Handy "
            "oder geben Sie den Link in einen Browser ein. Die Befragung ist anonym und dauert etwa 2 Minuten."
        ),
        sheet_link_label="Link",
        sheet_once="Der Link gilt einmal und bis zum {date}.",
        sheet_languages="Auf der Seite können Sie eine andere Sprache wählen.",
    ),
    "en": FeedbackTexts(
        language_name="English",
        language_label="Language",
        title="Your opinion on the counselling",
        intro=(
            "This survey is anonymous: we do not ask for your name, and nobody can link your answers to you. "
            "It takes about 2 minutes. You can skip any question."
        ),
        scale_hint="How much do you agree? 1 = not at all, 5 = fully.",
        questions={
            "understood": "I understood what was explained to me in the counselling.",
            "helped": "The counselling helped me in my situation.",
            "respected": "I was treated with respect.",
            "reachable": "My counsellor was easy to reach.",
            "recommend": "I would recommend the counselling to others.",
        },
        scale=("not at all", "a little", "partly", "mostly", "fully"),
        digits=LATIN_DIGITS,
        no_answer="no answer",
        submit="Send answers",
        check_title="Please check your answers",
        problem_title="This did not work",
        thanks_title="Thank you!",
        thanks_text=(
            "Your answers have been saved. They help us improve the counselling. You can close this page now."
        ),
        errors={
            "used": "This link has already been used. Each feedback sheet can be filled in only once.",
            "unknown": (
                "This feedback link does not exist. Please check that you copied it completely, or scan the QR code."
            ),
            "expired": "This feedback link has expired. Please ask the counselling office for a new sheet.",
            "rate_limited": (
                "Too many answers were sent from this connection in the last hour. Please try again later."
            ),
            "empty": "Please answer at least one question.",
            "invalid": "Please choose one of the answers offered.",
        },
        sheet_title="Your opinion matters to us",
        sheet_text=(
            "Please tell us how you experienced the counselling. Scan the QR code with your phone or type the "
            "link into a browser. The survey is anonymous and takes about 2 minutes."
        ),
        sheet_link_label="Link",
        sheet_once="The link works once, until {date}.",
        sheet_languages="On the page you can choose another language.",
    ),
    "ar": FeedbackTexts(
        language_name="العربية",
        language_label="اللغة",
        title="رأيك في الاستشارة",
        intro=(
            "هذا الاستبيان مجهول الهوية: لا نسألك عن اسمك، ولا يمكن لأحد أن يربط إجاباتك بك. "
            "يستغرق حوالي دقيقتين. يمكنك تخطي أي سؤال."
        ),
        scale_hint="إلى أي مدى توافق؟ ١ = إطلاقًا، ٥ = تمامًا.",
        questions={
            "understood": "فهمتُ ما شُرح لي في الاستشارة.",
            "helped": "ساعدتني الاستشارة في وضعي.",
            "respected": "عوملتُ باحترام.",
            "reachable": "كان من السهل التواصل مع المستشار أو المستشارة.",
            "recommend": "أنصح الآخرين بهذه الاستشارة.",
        },
        scale=("إطلاقًا", "قليلًا", "جزئيًا", "في الغالب", "تمامًا"),
        digits="٠١٢٣٤٥٦٧٨٩",
        no_answer="بدون إجابة",
        submit="إرسال الإجابات",
        check_title="يرجى مراجعة إجاباتك",
        problem_title="لم تنجح العملية",
        thanks_title="شكرًا جزيلًا!",
        thanks_text="تم حفظ إجاباتك. إنها تساعدنا على تحسين الاستشارة. يمكنك الآن إغلاق هذه الصفحة.",
        errors={
            "used": "تم استخدام هذا الرابط من قبل. يمكن ملء كل استمارة تقييم مرة واحدة فقط.",
            "unknown": "رابط التقييم هذا غير موجود. يرجى التأكد من أنك نسخته كاملًا، أو امسح رمز QR.",
            "expired": "انتهت صلاحية رابط التقييم هذا. يرجى طلب استمارة جديدة من مكتب الاستشارة.",
            "rate_limited": (
                "تم إرسال عدد كبير جدًا من الإجابات من هذا الاتصال خلال الساعة الماضية. يرجى المحاولة مرة أخرى لاحقًا."
            ),
            "empty": "يرجى الإجابة على سؤال واحد على الأقل.",
            "invalid": "يرجى اختيار إحدى الإجابات المعروضة.",
        },
        sheet_title="رأيك يهمنا",
        sheet_text=(
            "أخبرنا كيف كانت تجربتك مع الاستشارة. امسح رمز QR بهاتفك أو اكتب الرابط في المتصفح. "
            "الاستبيان مجهول الهوية ويستغرق حوالي دقيقتين."
        ),
        sheet_link_label="الرابط",
        sheet_once="يمكن استخدام الرابط مرة واحدة فقط، حتى {date}.",
        sheet_languages="يمكنك اختيار لغة أخرى على الصفحة.",
    ),
    "uk": FeedbackTexts(
        language_name="Українська",
        language_label="Мова",
        title="Ваша думка про консультацію",
        intro=(
            "Це опитування анонімне: ми не питаємо вашого імені, і ніхто не зможе пов’язати ваші відповіді "
            "з вами. Воно займає близько 2 хвилин. Ви можете пропустити будь-яке питання."
        ),
        scale_hint="Наскільки ви погоджуєтеся? 1 = зовсім ні, 5 = повністю.",
        questions={
            "understood": "Я зрозумів(-ла), що мені пояснили під час консультації.",
            "helped": "Консультація допомогла мені в моїй ситуації.",
            "respected": "До мене ставилися з повагою.",
            "reachable": "З моїм консультантом або моєю консультанткою було легко зв’язатися.",
            "recommend": "Я порекомендував(-ла) б цю консультацію іншим.",
        },
        scale=("зовсім ні", "трохи", "частково", "здебільшого", "повністю"),
        digits=LATIN_DIGITS,
        no_answer="без відповіді",
        submit="Надіслати відповіді",
        check_title="Будь ласка, перевірте свої відповіді",
        problem_title="Не вдалося",
        thanks_title="Щиро дякуємо!",
        thanks_text=(
            "Ваші відповіді збережено. Вони допомагають нам покращувати консультації. "
            "Тепер ви можете закрити цю сторінку."
        ),
        errors={
            "used": "Це посилання вже було використано. Кожну анкету можна заповнити лише один раз.",
            "unknown": (
                "Такого посилання для відгуку не існує. Перевірте, чи ви переписали його повністю, "
                "або відскануйте QR-код."
            ),
            "expired": "Термін дії цього посилання закінчився. Попросіть нову анкету в консультаційному пункті.",
            "rate_limited": ("За останню годину з цього підключення надіслано забагато відповідей. Спробуйте пізніше."),
            "empty": "Будь ласка, дайте відповідь хоча б на одне питання.",
            "invalid": "Будь ласка, виберіть одну із запропонованих відповідей.",
        },
        sheet_title="Ваша думка важлива для нас",
        sheet_text=(
            "Розкажіть нам, як ви оцінюєте консультацію. Відскануйте QR-код телефоном або введіть посилання "
            "в браузері. Опитування анонімне і займає близько 2 хвилин."
        ),
        sheet_link_label="Посилання",
        sheet_once="Посилання діє один раз, до {date}.",
        sheet_languages="На сторінці можна вибрати іншу мову.",
    ),
    "ru": FeedbackTexts(
        language_name="Русский",
        language_label="Язык",
        title="Ваше мнение о консультации",
        intro=(
            "Этот опрос анонимный: мы не спрашиваем ваше имя, и никто не сможет связать ваши ответы с вами. "
            "Он займёт около 2 минут. Вы можете пропустить любой вопрос."
        ),
        scale_hint="Насколько вы согласны? 1 = совсем нет, 5 = полностью.",
        questions={
            "understood": "Я понял(а), что мне объяснили на консультации.",
            "helped": "Консультация помогла мне в моей ситуации.",
            "respected": "Ко мне относились с уважением.",
            "reachable": "С моим консультантом было легко связаться.",
            "recommend": "Я бы порекомендовал(а) эту консультацию другим.",
        },
        scale=("совсем нет", "немного", "частично", "в основном", "полностью"),
        digits=LATIN_DIGITS,
        no_answer="без ответа",
        submit="Отправить ответы",
        check_title="Пожалуйста, проверьте ответы",
        problem_title="Не получилось",
        thanks_title="Большое спасибо!",
        thanks_text=(
            "Ваши ответы сохранены. Они помогают нам улучшать консультации. Теперь вы можете закрыть эту страницу."
        ),
        errors={
            "used": "Эта ссылка уже была использована. Каждую анкету можно заполнить только один раз.",
            "unknown": (
                "Такой ссылки для отзыва не существует. Проверьте, полностью ли вы её переписали, "
                "или отсканируйте QR-код."
            ),
            "expired": "Срок действия этой ссылки истёк. Попросите новую анкету в консультационном пункте.",
            "rate_limited": (
                "За последний час с этого подключения отправлено слишком много ответов. Попробуйте позже."
            ),
            "empty": "Пожалуйста, ответьте хотя бы на один вопрос.",
            "invalid": "Пожалуйста, выберите один из предложенных ответов.",
        },
        sheet_title="Ваше мнение важно для нас",
        sheet_text=(
            "Расскажите нам, как прошла консультация. Отсканируйте QR-код телефоном или введите ссылку "
            "в браузере. Опрос анонимный и займёт около 2 минут."
        ),
        sheet_link_label="Ссылка",
        sheet_once="Ссылка действует один раз, до {date}.",
        sheet_languages="На странице можно выбрать другой язык.",
    ),
    "tr": FeedbackTexts(
        language_name="Türkçe",
        language_label="Dil",
        title="Danışmanlık hakkındaki görüşünüz",
        intro=(
            "Bu anket anonimdir: adınızı sormuyoruz ve kimse cevaplarınızı sizinle ilişkilendiremez. "
            "Yaklaşık 2 dakika sürer. İstediğiniz soruyu boş bırakabilirsiniz."
        ),
        scale_hint="Ne kadar katılıyorsunuz? 1 = hiç, 5 = tamamen.",
        questions={
            "understood": "Danışmanlıkta bana anlatılanları anladım.",
            "helped": "Danışmanlık, durumumda bana yardımcı oldu.",
            "respected": "Bana saygılı davranıldı.",
            "reachable": "Danışmanıma kolayca ulaşabildim.",
            "recommend": "Bu danışmanlığı başkalarına tavsiye ederim.",
        },
        scale=("hiç", "biraz", "kısmen", "büyük ölçüde", "tamamen"),
        digits=LATIN_DIGITS,
        no_answer="cevap yok",
        submit="Cevapları gönder",
        check_title="Lütfen cevaplarınızı kontrol edin",
        problem_title="Bu işlem yapılamadı",
        thanks_title="Çok teşekkürler!",
        thanks_text=(
            "Cevaplarınız kaydedildi. Danışmanlığı iyileştirmemize yardımcı oluyorlar. "
            "Bu sayfayı şimdi kapatabilirsiniz."
        ),
        errors={
            "used": "Bu bağlantı daha önce kullanıldı. Her geri bildirim formu yalnızca bir kez doldurulabilir.",
            "unknown": (
                "Böyle bir geri bildirim bağlantısı yok. Lütfen bağlantıyı eksiksiz yazdığınızı kontrol edin "
                "veya QR kodunu tarayın."
            ),
            "expired": (
                "Bu geri bildirim bağlantısının süresi doldu. Lütfen danışmanlık biriminden yeni bir form isteyin."
            ),
            "rate_limited": (
                "Son bir saat içinde bu bağlantıdan çok fazla cevap gönderildi. Lütfen daha sonra tekrar deneyin."
            ),
            "empty": "Lütfen en az bir soruyu cevaplayın.",
            "invalid": "Lütfen sunulan cevaplardan birini seçin.",
        },
        sheet_title="Görüşünüz bizim için önemli",
        sheet_text=(
            "Danışmanlığı nasıl deneyimlediğinizi bize anlatın. QR kodunu telefonunuzla tarayın veya bağlantıyı "
            "bir tarayıcıya yazın. Anket anonimdir ve yaklaşık 2 dakika sürer."
        ),
        sheet_link_label="Bağlantı",
        sheet_once="Bağlantı yalnızca bir kez ve {date} tarihine kadar geçerlidir.",
        sheet_languages="Sayfada başka bir dil seçebilirsiniz.",
    ),
    "fa": FeedbackTexts(
        language_name="فارسی",
        language_label="زبان",
        title="نظر شما درباره مشاوره",
        intro=(
            "این نظرسنجی ناشناس است: نام شما را نمی‌پرسیم و هیچ‌کس نمی‌تواند پاسخ‌های شما را به شما ربط دهد. "
            "حدود ۲ دقیقه طول می‌کشد. می‌توانید هر پرسشی را بی‌پاسخ بگذارید."
        ),
        scale_hint="چقدر موافقید؟ ۱ = اصلاً، ۵ = کاملاً.",
        questions={
            "understood": "آنچه در مشاوره برایم توضیح داده شد را فهمیدم.",
            "helped": "مشاوره در وضعیتم به من کمک کرد.",
            "respected": "با من با احترام رفتار شد.",
            "reachable": "دسترسی به مشاورم آسان بود.",
            "recommend": "این مشاوره را به دیگران توصیه می‌کنم.",
        },
        scale=("اصلاً", "کم", "تا حدی", "بیشتر", "کاملاً"),
        digits="۰۱۲۳۴۵۶۷۸۹",
        no_answer="بدون پاسخ",
        submit="ارسال پاسخ‌ها",
        check_title="لطفاً پاسخ‌های خود را بررسی کنید",
        problem_title="این کار انجام نشد",
        thanks_title="بسیار سپاسگزاریم!",
        thanks_text=(
            "پاسخ‌های شما ذخیره شد. آن‌ها به ما کمک می‌کنند مشاوره را بهتر کنیم. اکنون می‌توانید این صفحه را ببندید."
        ),
        errors={
            "used": "این پیوند قبلاً استفاده شده است. هر فرم بازخورد فقط یک بار پر می‌شود.",
            "unknown": (
                "چنین پیوند بازخوردی وجود ندارد. لطفاً بررسی کنید که پیوند را کامل نوشته‌اید، یا کد QR را اسکن کنید."
            ),
            "expired": "اعتبار این پیوند بازخورد به پایان رسیده است. لطفاً از دفتر مشاوره یک فرم جدید بخواهید.",
            "rate_limited": (
                "در یک ساعت گذشته پاسخ‌های زیادی از این اتصال ارسال شده است. لطفاً بعداً دوباره امتحان کنید."
            ),
            "empty": "لطفاً دست‌کم به یک پرسش پاسخ دهید.",
            "invalid": "لطفاً یکی از پاسخ‌های پیشنهادی را انتخاب کنید.",
        },
        sheet_title="نظر شما برای ما مهم است",
        sheet_text=(
            "به ما بگویید مشاوره را چگونه تجربه کردید. کد QR را با تلفن همراه خود اسکن کنید یا پیوند را "
            "در مرورگر وارد کنید. این نظرسنجی ناشناس است و حدود ۲ دقیقه طول می‌کشد."
        ),
        sheet_link_label="پیوند",
        sheet_once="این پیوند فقط یک بار و تا تاریخ {date} معتبر است.",
        sheet_languages="در صفحه می‌توانید زبان دیگری انتخاب کنید.",
    ),
}


def language_or_default(value: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """``value`` if it is one of the seven languages, else ``fallback`` (itself checked)."""
    if value in TEXTS:
        return value  # type: ignore[return-value]
    return fallback if fallback in TEXTS else DEFAULT_LANGUAGE


def texts_for(language: str) -> FeedbackTexts:
    return TEXTS[language_or_default(language)]


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"
