"""People search at a million people: median server time for NIK prefixes and misspelt names.

    DATABASE_URL=sqlite:///var/bench-search.sqlite3 .venv/bin/python bench/search.py [--scale 47.1]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/payung_bench_search .venv/bin/python bench/search.py

Loads the demo people (both demo regions; --scale 47.1 is about 1,000,000) set-based through the registry's
bulk writer unless the database already holds them, then times ``search_people`` (the whole server-side
call: candidate queries and RapidFuzz ranking) for --queries NIK prefixes and as many misspelt names, in a
province-wide scope (all people) and in one kab/kota's scope. Also reports how often the misspelt name
finds the intended person in the first 10. Prints its figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time

# Misspellings operators make; each query applies one or two of them to a real name.
VARIANTS = [
    (r"^muhammad\b", "Muh."), (r"^muhammad\b", "M."), (r"e", "i"), (r"i", "e"), (r"q", "k"), (r"y\b", "i"),
    (r"ph", "f"), (r"(\w)\1", r"\1"), (r"oe", "u"), (r"^", "Drs. "), (r"$", ", S.Pd."), (r"a", "aa"),
]  # fmt: skip


def misspell(name: str, rng: random.Random) -> str:
    text = name
    for pattern, replacement in rng.sample(VARIANTS, len(VARIANTS)):
        changed = re.sub(pattern, replacement, text, count=1, flags=re.IGNORECASE)
        if changed != text:
            text = changed
            if rng.random() < 0.5:
                break
    return text


PERSON_COLUMNS = [
    "region_id", "nik", "name", "name_key", "sound_first", "sound_last", "sex", "birth_place", "birth_date",
    "address", "phone", "mother_maiden_name", "kpj", "status", "created_at", "updated_at",
]  # fmt: skip


def insert_people(frame, region_code: str) -> None:
    """Write people rows straight into registry_person (COPY on PostgreSQL, executemany on SQLite).

    A benchmark's own minimal set-based loader: people only, no engagements, no validation."""
    import datetime as dt
    import io

    import polars as pl
    from django.db import connection, transaction

    from payung.registry import names

    now = dt.datetime.now(dt.UTC).isoformat()
    text = [
        c
        for c in PERSON_COLUMNS
        if c not in ("birth_date", "region_id", "status", "created_at", "updated_at")
    ]
    rows = (
        names.with_index_columns(frame)
        .select(
            pl.lit(region_code).alias("region_id"),
            *(pl.col(c).fill_null("").cast(pl.String).str.slice(0, 150) for c in text),
            pl.col("birth_date").cast(pl.String),
            pl.lit("active").alias("status"),
            pl.lit(now).alias("created_at"),
            pl.lit(now).alias("updated_at"),
        )
        .select(PERSON_COLUMNS)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            rows.write_csv(buffer, include_header=False)
            with cursor.cursor.copy(
                f"COPY registry_person ({', '.join(PERSON_COLUMNS)}) FROM STDIN (FORMAT csv)"
            ) as copy:
                copy.write(buffer.getvalue())
        else:
            marks = ", ".join("%s" for _ in PERSON_COLUMNS)
            sql = f"INSERT INTO registry_person ({', '.join(PERSON_COLUMNS)}) VALUES ({marks})"
            for chunk in rows.iter_slices(50_000):
                cursor.executemany(sql, chunk.rows())


def load_people(scale: float, seed: int) -> None:
    from payung.demo import people
    from payung.registry.models import Person

    demos = [people.generate(code, scale=scale, seed=seed) for code in people.PROFILES]
    wanted = sum(d.people.height for d in demos)
    have = Person.objects.count()
    if have >= wanted:
        print(f"database already holds {have:,} people; not loading")
        return
    Person.objects.all().delete()
    for demo in demos:
        started = time.perf_counter()
        insert_people(demo.people.unique("nik"), demo.region_code)
        seconds = time.perf_counter() - started
        print(f"loaded {demo.region_code}: {demo.people.height:,} people in {seconds:.1f} s")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(queryset, queries: list[str]) -> tuple[list[float], list[list]]:
    from payung.registry.search import search_people

    times, results = [], []
    for query in queries:
        started = time.perf_counter()
        found = search_people(queryset, query, limit=50)
        times.append((time.perf_counter() - started) * 1000)
        results.append(found)
    return times, results


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    median = statistics.median(times)
    print(f"  {label:<34} median {median:7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=47.1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from payung.registry.models import Person
    from payung.registry.names import normalize

    call_command("migrate", verbosity=0, skip_checks=True)
    load_people(args.scale, args.seed)
    analyze()
    total = Person.objects.count()
    print(f"{connection.vendor}: {total:,} people")

    rng = random.Random(args.seed)
    ids = list(Person.objects.order_by().values_list("id", flat=True))
    sample = Person.objects.filter(id__in=rng.sample(ids, args.queries)).values_list(
        "id", "nik", "name", "region_id"
    )
    sample = sorted(sample)
    niks = [nik[: rng.randint(6, 12)] for _, nik, _, _ in sample]
    names = [misspell(name, rng) for _, _, name, _ in sample]

    scopes = {"all people": Person.objects.all()}
    for _, _, _, region in sample[:1]:
        scopes[f"one kab/kota ({region})"] = Person.objects.filter(region_id=region)
    for label, queryset in scopes.items():
        print(f"scope: {label}")
        nik_times, _ = timed(queryset, niks)
        report("NIK prefix (6-12 digits)", nik_times)
        name_times, found = timed(queryset, names)
        report("misspelt name", name_times)
        # Demo names repeat (many "Yohanes Bria"), so a hit is the intended person's normalised name.
        in_scope = [i for i, row in enumerate(sample) if label == "all people" or row[3] == sample[0][3]]
        hits = sum(1 for i in in_scope if normalize(sample[i][2]) in {p.name_key for p in found[i][:10]})
        print(f"  misspelt name finds the intended name in the first 10: {hits}/{len(in_scope)}")
    print(
        "examples:",
        "; ".join(f"{a!r} <- {b!r}" for (_, _, a, _), b in list(zip(sample, names, strict=True))[:5]),
    )


if __name__ == "__main__":
    main()
