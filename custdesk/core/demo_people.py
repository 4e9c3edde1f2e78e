"""Who the demo clients are: names, addresses, phones, e-mails and requisites (no Qt).

Faker is slow per call, so :class:`People` asks it once for pools of first names, last names, streets,
companies and banks per locale (Russian, American, Finnish, Iranian; only the locales a demo uses) and
then combines them with the generator's own ``random.Random``. Cities,
regions, postcodes and phone area codes come from the coherent tables of ``demo_data``, so an address and
its landline agree. Phones are built from patterns checked against ``phonenumbers`` when the pools are
made, and are stored in E.164.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

import phonenumbers
from faker import Faker

from custdesk.core import demo_data as data
from custdesk.core import demo_data_fa, demo_data_fi

POOL_DRAWS = 1500  # Faker calls per pool; duplicates are dropped, so pools are a little smaller
LOCALES = {"ru": ("ru_RU", "RU"), "en": ("en_US", "US"), "fi": ("fi_FI", "FI"), "fa": ("fa_IR", "IR")}
# Faker's Persian names use the Arabic yeh and kaf in places; Persian writes ی and ک.
PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LANDLINE_DIGITS = {"fi": 7}  # subscriber digits after the area code (elsewhere: 10 digits in all)
MOBILE = {
    "ru": (("9",), 10),
    "fi": (("40", "41", "44", "45", "50"), 9),
    "fa": (("91", "93", "99", "90", "92"), 10),
}
POSTCODE_DIGITS = {"ru": 6, "en": 5, "fi": 5, "fa": 10}


@dataclass(slots=True)
class Identity:
    """The general data of one demo client (phones as ``(kind, e164, extension)``)."""

    name: str
    organisation: str
    tax_id: str
    registration_no: str
    bank_details: str
    country: str
    region: str
    city: str
    district: str
    street: str
    building: str
    postcode: str
    birthday: date | None
    phones: list[tuple[str, str, str]]
    emails: list[tuple[str, str]]
    region_code: str


def _pool(fake: Faker, method: str, draws: int = POOL_DRAWS) -> tuple[str, ...]:
    call = getattr(fake, method)
    return tuple(dict.fromkeys(str(call()) for _ in range(draws)))


def translit(text: str) -> str:
    """Latin letters for a Russian (or already Latin) word, lower-cased, letters and digits only."""
    out = "".join(data.TRANSLIT.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z0-9]", "", out)


def _inn10(rng: random.Random, region: str) -> str:
    digits = [int(c) for c in region] + [int(rng.random() * 10) for _ in range(7)]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def _ogrn(rng: random.Random, region: str, year: int) -> str:
    body = f"1{year % 100:02d}{region}{int(rng.random() * 10**7):07d}"
    return body + str(int(body) % 11 % 10)


def _aba(rng: random.Random) -> str:
    d = [int(rng.random() * 10) for _ in range(8)]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])
    return "".join(map(str, d)) + str((10 - total % 10) % 10)


def _digits(rng: random.Random, n: int) -> str:
    return f"{int(rng.random() * 10**n):0{n}d}"


def _valid(number: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, None)))
    except phonenumbers.NumberParseException:
        return False


def _national_patterns(region: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The fixed-line and mobile national-number patterns of ``phonenumbers`` for ``region``.

    Matching one of them is what ``is_valid_number`` checks, at a fraction of its cost per number.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert meta is not None and meta.fixed_line is not None and meta.mobile is not None
    fixed, mobile = meta.fixed_line.national_number_pattern, meta.mobile.national_number_pattern
    assert fixed is not None and mobile is not None
    return re.compile(fixed), re.compile(mobile)


@dataclass(frozen=True)
class Pools:
    """What Faker gives for one seed and one locale; never changed once made."""

    first_m: tuple[str, ...]
    first_f: tuple[str, ...]
    last_m: tuple[str, ...]
    last_f: tuple[str, ...]
    middle_m: tuple[str, ...]
    middle_f: tuple[str, ...]
    streets: tuple[str, ...]
    companies: tuple[tuple[str, str], ...]  # (name, e-mail domain)
    banks: tuple[str, ...]


@lru_cache(maxsize=8)
def faker_pools(seed: int, loc: str) -> Pools:
    """Ask Faker, seeded per instance, for the pools of ``seed`` in ``loc`` (kept: the same pools)."""
    faker_locale = LOCALES[loc][0]
    offset = tuple(LOCALES).index(loc)
    fake = Faker(faker_locale)
    fake.seed_instance(seed * 7 + offset)
    fields: dict[str, Any] = {}
    fields["first_m"] = _pool(fake, "first_name_male")
    fields["first_f"] = _pool(fake, "first_name_female")
    initials = tuple(chr(c) + "." for c in range(ord("A"), ord("Z") + 1))
    if loc == "ru":
        fields["last_m"] = _pool(fake, "last_name_male")
        fields["last_f"] = _pool(fake, "last_name_female")
        fields["middle_m"] = _pool(fake, "middle_name_male")
        fields["middle_f"] = _pool(fake, "middle_name_female")
        fields["banks"] = _pool(fake, "bank", 200)
    else:
        fields["last_m"] = fields["last_f"] = _pool(fake, "last_name")
        fields["middle_m"] = fields["middle_f"] = initials
        fields["banks"] = {"en": data.US_BANKS, "fi": (), "fa": ()}[loc]
    if loc == "fa":  # Faker's Persian streets are made-up pairs of words: real street names instead
        for key in ("first_m", "first_f", "last_m", "last_f"):
            fields[key] = tuple(dict.fromkeys(v.translate(PERSIAN_LETTERS) for v in fields[key]))
        fields["streets"] = tuple(
            f"{kind} {name}"
            for kind in dict.fromkeys(demo_data_fa.STREET_KINDS)
            for name in demo_data_fa.STREET_NAMES
        ) + tuple(f"خیابان {name}" for name in fields["last_m"][:60])
        roots, tails = data.COMPANY_ROOTS["fa"], data.COMPANY_TAILS["fa"]
        fields["companies"] = tuple(
            (f"شرکت {tail} {root}", _domain(loc, f"{root} {tail}")) for root in roots for tail in tails
        )
    else:
        fields["streets"] = _pool(fake, "street_name")
        fields["companies"] = tuple((c, _domain(loc, c)) for c in _pool(fake, "company", 1000))
    return Pools(**fields)


TOP_DOMAINS = {"ru": ".ru", "en": ".com", "fi": ".fi", "fa": ".ir"}


def _domain(loc: str, company: str) -> str:
    inner = company.split("«")[-1].split("»")[0] if "«" in company else company
    slug = translit(inner)[:20] or "firm"
    return slug + TOP_DOMAINS[loc]


class People:
    """Pools of Faker data per locale, combined by the caller's ``random.Random`` into identities."""

    def __init__(
        self, seed: int, rng: random.Random, today: date, locales: tuple[str, ...] = ("ru", "en")
    ) -> None:
        self.rng = rng
        self.today = today
        self._latin: dict[str, str] = {}  # translit() of pooled names, made once
        self.first_m: dict[str, tuple[str, ...]] = {}
        self.first_f: dict[str, tuple[str, ...]] = {}
        self.last_m: dict[str, tuple[str, ...]] = {}
        self.last_f: dict[str, tuple[str, ...]] = {}
        self.middle_m: dict[str, tuple[str, ...]] = {}
        self.middle_f: dict[str, tuple[str, ...]] = {}
        self.streets: dict[str, tuple[str, ...]] = {}
        self.companies: dict[str, tuple[tuple[str, str], ...]] = {}
        self.banks: dict[str, tuple[str, ...]] = {}
        self.cities: dict[str, list[tuple[data.Region, data.City]]] = {}
        self.city_weights: dict[str, list[int]] = {}
        self.patterns: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
        for loc in locales:
            pools = faker_pools(seed, loc)
            self.first_m[loc], self.first_f[loc] = pools.first_m, pools.first_f
            self.last_m[loc], self.last_f[loc] = pools.last_m, pools.last_f
            self.middle_m[loc], self.middle_f[loc] = pools.middle_m, pools.middle_f
            self.streets[loc], self.companies[loc], self.banks[loc] = (
                pools.streets,
                pools.companies,
                pools.banks,
            )
            pairs = [(r, c) for r in data.REGIONS[loc] for c in r.cities if self._codes_valid(loc, c)]
            self.cities[loc] = pairs
            self.city_weights[loc] = list(accumulate(c.weight for _r, c in pairs))
            self.patterns[loc] = _national_patterns(LOCALES[loc][1])

    @staticmethod
    def _subscriber_digits(loc: str, code: str) -> int:
        return LANDLINE_DIGITS.get(loc, 10 - len(code))

    @classmethod
    def _codes_valid(cls, loc: str, city: data.City) -> bool:
        cc = data.CALLING_CODES[loc]
        return all(
            _valid(f"{cc}{code}{'5345678901'[: cls._subscriber_digits(loc, code)]}")
            for code in city.area_codes
        )

    def _landline(self, loc: str, city: data.City) -> str:
        r = self.rng.random
        pattern = self.patterns[loc][0]
        for _attempt in range(100):
            code = city.area_codes[int(r() * len(city.area_codes))]
            first = 2 + int(r() * 8)  # a subscriber number never starts with 0 or 1
            national = f"{code}{first}{_digits(self.rng, self._subscriber_digits(loc, code) - 1)}"
            if pattern.fullmatch(national):
                return data.CALLING_CODES[loc] + national
        raise AssertionError(f"no valid landline for {city.name}")  # pragma: no cover - tables are checked

    def _mobile(self, loc: str, city: data.City) -> str:
        if loc == "en":  # US mobiles share the area codes of landlines
            return self._landline(loc, city)
        pattern = self.patterns[loc][1]
        prefixes, length = MOBILE[loc]
        for _attempt in range(100):
            prefix = prefixes[int(self.rng.random() * len(prefixes))]
            national = prefix + _digits(self.rng, length - len(prefix))
            if pattern.fullmatch(national):
                return data.CALLING_CODES[loc] + national
        raise AssertionError("no valid mobile number")  # pragma: no cover

    def identity(self, loc: str, organisation: bool) -> Identity:
        """A new identity for a person or an organisation of ``loc`` (``ru``, ``en``, ``fi``, ``fa``)."""
        rng = self.rng
        r = rng.random
        male = r() < 0.5
        firsts = self.first_m[loc] if male else self.first_f[loc]
        lasts = self.last_m[loc] if male else self.last_f[loc]
        middles = self.middle_m[loc] if male else self.middle_f[loc]
        first = firsts[int(r() * len(firsts))]
        last = lasts[int(r() * len(lasts))]
        if loc == "ru":
            name = f"{last} {first} {middles[int(r() * len(middles))]}"
        elif loc == "en" and r() < 0.2:
            name = f"{first} {middles[int(r() * len(middles))]} {last}"
        else:
            name = f"{first} {last}"
        pairs = self.cities[loc]
        region, city = pairs[bisect(self.city_weights[loc], r() * self.city_weights[loc][-1])]
        district = city.districts[int(r() * len(city.districts))] if city.districts and r() < 0.8 else ""
        street = self.streets[loc][int(r() * len(self.streets[loc]))]
        building = self._building(loc, organisation)
        postcode = city.postcode_prefix + _digits(rng, POSTCODE_DIGITS[loc] - len(city.postcode_prefix))
        birthday = None
        if r() < (0.3 if organisation else 0.7):
            birthday = self.today - timedelta(days=18 * 365 + int(r() * 60 * 365))
        company = domain = tax_id = registration_no = bank_details = ""
        phones: list[tuple[str, str, str]] = []
        emails: list[tuple[str, str]] = []
        local = self._local_part(loc, first, last)
        if organisation:
            company, domain = self._company(loc)
            tax_id, registration_no, bank_details = self._requisites(loc, region)
            ext = str(100 + int(r() * 900)) if r() < 0.15 else ""
            phones.append(("work", self._landline(loc, city), ext))
            if r() < 0.6:
                phones.append(("mobile", self._mobile(loc, city), ""))
            if r() < 0.1:
                phones.append(("fax", self._landline(loc, city), ""))
            if r() < 0.9:
                order = {"ru": "zakaz", "fi": "tilaukset", "fa": "sefaresh"}.get(loc, "orders")
                box = ("info", "sales", "office", order)[int(r() * 4)]
                emails.append(("work", f"{box}@{domain}"))
            if r() < 0.4:
                emails.append(("work", f"{local}@{domain}"))
        else:
            if r() < 0.9:
                phones.append(("mobile", self._mobile(loc, city), ""))
            if not phones or r() < 0.15:
                phones.append(("home", self._landline(loc, city), ""))
            if r() < 0.7:
                domains = data.EMAIL_DOMAINS[loc]
                emails.append(("personal", f"{local}@{domains[int(r() * len(domains))]}"))
                if r() < 0.1:
                    companies = self.companies[loc]
                    emails.append(("work", f"{local}@{companies[int(r() * len(companies))][1]}"))
        return Identity(
            name=name,
            organisation=company,
            tax_id=tax_id,
            registration_no=registration_no,
            bank_details=bank_details,
            country=LOCALES[loc][1],
            region=region.name,
            city=city.name,
            district=district,
            street=street,
            building=building,
            postcode=postcode,
            birthday=birthday,
            phones=phones,
            emails=emails,
            region_code=region.code,
        )

    def _building(self, loc: str, organisation: bool) -> str:
        """The house (and flat or office) as the country writes it."""
        r = self.rng.random
        if loc == "ru":
            building = f"д. {1 + int(r() * r() * 150)}" + (f", к{1 + int(r() * 4)}" if r() < 0.15 else "")
            if organisation:
                building += f", оф. {1 + int(r() * 500)}"
            elif r() < 0.7:
                building += f", кв. {1 + int(r() * 300)}"
            return building
        if loc == "fi":
            building = str(1 + int(r() * r() * 120))
            if organisation:
                return building + (f", {2 + int(r() * 6)}. krs" if r() < 0.5 else "")
            if r() < 0.6:
                building += f" {'ABCDEF'[int(r() * 6)]} {1 + int(r() * 60)}"
            return building
        if loc == "fa":
            building = f"پلاک {1 + int(r() * r() * 200)}"
            if organisation:
                building += f"، طبقهٔ {1 + int(r() * 8)}"
            elif r() < 0.7:
                building += f"، واحد {1 + int(r() * 20)}"
            return building.translate(PERSIAN_DIGITS)
        building = str(1 + int(r() * 9999))
        if organisation:
            building += f", Suite {100 + int(r() * 900)}"
        elif r() < 0.3:
            building += f", Apt {1 + int(r() * 60)}"
        return building

    def _company(self, loc: str) -> tuple[str, str]:
        """An organisation's name and e-mail domain, from name parts and surnames (hundreds of thousands)."""
        r = self.rng.random
        style = r()
        pool = self.companies[loc]
        if style < 0.05 and pool:
            name, domain = pool[int(r() * len(pool))]
            return name, f"{int(r() * 90) + 10}{domain}"  # the same name elsewhere has another site
        surnames = self.last_m[loc]
        one = surnames[int(r() * len(surnames))]
        roots, tails = data.COMPANY_ROOTS[loc], data.COMPANY_TAILS[loc]
        forms = data.COMPANY_FORMS[loc]
        form = forms[int(r() * len(forms))]
        tail = tails[int(r() * len(tails))]
        number = ""
        glue = {"ru": " и ", "fa": " و "}.get(loc, " & ")
        if style < 0.5:
            two = surnames[int(r() * len(surnames))]
            core = f"{one}{glue}{two}"
        elif style < 0.85:
            core = {"ru": f"{one}-{tail}", "fa": f"{tail} {one}"}.get(loc, f"{one} {tail}")
        else:
            root = roots[int(r() * len(roots))]
            core = {"ru": f"{root}{tail}", "fa": f"{tail} {root}"}.get(loc, f"{root} {tail}")
            number = str(int(r() * 900) + 100)  # a common name: its site has a number
        if loc == "ru":
            name = f"{form} «{core}»"
        elif loc == "fa":
            name = f"{form} {core}"
        else:
            name = f"{core} {form}"
        return name, number + _domain(loc, core)

    def _local_part(self, loc: str, first: str, last: str) -> str:
        r = self.rng.random
        latin = self._latin
        f = latin.get(first)
        if f is None:
            f = latin[first] = translit(first) or "client"
        la = latin.get(last)
        if la is None:
            la = latin[last] = translit(last) or "mail"
        style = int(r() * 4)
        base = (f"{f}.{la}", f"{f[0]}{la}", f"{la}.{f}", f"{f}_{la}")[style]
        return base + (str(int(r() * 10 ** (1 + int(r() * 4)))) if style == 1 or r() < 0.7 else "")

    def _requisites(self, loc: str, region: data.Region) -> tuple[str, str, str]:
        rng = self.rng
        r = rng.random
        year = self.today.year - 1 - int(r() * 25)
        if loc == "ru":
            inn = _inn10(rng, region.code)
            bank = self.banks[loc][int(r() * len(self.banks[loc]))]
            details = (
                f"{bank}, БИК 04{_digits(rng, 7)}, р/с 40702810{_digits(rng, 12)}, "
                f"к/с 30101810{_digits(rng, 12)}"
            )
            return inn, _ogrn(rng, region.code, year), details
        if loc == "fi":
            business_id = _y_tunnus(rng)
            bank, bic = demo_data_fi.BANKS[int(r() * len(demo_data_fi.BANKS))]
            iban = _iban("FI", _digits(rng, 14))
            return business_id, "FI" + business_id.replace("-", ""), f"{bank}, IBAN {iban}, BIC {bic}"
        if loc == "fa":
            bank, code = demo_data_fa.BANKS[int(r() * len(demo_data_fa.BANKS))]
            iban = _iban("IR", "0" + code + _digits(rng, 18))
            details = f"{bank}، شبا {iban}"
            return _iran_company_id(rng), _digits(rng, 6), details
        ein = f"{10 + int(r() * 89):02d}-{_digits(rng, 7)}"
        bank = self.banks[loc][int(r() * len(self.banks[loc]))]
        return ein, f"{region.code}-{_digits(rng, 7)}", f"{bank}, ABA {_aba(rng)}, account {_digits(rng, 10)}"


def _y_tunnus(rng: random.Random) -> str:
    """A Finnish business id (Y-tunnus): seven digits and their check digit (weights 7 9 10 5 8 4 2)."""
    while True:
        digits = [int(rng.random() * 10) for _ in range(7)]
        rest = sum(w * d for w, d in zip((7, 9, 10, 5, 8, 4, 2), digits, strict=True)) % 11
        if rest != 1:  # remainder 1 has no check digit: such numbers are not issued
            return "".join(map(str, digits)) + "-" + str(0 if rest == 0 else 11 - rest)


def _iran_company_id(rng: random.Random) -> str:
    """An Iranian national id of a legal entity (shenase-ye melli): ten digits and a check digit."""
    digits = [int(rng.random() * 10) for _ in range(10)]
    add = digits[9] + 2
    weights = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
    rest = sum((d + add) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "".join(map(str, digits)) + str(0 if rest == 10 else rest)


def _iban(country: str, bban: str) -> str:
    """An IBAN with its ISO 7064 check digits (mod 97), grouped by four."""
    moved = bban + "".join(str(ord(ch) - 55) for ch in country) + "00"
    iban = f"{country}{98 - int(moved) % 97:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
