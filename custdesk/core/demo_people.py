"""Who the demo clients are: names, addresses, phones, e-mails and requisites (no Qt).

Faker is slow per call, so :class:`People` asks it once for pools of first names, last names, streets,
companies and banks per locale and then combines them with the generator's own ``random.Random``. Cities,
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

POOL_DRAWS = 1500  # Faker calls per pool; duplicates are dropped, so pools are a little smaller
LOCALES = {"ru": ("ru_RU", "RU"), "en": ("en_US", "US")}


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
    """What Faker gives for one seed, per locale key (``"ru"``, ``"en"``); never changed once made."""

    first_m: dict[str, tuple[str, ...]]
    first_f: dict[str, tuple[str, ...]]
    last_m: dict[str, tuple[str, ...]]
    last_f: dict[str, tuple[str, ...]]
    middle_m: dict[str, tuple[str, ...]]
    middle_f: dict[str, tuple[str, ...]]
    streets: dict[str, tuple[str, ...]]
    companies: dict[str, tuple[tuple[str, str], ...]]  # (name, e-mail domain)
    banks: dict[str, tuple[str, ...]]


@lru_cache(maxsize=4)
def faker_pools(seed: int) -> Pools:
    """Ask Faker, seeded per instance, for the pools of ``seed`` (kept: the same seed, the same pools)."""
    fields: dict[str, dict[str, Any]] = {f: {} for f in Pools.__dataclass_fields__}
    for offset, (loc, (faker_locale, _country)) in enumerate(LOCALES.items()):
        fake = Faker(faker_locale)
        fake.seed_instance(seed * 7 + offset)
        fields["first_m"][loc] = _pool(fake, "first_name_male")
        fields["first_f"][loc] = _pool(fake, "first_name_female")
        if loc == "ru":
            fields["last_m"][loc] = _pool(fake, "last_name_male")
            fields["last_f"][loc] = _pool(fake, "last_name_female")
            fields["middle_m"][loc] = _pool(fake, "middle_name_male")
            fields["middle_f"][loc] = _pool(fake, "middle_name_female")
            fields["banks"][loc] = _pool(fake, "bank", 200)
        else:
            fields["last_m"][loc] = fields["last_f"][loc] = _pool(fake, "last_name")
            initials = tuple(chr(c) + "." for c in range(ord("A"), ord("Z") + 1))
            fields["middle_m"][loc] = fields["middle_f"][loc] = initials
            fields["banks"][loc] = data.US_BANKS
        fields["streets"][loc] = _pool(fake, "street_name")
        fields["companies"][loc] = tuple((c, _domain(loc, c)) for c in _pool(fake, "company", 1000))
    return Pools(**fields)


def _domain(loc: str, company: str) -> str:
    inner = company.split("«")[-1].split("»")[0] if "«" in company else company
    slug = translit(inner)[:20] or "firm"
    return slug + (".ru" if loc == "ru" else ".com")


class People:
    """Pools of Faker data per locale, combined by the caller's ``random.Random`` into identities."""

    def __init__(self, seed: int, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._latin: dict[str, str] = {}  # translit() of pooled names, made once
        pools = faker_pools(seed)
        self.first_m, self.first_f = pools.first_m, pools.first_f
        self.last_m, self.last_f = pools.last_m, pools.last_f
        self.middle_m, self.middle_f = pools.middle_m, pools.middle_f
        self.streets, self.companies, self.banks = pools.streets, pools.companies, pools.banks
        self.cities: dict[str, list[tuple[data.Region, data.City]]] = {}
        self.city_weights: dict[str, list[int]] = {}
        for loc in LOCALES:
            regions = data.RU_REGIONS if loc == "ru" else data.US_REGIONS
            pairs = [(r, c) for r in regions for c in r.cities if self._codes_valid(loc, c)]
            self.cities[loc] = pairs
            self.city_weights[loc] = list(accumulate(c.weight for _r, c in pairs))
        self.patterns = {loc: _national_patterns(country) for loc, (_f, country) in LOCALES.items()}

    @staticmethod
    def _codes_valid(loc: str, city: data.City) -> bool:
        cc = "+7" if loc == "ru" else "+1"
        return all(_valid(f"{cc}{code}{'2345678901'[: 10 - len(code)]}") for code in city.area_codes)

    def _landline(self, loc: str, city: data.City) -> str:
        r = self.rng.random
        pattern = self.patterns[loc][0]
        for _attempt in range(100):
            code = city.area_codes[int(r() * len(city.area_codes))]
            first = 2 + int(r() * 8)  # a subscriber number never starts with 0 or 1
            national = f"{code}{first}{_digits(self.rng, 9 - len(code))}"
            if pattern.fullmatch(national):
                return ("+7" if loc == "ru" else "+1") + national
        raise AssertionError(f"no valid landline for {city.name}")  # pragma: no cover - tables are checked

    def _mobile(self, loc: str, city: data.City) -> str:
        if loc == "en":  # US mobiles share the area codes of landlines
            return self._landline(loc, city)
        pattern = self.patterns[loc][1]
        for _attempt in range(100):
            national = f"9{_digits(self.rng, 9)}"
            if pattern.fullmatch(national):
                return "+7" + national
        raise AssertionError("no valid mobile number")  # pragma: no cover

    def identity(self, loc: str, organisation: bool) -> Identity:
        """A new identity for a person or an organisation of the locale ``"ru"`` or ``"en"``."""
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
        elif r() < 0.2:
            name = f"{first} {middles[int(r() * len(middles))]} {last}"
        else:
            name = f"{first} {last}"
        pairs = self.cities[loc]
        region, city = pairs[bisect(self.city_weights[loc], r() * self.city_weights[loc][-1])]
        district = city.districts[int(r() * len(city.districts))] if city.districts and r() < 0.8 else ""
        street = self.streets[loc][int(r() * len(self.streets[loc]))]
        house = 1 + int(r() * r() * 150) if loc == "ru" else 1 + int(r() * 9999)
        if loc == "ru":
            building = f"д. {house}" + (f", к{1 + int(r() * 4)}" if r() < 0.15 else "")
            if organisation:
                building += f", оф. {1 + int(r() * 500)}"
            elif r() < 0.7:
                building += f", кв. {1 + int(r() * 300)}"
            postcode = city.postcode_prefix + _digits(rng, 6 - len(city.postcode_prefix))
        else:
            building = str(house)
            if organisation:
                building += f", Suite {100 + int(r() * 900)}"
            elif r() < 0.3:
                building += f", Apt {1 + int(r() * 60)}"
            postcode = city.postcode_prefix + _digits(rng, 5 - len(city.postcode_prefix))
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
                box = ("info", "sales", "office", "zakaz" if loc == "ru" else "orders")[int(r() * 4)]
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

    def _company(self, loc: str) -> tuple[str, str]:
        """An organisation's name and e-mail domain, from name parts and surnames (hundreds of thousands)."""
        r = self.rng.random
        style = r()
        if style < 0.05:
            pool = self.companies[loc]
            name, domain = pool[int(r() * len(pool))]
            return name, f"{int(r() * 90) + 10}{domain}"  # the same name elsewhere has another site
        surnames = self.last_m[loc]
        one = surnames[int(r() * len(surnames))]
        roots, tails = data.COMPANY_ROOTS[loc], data.COMPANY_TAILS[loc]
        forms = data.COMPANY_FORMS[loc]
        form = forms[int(r() * len(forms))]
        tail = tails[int(r() * len(tails))]
        number = ""
        if style < 0.5:
            two = surnames[int(r() * len(surnames))]
            core = f"{one} и {two}" if loc == "ru" else f"{one} & {two}"
        elif style < 0.85:
            core = f"{one}-{tail}" if loc == "ru" else f"{one} {tail}"
        else:
            root = roots[int(r() * len(roots))]
            core = f"{root}{tail}" if loc == "ru" else f"{root} {tail}"
            number = str(int(r() * 900) + 100)  # a common name: its site has a number
        name = f"{form} «{core}»" if loc == "ru" else f"{core} {form}"
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
        ein = f"{10 + int(r() * 89):02d}-{_digits(rng, 7)}"
        bank = self.banks[loc][int(r() * len(self.banks[loc]))]
        return ein, f"{region.code}-{_digits(rng, 7)}", f"{bank}, ABA {_aba(rng)}, account {_digits(rng, 10)}"
