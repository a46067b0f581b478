"""Fill the Region table from the packaged catalogue, set-based (91,000 rows in a few seconds)."""

from itertools import islice

from payung.regions import catalog


def load_regions(region_model, batch_size: int = 5000) -> int:
    """Insert every area not yet present; returns how many were added. Safe to run again."""
    existing = set(region_model.objects.values_list("code", flat=True))
    new = (a for a in catalog.iter_areas() if a.code not in existing)
    added = 0
    while chunk := list(islice(new, batch_size)):
        region_model.objects.bulk_create(
            region_model(code=a.code, name=a.name, level=a.level, parent_id=a.parent_code) for a in chunk
        )
        added += len(chunk)
    return added
