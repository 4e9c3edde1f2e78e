"""Column headers people write, per target field, in English, Russian, Finnish and Persian.

``SYNONYMS[scope][field]`` lists headers; scope ``"*"`` holds those every kind of import shares, a
kind's own scope (``clients``, ``purchases``, ``history``) overrides them (a "Phone" column of a
purchases file is the client's phone). Headers are compared folded (see ``mapping.header_key``), so
case, spaces and punctuation do not matter. Data, not messages: these are not translated.
"""

from __future__ import annotations

import re

# A header that tells nothing of its column: a letter, a number, "Column C", "Колонка 3", "F1" (folded).
GENERIC_HEADER = re.compile(
    r"(?:(?:column|col|field|колонка|столбец|поле|sarake|kenttä|ستون|فیلد)\s*)?[a-zа-я]{0,2}\s*[\d۰-۹]*"
)
# Words of headers that name something that is not a phone, though its values may be digits.
NOT_PHONE_WORDS = (
    "card", "account", "code", "index", "zip", "post", "sku", "inn", "vat", "tax", "passport", "order",
    "invoice", "contract", "bank", "iban", "bonus", "discount",
    "карт", "счет", "счёт", "код", "индекс", "инн", "кпп", "огрн", "паспорт", "заказ", "договор",
    "банк", "бонус", "скидк", "артикул",
    "kortti", "tili", "koodi", "postinumero", "tunnus", "sopimus", "tilaus", "lasku", "bonus",
    "کارت", "حساب", "کد", "شناسه", "قرارداد", "سفارش", "فاکتور", "تخفیف",
)  # fmt: skip

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "external_id": (
            "id", "code", "client id", "customer id", "customer no", "customer number", "client code",
            "account", "account number", "код", "код клиента", "ид", "идентификатор", "номер клиента",
            "№ клиента", "артикул клиента", "asiakasnumero", "asiakastunnus", "tunnus", "asiakas id",
            "asiakaskoodi", "کد", "کد مشتری", "شناسه", "شماره مشتری", "external id", "externalid",
        ),
        "name": (
            "name", "full name", "fullname", "client", "customer", "contact", "contact name",
            "contact person", "person", "client name", "customer name", "display name",
            "фио", "ф.и.о.", "имя фамилия", "фамилия имя отчество", "клиент", "покупатель",
            "контакт", "контактное лицо", "имя клиента", "наименование клиента", "полное имя",
            "nimi", "koko nimi", "asiakas", "asiakkaan nimi", "yhteyshenkilö", "henkilö",
            "نام", "نام کامل", "نام و نام خانوادگی", "مشتری", "نام مشتری", "شخص",
        ),
        "last_name": (
            "last name", "surname", "family name", "lastname", "фамилия", "sukunimi",
            "نام خانوادگی", "فامیلی",
        ),
        "first_name": (
            "first name", "given name", "firstname", "forename", "имя", "etunimi", "nimi etu",
            "نام کوچک", "اسم",
        ),
        "middle_name": (
            "middle name", "patronymic", "second name", "отчество", "toinen nimi", "نام پدر", "نام میانی",
        ),
        "organisation": (
            "organisation", "organization", "company", "company name", "firm", "business", "employer",
            "организация", "компания", "фирма", "предприятие", "наименование организации", "юрлицо",
            "контрагент", "название компании", "yritys", "organisaatio", "yhtiö", "toiminimi",
            "yrityksen nimi", "شرکت", "سازمان", "نام شرکت", "موسسه",
            "organization 1 - name", "organization name",  # Google Contacts
        ),
        "kind": ("type", "client type", "тип", "тип клиента", "вид", "tyyppi", "asiakastyyppi", "نوع"),
        "phone": (
            "phone", "phones", "telephone", "tel", "tel.", "mobile", "mobile phone", "cell", "cell phone",
            "phone number", "work phone", "home phone", "business phone", "primary phone", "gsm", "fax",
            "факс", "faksi", "فکس", "other phone",
            "business fax", "home fax", "other fax", "company main phone", "car phone",  # Outlook
            "телефон", "телефоны", "тел", "тел.", "мобильный", "мобильный телефон", "сотовый",
            "рабочий телефон", "домашний телефон", "номер телефона", "контактный телефон",
            "puhelin", "puhelinnumero", "matkapuhelin", "gsm numero", "kännykkä", "työpuhelin",
            "تلفن", "شماره تلفن", "موبایل", "تلفن همراه", "همراه", "شماره تماس", "تلفن ثابت",
        ),
        "email": (
            "email", "e-mail", "e mail", "mail", "email address", "e-mail address", "emails",
            "почта", "эл. почта", "эл.почта", "электронная почта", "емейл", "имейл", "е-мейл",
            "sähköposti", "sposti", "s-posti", "sähköpostiosoite", "ایمیل", "پست الکترونیک",
            "رایانامه", "نشانی ایمیل",
            "e-mail 2 address", "e-mail 3 address",  # Outlook
        ),
        "country": (
            "country", "country code", "страна", "код страны", "maa", "maakoodi", "کشور",
            # Google Contacts and Outlook
            "address 1 - country", "address 2 - country", "business country/region", "home country/region",
            "other country/region", "country/region",
        ),
        "client_since": (
            "client since", "customer since", "since", "created", "created at", "created on", "date created",
            "creation date", "registered", "registration date", "date registered", "signup date",
            "first purchase", "first order", "first purchase date", "joined",
            "клиент с", "дата регистрации", "зарегистрирован", "дата создания", "создан",
            "дата первой покупки", "первая покупка", "клиент с даты", "дата заведения",
            "asiakas alkaen", "asiakkuus alkanut", "asiakkuus alkaen", "rekisteröity", "rekisteröintipäivä",
            "luotu", "liittymispäivä", "ensimmäinen osto",
            "تاریخ ثبت", "تاریخ ثبت نام", "تاریخ عضویت", "مشتری از", "اولین خرید", "تاریخ ایجاد",
        ),
        "region": (
            "region", "state", "province", "county", "область", "регион", "край", "республика",
            "субъект", "maakunta", "alue", "lääni", "استان", "منطقه",
            "address 1 - region", "address 2 - region", "business state", "home state", "other state",
        ),
        "city": (
            "city", "town", "locality", "город", "населенный пункт", "нас. пункт", "kaupunki",
            "paikkakunta", "kunta", "postitoimipaikka", "شهر",
            "address 1 - city", "address 2 - city", "business city", "home city", "other city",
        ),
        "district": ("district", "район", "округ", "kaupunginosa", "piiri", "ناحیه", "بخش"),
        "street": (
            "street", "address", "street address", "address line 1", "address line 2", "адрес",
            "улица", "адрес доставки", "почтовый адрес", "katuosoite", "osoite", "katu",
            "lähiosoite", "آدرس", "نشانی", "خیابان",
            "address 1 - street", "address 2 - street", "business street", "home street", "other street",
        ),
        "building": ("building", "house", "дом", "строение", "корпус", "talo", "rakennus", "پلاک", "ساختمان"),
        "postcode": (
            "postcode", "post code", "postal code", "zip", "zip code", "zip/postal code", "индекс",
            "почтовый индекс",
            "postinumero", "کد پستی",
            "address 1 - postal code", "address 2 - postal code", "business postal code", "home postal code",
            "other postal code",
        ),
        "birthday": (
            "birthday", "birth date", "date of birth", "dob", "birthdate", "дата рождения", "д.р.",
            "день рождения", "др", "syntymäpäivä", "syntymäaika", "تاریخ تولد", "تولد",
        ),
        "tax_id": (
            "tax id", "vat", "vat number", "vat id", "инн", "инн/кпп", "y-tunnus", "ytunnus", "alv-numero",
            "کد اقتصادی", "شناسه ملی",
        ),
        "source": (
            "source", "lead source", "referral", "источник", "откуда пришел", "канал", "lähde", "منبع",
            "نحوه آشنایی",
        ),
        "notes": (
            "notes", "note", "comment", "comments", "remarks", "description", "примечание",
            "примечания", "комментарий", "комментарии", "заметки", "описание", "huomautus",
            "huomautukset", "lisätiedot", "muistiinpanot", "kommentti", "یادداشت", "توضیحات",
            "ملاحظات",
        ),
        "tags": ("tags", "tag", "labels", "category", "group", "groups", "метки", "теги", "категория",
                 "группа", "tunnisteet", "ryhmä", "luokka", "برچسب", "گروه", "دسته", "group membership",
                 "categories"),
        "registration_no": ("registration no", "огрн", "регистрационный номер", "y-tunnus rekisteri"),
        "bank_details": ("bank details", "банковские реквизиты", "реквизиты", "pankkitiedot"),
        "vip": ("vip", "вип", "важный клиент"),
        "discount_percent": ("discount", "discount %", "скидка", "скидка %", "alennus", "alennus %", "تخفیف"),
        "contract_no": ("contract no", "contract number", "номер договора", "договор", "sopimusnumero"),
        "contract_end": ("contract end", "договор до", "окончание договора", "sopimus päättyy"),
        "competitor": ("competitor", "конкурент", "kilpailija", "رقیب"),
        "funnel": ("funnel", "funnel marker", "marker", "воронка", "маркер", "suppilo", "قیف"),
        "temperature": ("temperature", "температура", "lämpötila", "دما"),
        "call_cycle_days": ("call cycle", "call cycle days", "цикл звонков", "soittoväli"),
    },
    "purchases": {
        "client_external_id": (
            "client id", "customer id", "client code", "customer no", "customer number", "client", "customer",
            "client external id", "код клиента", "клиент", "номер клиента", "ид клиента", "покупатель",
            "asiakasnumero", "asiakas", "asiakastunnus", "کد مشتری", "مشتری", "شناسه مشتری",
        ),
        "client_phone": (
            "phone", "telephone", "tel", "mobile", "client phone", "customer phone", "телефон",
            "телефон клиента", "puhelin", "asiakkaan puhelin", "تلفن", "موبایل", "تلفن مشتری",
        ),
        "client_email": (
            "email", "e-mail", "client email", "customer email", "почта", "e-mail клиента",
            "sähköposti", "ایمیل", "ایمیل مشتری",
        ),
        "date": (
            "date", "purchase date", "order date", "sale date", "дата", "дата покупки", "дата продажи",
            "дата заказа", "päivämäärä", "pvm", "ostopäivä", "myyntipäivä", "تاریخ", "تاریخ خرید",
        ),
        "amount": (
            "amount", "sum", "total", "revenue", "price", "value", "сумма", "стоимость", "итого",
            "выручка", "сумма покупки", "summa", "yhteensä", "hinta", "määrä", "مبلغ", "جمع",
            "مبلغ کل", "قیمت",
        ),
        "profit": ("profit", "margin", "прибыль", "маржа", "наценка", "kate", "voitto", "سود", "حاشیه سود"),
        "items": (
            "items", "products", "product", "goods", "description", "what", "товар", "товары",
            "наименование", "номенклатура", "что купил", "tuote", "tuotteet", "kuvaus", "کالا",
            "محصول", "اقلام", "شرح",
        ),
        "document_no": (
            "document", "document no", "invoice", "invoice no", "order no", "receipt", "номер документа",
            "документ", "счет", "чек", "накладная", "№ документа", "lasku", "laskunumero", "kuitti",
            "tositenumero", "شماره فاکتور", "فاکتور", "شماره سند",
        ),
    },
    "history": {
        "client_external_id": (
            "client id", "customer id", "client code", "customer no", "client", "customer",
            "client external id", "код клиента", "клиент", "номер клиента", "asiakasnumero", "asiakas",
            "کد مشتری", "مشتری",
        ),
        "client_phone": ("phone", "telephone", "tel", "mobile", "телефон", "puhelin", "تلفن", "موبایل"),
        "client_email": ("email", "e-mail", "почта", "sähköposti", "ایمیل"),
        "date": (
            "date", "when", "date time", "datetime", "дата", "дата контакта", "дата звонка", "когда",
            "päivämäärä", "pvm", "aika", "ajankohta", "تاریخ", "زمان",
        ),
        "kind": (
            "kind", "type", "contact type", "channel", "тип", "вид контакта", "тип контакта", "канал",
            "tyyppi", "laji", "kanava", "نوع", "نوع تماس",
        ),
        "outcome": ("outcome", "result", "результат", "итог", "tulos", "lopputulos", "نتیجه"),
        "text": (
            "text", "notes", "note", "comment", "description", "subject", "текст", "комментарий",
            "описание", "содержание", "тема", "примечание", "teksti", "kuvaus", "muistiinpano",
            "aihe", "متن", "توضیحات", "یادداشت", "موضوع",
        ),
        "next_step": (
            "next step", "next action", "следующий шаг", "дальнейшие действия", "seuraava askel",
            "jatkotoimet", "قدم بعدی", "اقدام بعدی",
        ),
    },
}  # fmt: skip

# Words in a cell that tell what a value is (not headers): the kind of a client, of a phone by its
# column's header, of a history entry, and the outcome of a contact.
ORG_WORDS = (
    "org",
    "company",
    "business",
    "организ",
    "компан",
    "юр",
    "фирма",
    "ооо",
    "yritys",
    "شرکت",
    "سازمان",
)
PHONEKIND_WORDS = (
    ("fax", ("fax", "факс", "faksi", "فکس")),
    ("mobile", ("mobile", "cell", "gsm", "мобил", "сотов", "matka", "känny", "موبایل", "همراه")),
    ("work", ("work", "business", "office", "рабоч", "служеб", "työ", "کار")),
    ("home", ("home", "домаш", "koti", "منزل", "خانه")),
)
KIND_WORDS = {
    "call": ("call", "phone", "звонок", "звонки", "телефон", "puhelu", "soitto", "تماس", "تلفن"),
    "meeting": ("meeting", "встреча", "tapaaminen", "جلسه", "ملاقات"),
    "email": ("email", "e-mail", "mail", "письмо", "почта", "sähköposti", "ایمیل"),
    "visit": ("visit", "визит", "посещение", "käynti", "بازدید"),
    "mailing": ("mailing", "newsletter", "рассылка", "postitus", "خبرنامه"),
    "note": ("note", "заметка", "примечание", "muistiinpano", "یادداشت"),
}
OUTCOME_WORDS = {
    "reached": ("reached", "дозвонился", "поговорили", "tavoitettu", "صحبت شد"),
    "no-answer": ("no answer", "не ответил", "нет ответа", "недозвон", "ei vastannut", "پاسخ نداد"),
    "interested": ("interested", "интерес", "заинтересован", "kiinnostunut", "علاقه"),
    "presentation": ("presentation", "презентация", "esittely", "ارائه"),
    "mailing-ok": ("mailing ok", "согласен на рассылку", "postitus ok"),
    "asked-info": (
        "asked info", "asked for information", "запросил информацию", "pyysi tietoa", "درخواست اطلاعات",
    ),
    "refused": ("refused", "отказ", "отказался", "kieltäytyi", "رد کرد", "انصراف"),
    "ended": ("ended", "ended cooperation", "прекратил", "прекращение", "lopetti", "پایان همکاری"),
}  # fmt: skip


# What the sum line under a list says in its first text cell: not a client.
TOTALS_WORDS = frozenset(
    {
        "итого", "всего", "итог", "итого по всем", "total", "totals", "grand total", "sum", "subtotal",
        "yhteensä", "summa", "kaikki yhteensä", "جمع", "جمع کل", "مجموع", "کل",
    }
)  # fmt: skip


def is_totals_row(name: str) -> bool:
    """Whether a row's name is a totals line's word ("Итого", "Total:", "جمع کل")."""
    text = " ".join(name.replace(":", " ").split()).casefold()
    return text in TOTALS_WORDS
