"""Probable-duplicate detection over 100,000 people of one kab/kota: time, precision and recall.

    .venv/bin/python bench/duplicates.py [--people 100000] [--rate 0.02] [--threshold 0.5]

Takes the demo people of Kab. TTU, registers a share of them (--rate) a second time the way rosters do it
(a NIK typo: one wrong digit or two swapped digits; the name with Muh./M. for Muhammad, a title, a
misspelt vowel; day and month of birth swapped), writes all of them into DATABASE_URL (default: a fresh
SQLite file in a temporary directory) and times ``duplicates.find_candidates`` end to end (read the
region, Splink on DuckDB, store the candidates) and the linkage step alone. Precision and recall are
measured against the planted pairs. Prints its figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time

REGION = "5303"
TITLES = ["Drs. ", "Dra. ", "H. ", "Ir. ", "Ns. "]
SUFFIXES = [", S.Pd.", ", S.E.", ", S.Kep.", ", A.Md.", " S.Pd", ", M.Si."]
VOWELS = {"e": "i", "i": "e", "o": "u", "u": "o", "y": "i"}


def nik_typo(nik: str, rng: random.Random) -> str:
    digits = list(nik)
    if rng.random() < 0.25:  # two neighbouring digits swapped
        i = rng.randrange(12, 15)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:  # one wrong digit, in the sequence or the kecamatan
        i = rng.choice([4, 5, 12, 13, 14, 15])
        digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
    return "".join(digits)


def name_variant(name: str, rng: random.Random) -> str:
    if re.match(r"muhammad\b", name, re.IGNORECASE):
        return rng.choice(["Muh.", "Moh.", "M.", "Mhd"]) + name[len("muhammad") :]
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(TITLES) + name
    if roll < 0.6:
        return re.sub(r",.*$", "", name) + rng.choice(SUFFIXES)
    spots = [i for i, c in enumerate(name) if i and c.lower() in VOWELS]  # keep the first letter
    if not spots:
        return name.upper()
    i = rng.choice(spots)
    return name[:i] + VOWELS[name[i].lower()] + name[i + 1 :]


def plant(people, rate: float, seed: int):
    """``people`` plus a second registration of a share of them; returns (frame, set of planted NIK pairs)."""
    import polars as pl

    rng = random.Random(seed)
    taken = set(people["nik"].to_list())
    copies, truth = [], set()
    for row in people.sample(fraction=rate, seed=seed).iter_rows(named=True):
        copy = dict(row)
        copy["nik"] = nik_typo(row["nik"], rng)
        if copy["nik"] in taken:
            continue
        if rng.random() < 0.7:
            copy["name"] = name_variant(row["name"], rng)
        born = row["birth_date"]
        if rng.random() < 0.3 and born.day <= 12 and born.day != born.month:
            copy["birth_date"] = born.replace(day=born.month, month=born.day)
        taken.add(copy["nik"])
        copies.append(copy)
        truth.add(frozenset((row["nik"], copy["nik"])))
    return pl.concat([people, pl.DataFrame(copies, schema=people.schema)]), truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=0.02)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='payung-dup-')}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from search import insert_people

    from payung.demo import people
    from payung.regions.models import Region
    from payung.registry import duplicates, linkage
    from payung.registry.models import DuplicateCandidate, Person

    base = people.generate(REGION, scale=1.0, seed=args.seed).people.height
    demo = people.generate(REGION, scale=args.people / base * 1.02, seed=args.seed).people
    demo = demo.unique("nik", maintain_order=True)
    originals = demo.head(int(args.people / (1 + args.rate)))
    frame, truth = plant(originals, args.rate, args.seed)
    print(f"{frame.height:,} people, {len(truth):,} planted duplicate pairs")

    call_command("migrate", verbosity=0, skip_checks=True)
    DuplicateCandidate.objects.all().delete()
    Person.objects.filter(region_id=REGION).delete()
    insert_people(frame, REGION)
    region = Region.objects.get(code=REGION)
    print(f"{connection.vendor}: {Person.objects.filter(region=region).count():,} people in {region.name}")

    started = time.perf_counter()
    pairs = linkage.find_pairs(duplicates.people_frame(region), args.threshold)
    print(
        f"linkage alone (read + Splink/DuckDB): {time.perf_counter() - started:.1f} s, {len(pairs):,} pairs"
    )

    started = time.perf_counter()
    new = duplicates.find_candidates(region, threshold=args.threshold, channel="cli")
    print(f"find_candidates end to end: {time.perf_counter() - started:.1f} s, {new:,} candidates stored")

    nik = dict(Person.objects.filter(region=region).values_list("id", "nik"))
    found = {frozenset((nik[c.left_id], nik[c.right_id])) for c in duplicates.open_candidates(region)}
    hits = len(found & truth)
    precision, recall = hits / max(len(found), 1), hits / len(truth)
    print(f"precision {precision:.3f} ({hits:,}/{len(found):,})   recall {recall:.3f}")
    for label, wrong in (("missed", truth - found), ("not planted", found - truth)):
        for pair in sorted(wrong, key=sorted)[:5]:
            rows = Person.objects.filter(region=region, nik__in=pair).values_list("nik", "name", "birth_date")
            print(f"  {label}:", " | ".join(f"{n} {m} {b}" for n, m, b in rows))


if __name__ == "__main__":
    main()
