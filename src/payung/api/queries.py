"""Region and unit look-ups for the API: out of scope answers 404 exactly as missing does."""

from __future__ import annotations

from payung.accounts import scope
from payung.regions.models import Region
from payung.registry.models import Unit


def tenant(user, code: str) -> Region:
    """A kab/kota the user may see, or 404 exactly as for a code that does not exist."""
    regions = Region.objects.filter(level=Region.Level.REGENCY, **scope.regions_filter(user, "code"))
    return scope.get_or_404(regions, code=code.strip())


def unit_by_code(user, region: Region, code: str) -> Unit:
    return scope.get_or_404(scope.units(user).filter(region=region), code=code.strip())
