"""Static tables the demo base is made from: geography, products, phrases (no Qt, no randomness).

Each locale has a small coherent geography (a region's cities carry their own phone area codes and
postcode prefixes, so an address, its postcode and its landline agree) and the words a seller of coffee,
tea and office-kitchen goods would type into a card. Faker supplies the names, streets and companies
(see ``demo_people``); these tables supply what Faker cannot keep consistent.

The texts are demo *data*, in the language of the client they describe, not interface strings: they are
deliberately not marked for translation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A city with its landline area codes, postcode prefix, districts and a population weight."""

    name: str
    area_codes: tuple[str, ...]
    postcode_prefix: str
    weight: int
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A region (oblast, state) and its cities; ``code`` is the tax-office code (RU) or state code (US)."""

    name: str
    code: str
    cities: tuple[City, ...]


RU_REGIONS: tuple[Region, ...] = (
    Region(
        "Москва",
        "77",
        (
            City(
                "Москва",
                ("495", "499"),
                "1",
                400,
                ("Хамовники", "Арбат", "Басманный", "Таганский", "Сокольники", "Марьино", "Митино"),
            ),
        ),
    ),
    Region(
        "Санкт-Петербург",
        "78",
        (
            City(
                "Санкт-Петербург",
                ("812",),
                "19",
                180,
                ("Адмиралтейский", "Василеостровский", "Выборгский", "Калининский", "Приморский"),
            ),
        ),
    ),
    Region(
        "Московская область",
        "50",
        (
            City("Химки", ("498",), "141", 20),
            City("Подольск", ("496",), "142", 20),
            City("Балашиха", ("498",), "143", 20),
            City("Мытищи", ("498",), "141", 18),
            City("Королёв", ("498",), "141", 14),
        ),
    ),
    Region(
        "Ленинградская область",
        "47",
        (City("Гатчина", ("81371",), "188", 8), City("Всеволожск", ("81370",), "188", 8)),
    ),
    Region("Свердловская область", "66", (City("Екатеринбург", ("343",), "620", 50),)),
    Region("Новосибирская область", "54", (City("Новосибирск", ("383",), "630", 50),)),
    Region(
        "Республика Татарстан",
        "16",
        (City("Казань", ("843",), "420", 45), City("Набережные Челны", ("8552",), "423", 15)),
    ),
    Region(
        "Краснодарский край",
        "23",
        (City("Краснодар", ("861",), "350", 35), City("Сочи", ("862",), "354", 20)),
    ),
    Region("Нижегородская область", "52", (City("Нижний Новгород", ("831",), "603", 40),)),
    Region(
        "Самарская область",
        "63",
        (City("Самара", ("846",), "443", 35), City("Тольятти", ("8482",), "445", 20)),
    ),
    Region("Ростовская область", "61", (City("Ростов-на-Дону", ("863",), "344", 35),)),
    Region("Челябинская область", "74", (City("Челябинск", ("351",), "454", 35),)),
    Region("Пермский край", "59", (City("Пермь", ("342",), "614", 30),)),
    Region("Воронежская область", "36", (City("Воронеж", ("473",), "394", 30),)),
    Region("Омская область", "55", (City("Омск", ("3812",), "644", 28),)),
    Region("Красноярский край", "24", (City("Красноярск", ("391",), "660", 30),)),
    Region("Республика Башкортостан", "02", (City("Уфа", ("347",), "450", 30),)),
    Region("Волгоградская область", "34", (City("Волгоград", ("8442",), "400", 25),)),
    Region("Тюменская область", "72", (City("Тюмень", ("3452",), "625", 22),)),
    Region("Калининградская область", "39", (City("Калининград", ("4012",), "236", 15),)),
    Region("Ярославская область", "76", (City("Ярославль", ("4852",), "150", 15),)),
)

US_REGIONS: tuple[Region, ...] = (
    Region(
        "New York",
        "NY",
        (
            City(
                "New York",
                ("212", "646", "718"),
                "100",
                300,
                ("Manhattan", "Brooklyn", "Queens", "The Bronx", "Staten Island"),
            ),
            City("Buffalo", ("716",), "142", 20),
            City("Rochester", ("585",), "146", 18),
            City("Albany", ("518",), "122", 10),
        ),
    ),
    Region(
        "California",
        "CA",
        (
            City("Los Angeles", ("213", "310", "323"), "900", 150, ("Hollywood", "Downtown", "Venice")),
            City("San Francisco", ("415",), "941", 50),
            City("San Diego", ("619", "858"), "921", 50),
            City("San Jose", ("408",), "951", 35),
            City("Sacramento", ("916",), "958", 20),
        ),
    ),
    Region(
        "Texas",
        "TX",
        (
            City("Houston", ("713", "281", "832"), "770", 80),
            City("Dallas", ("214", "972"), "752", 50),
            City("Austin", ("512",), "787", 40),
            City("San Antonio", ("210",), "782", 40),
        ),
    ),
    Region(
        "Illinois",
        "IL",
        (City("Chicago", ("312", "773"), "606", 100), City("Springfield", ("217",), "627", 8)),
    ),
    Region(
        "Florida",
        "FL",
        (
            City("Miami", ("305", "786"), "331", 45),
            City("Orlando", ("407",), "328", 25),
            City("Tampa", ("813",), "336", 25),
            City("Jacksonville", ("904",), "322", 25),
        ),
    ),
    Region(
        "Washington",
        "WA",
        (
            City("Seattle", ("206",), "981", 45),
            City("Spokane", ("509",), "992", 12),
            City("Tacoma", ("253",), "984", 12),
        ),
    ),
    Region(
        "Massachusetts",
        "MA",
        (City("Boston", ("617", "857"), "021", 45), City("Worcester", ("508",), "016", 12)),
    ),
    Region("Georgia", "GA", (City("Atlanta", ("404", "678"), "303", 45),)),
    Region(
        "Pennsylvania",
        "PA",
        (City("Philadelphia", ("215", "267"), "191", 50), City("Pittsburgh", ("412",), "152", 25)),
    ),
    Region(
        "Arizona", "AZ", (City("Phoenix", ("602", "480"), "850", 45), City("Tucson", ("520",), "857", 15))
    ),
    Region("Colorado", "CO", (City("Denver", ("303", "720"), "802", 35),)),
    Region(
        "Ohio",
        "OH",
        (
            City("Columbus", ("614",), "432", 25),
            City("Cleveland", ("216",), "441", 20),
            City("Cincinnati", ("513",), "452", 18),
        ),
    ),
    Region(
        "Michigan", "MI", (City("Detroit", ("313",), "482", 25), City("Grand Rapids", ("616",), "495", 12))
    ),
    Region("Oregon", "OR", (City("Portland", ("503", "971"), "972", 30),)),
    Region(
        "Minnesota", "MN", (City("Minneapolis", ("612",), "554", 25), City("Saint Paul", ("651",), "551", 12))
    ),
    Region(
        "North Carolina",
        "NC",
        (City("Charlotte", ("704", "980"), "282", 30), City("Raleigh", ("919",), "276", 20)),
    ),
    Region("Tennessee", "TN", (City("Nashville", ("615",), "372", 25), City("Memphis", ("901",), "381", 18))),
    Region(
        "New Jersey", "NJ", (City("Newark", ("973",), "071", 18), City("Jersey City", ("201",), "073", 15))
    ),
)

# What the demo firm sells: coffee, tea and goods for office kitchens. (name, unit price in major units)
PRODUCTS: dict[str, tuple[tuple[str, int], ...]] = {
    "ru": (
        ("Кофе в зёрнах, 1 кг", 24),
        ("Молотый кофе, 250 г", 7),
        ("Капсулы для кофемашины, 50 шт.", 18),
        ("Чай чёрный листовой, 500 г", 12),
        ("Чай зелёный, 100 г", 6),
        ("Травяной сбор, 100 г", 5),
        ("Сироп ванильный, 1 л", 9),
        ("Стаканчики бумажные, 100 шт.", 4),
        ("Молочник-вспениватель", 35),
        ("Кофемолка жерновая", 120),
        ("Кофемашина для офиса", 950),
        ("Обслуживание кофемашины", 80),
        ("Средство от накипи", 6),
        ("Подарочный набор", 40),
        ("Обучение бариста", 150),
        ("Шоколад горячий, 1 кг", 15),
    ),
    "en": (
        ("Coffee beans, 1 kg", 24),
        ("Ground coffee, 250 g", 7),
        ("Coffee capsules, box of 50", 18),
        ("Black loose-leaf tea, 500 g", 12),
        ("Green tea, 100 g", 6),
        ("Herbal infusion, 100 g", 5),
        ("Vanilla syrup, 1 l", 9),
        ("Paper cups, pack of 100", 4),
        ("Milk frother", 35),
        ("Burr grinder", 120),
        ("Office coffee machine", 950),
        ("Coffee machine service", 80),
        ("Descaler", 6),
        ("Gift set", 40),
        ("Barista training", 150),
        ("Hot chocolate, 1 kg", 15),
    ),
}
RETURN_PREFIX = {"ru": "Возврат: ", "en": "Return: "}

SOURCES = {
    "ru": ("рекомендация", "сайт", "выставка", "холодный звонок", "реклама", "соцсети", "Авито", "рассылка"),
    "en": (
        "referral",
        "website",
        "trade show",
        "cold call",
        "advertising",
        "social media",
        "walk-in",
        "newsletter",
    ),
}
TAGS = {
    "ru": ("опт", "розница", "офис", "HoReCa", "рассылка", "партнёр", "важный", "сезонный"),
    "en": ("wholesale", "retail", "office", "cafe", "newsletter", "partner", "key account", "seasonal"),
}
SELLERS = {"ru": ("anna", "sergey", "olga"), "en": ("emily", "mike")}
EMAIL_DOMAINS = {
    "ru": ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "rambler.ru", "inbox.ru"),
    "en": ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"),
}
US_BANKS = (
    "JPMorgan Chase Bank",
    "Bank of America",
    "Wells Fargo Bank",
    "Citibank",
    "U.S. Bank",
    "PNC Bank",
    "Truist Bank",
    "Capital One",
    "TD Bank",
    "Fifth Third Bank",
)
BUYING_PARTICULARS = {
    "ru": (
        "Заказывает по телефону, просит счёт на почту",
        "Берёт только зерно средней обжарки",
        "Закупает к праздникам для сотрудников",
        "Решение принимает директор, согласование до недели",
        "Предпочитает самовывоз",
        "Заказывает через сайт, оплачивает картой",
    ),
    "en": (
        "Orders by phone, wants the invoice by e-mail",
        "Medium roast beans only",
        "Buys gifts for the staff before holidays",
        "The director decides; approval takes up to a week",
        "Prefers to pick up the goods",
        "Orders on the website and pays by card",
    ),
}
USUAL_VOLUMES = {
    "ru": ("1-2 кг в месяц", "коробка капсул в неделю", "5-10 кг в месяц", "по мере необходимости"),
    "en": ("1-2 kg a month", "a box of capsules a week", "5-10 kg a month", "as needed"),
}
DEAL_TERMS = {
    "ru": (
        "Фиксированная цена на год",
        "Бесплатная доставка от 5 000",
        "Кофемашина в аренду при закупке зерна",
    ),
    "en": ("Fixed prices for a year", "Free delivery over 100", "Machine on loan with a bean contract"),
}
PAYMENT_TERMS = {
    "ru": ("предоплата", "отсрочка 14 дней", "отсрочка 30 дней", "оплата при получении"),
    "en": ("prepayment", "net 14", "net 30", "cash on delivery"),
}
DELIVERY_TERMS = {
    "ru": ("доставка курьером", "самовывоз", "транспортная компания", "доставка в офис по вторникам"),
    "en": ("courier", "pick-up", "freight carrier", "office delivery on Tuesdays"),
}
COMPETITORS = {
    "ru": ("Кофе-Сервис", "ЧайОпт", "Бариста Маркет"),
    "en": ("BeanCo", "Office Brew Supply", "TeaWorks"),
}
COMPETITOR_ADVANTAGES = {
    "ru": ("цена ниже на 10 %", "доставка в день заказа", "кофемашина бесплатно"),
    "en": ("10 % cheaper", "same-day delivery", "a free machine"),
}
NOTES = {
    "ru": (
        "Звонить после 11:00",
        "Любит новинки, предлагать первым",
        "Не любит долгие разговоры",
        "Есть второй офис, возможен рост закупок",
        "Поздравлять с днём рождения компании в мае",
    ),
    "en": (
        "Call after 11 am",
        "Likes new products: offer them first",
        "Keep calls short",
        "Has a second office: purchases may grow",
        "Greet on the company anniversary in May",
    ),
}

# History texts by outcome; "" covers notes, mailings and contacts without a result.
INTERACTION_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "": ("Отправлен прайс-лист", "Рассылка о новинках", "Заметка по итогам встречи", "Отправлено письмо"),
        "reached": (
            "Обсудили следующий заказ",
            "Уточнили адрес доставки",
            "Спросили о качестве последней партии",
        ),
        "no-answer": ("Не дозвонились", "Сбросил вызов", "Занято"),
        "interested": ("Интересуется новым сортом", "Готов обсудить оптовые условия"),
        "presentation": ("Согласился на дегустацию в офисе", "Придёт на презентацию кофемашин"),
        "mailing-ok": ("Согласен получать рассылку",),
        "asked-info": ("Просил прислать каталог и цены", "Запросил коммерческое предложение"),
        "refused": ("Отказался: дорого", "Не интересно, работает с другим поставщиком"),
        "ended": ("Прекратил сотрудничество: перешёл к конкуренту", "Закрыл офис, закупки прекращены"),
    },
    "en": {
        "": (
            "Sent the price list",
            "Newsletter about new products",
            "Notes after the meeting",
            "Sent an e-mail",
        ),
        "reached": ("Discussed the next order", "Checked the delivery address", "Asked about the last batch"),
        "no-answer": ("No answer", "Call rejected", "Line busy"),
        "interested": ("Interested in the new blend", "Ready to discuss wholesale terms"),
        "presentation": ("Agreed to a tasting at the office", "Will come to the machine presentation"),
        "mailing-ok": ("Agreed to receive our newsletter",),
        "asked-info": ("Asked for the catalogue and prices", "Asked for a quotation"),
        "refused": ("Refused: too expensive", "Not interested, has another supplier"),
        "ended": ("Ended cooperation: moved to a competitor", "Closed the office, no more orders"),
    },
}
NEXT_STEPS = {
    "ru": (
        "Перезвонить через две недели",
        "Отправить предложение",
        "Напомнить о скидке",
        "Пригласить на дегустацию",
    ),
    "en": ("Call back in two weeks", "Send an offer", "Remind about the discount", "Invite to a tasting"),
}
REMINDER_TEXTS = {
    "ru": {
        "call": "Перезвонить по заказу",
        "birthday": "Поздравить с днём рождения",
        "prolongation": "Продлить договор",
        "custom": "Отправить образцы",
    },
    "en": {
        "call": "Call back about the order",
        "birthday": "Send birthday greetings",
        "prolongation": "Renew the contract",
        "custom": "Send samples",
    },
}

# Russian to Latin letters, for e-mail addresses made from Russian names.
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

# Relative demand by calendar month (a December peak, a summer dip): index 1..12.
SEASON = (0, 95, 92, 100, 98, 96, 85, 80, 88, 102, 108, 118, 140)

# Parts of organisation names, combined with surnames from Faker (its own company list is short: about a
# thousand names, so a big base would repeat each of them, and its e-mail domain, many times).
COMPANY_FORMS = {
    "ru": ("ООО", "ООО", "ООО", "АО", "ЗАО", "ПАО"),
    "en": ("LLC", "Inc.", "Co.", "Ltd.", "Corp."),
}
COMPANY_ROOTS = {
    "ru": (
        "Кофе", "Чай", "Торг", "Снаб", "Офис", "Альфа", "Вектор", "Гранд", "Эко", "Север", "Юг", "Волга",
        "Урал", "Сибирь", "Нева", "Мега", "Профи", "Бизнес", "Стандарт", "Рус",
    ),
    "en": (
        "Blue", "North", "Summit", "Harbor", "Pioneer", "Golden", "Evergreen", "Liberty", "Maple", "Cedar",
        "Bright", "Prime", "Atlas", "River", "Lakeside", "Union", "Metro", "Crown", "Sunrise", "Oak",
    ),
}  # fmt: skip
COMPANY_TAILS = {
    "ru": (
        "Торг", "Снаб", "Сервис", "Трейд", "Групп", "Плюс", "Опт", "Маркет", "Лайн", "Центр", "Строй", "Софт",
    ),
    "en": (
        "Coffee", "Office Supply", "Trading", "Catering", "Cafe", "Bakery", "Hotels", "Dental", "Logistics",
        "Consulting", "Realty", "Print",
    ),
}  # fmt: skip

# Latin letters for Finnish and Persian names too (e-mail addresses and web domains are Latin).
TRANSLIT.update({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})
TRANSLIT.update({
    "ا": "a", "آ": "a", "أ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z",
    "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh", "ک": "k", "ك": "k", "گ": "g", "ل": "l",
    "م": "m", "ن": "n", "و": "v", "ه": "h", "ة": "h", "ی": "i", "ي": "i", "ئ": "", "ء": "", "\u200c": "",
})  # fmt: skip

# The demo's locales: ru (Russia), en (the United States), fi (Finland), fa (Iran). Their country (phone
# region and ISO code) and currency; the Finnish and Persian tables live in their own modules.
COUNTRIES = {"ru": "RU", "en": "US", "fi": "FI", "fa": "IR"}
CURRENCIES = {"ru": "RUB", "en": "USD", "fi": "EUR", "fa": "IRR"}
CALLING_CODES = {"ru": "+7", "en": "+1", "fi": "+358", "fa": "+98"}
CONTRACT_FORMATS = {
    "ru": "Д-{year}/{seq:04d}",
    "en": "C-{year}-{seq:04d}",
    "fi": "S-{year}-{seq:04d}",
    "fa": "ق-{year}/{seq:04d}",
}
INVOICE_PREFIXES = {"ru": "СЧ-", "en": "INV-", "fi": "LASKU-", "fa": "ف-"}


def _merge(loc: str, words: dict[str, object]) -> None:
    for name, value in words.items():
        table = globals()[name]
        if isinstance(table, dict):
            table[loc] = value


from custdesk.core import demo_data_fa, demo_data_fi  # noqa: E402  (they use City and Region from here)

REGIONS: dict[str, tuple[Region, ...]] = {
    "ru": RU_REGIONS,
    "en": US_REGIONS,
    "fi": demo_data_fi.REGIONS,
    "fa": demo_data_fa.REGIONS,
}
_merge("fi", demo_data_fi.WORDS)
_merge("fa", demo_data_fa.WORDS)
