import pytest

from payung.accounts.models import Role, User

PASSWORD = "payung-rahasia-2026"
KUPANG = "5371"


@pytest.fixture
def operator(db) -> User:
    """A Kota Kupang operator whose password is PASSWORD."""
    return User.objects.create_user(
        "operator_kupang", password=PASSWORD, role=Role.OPERATOR, region_id=KUPANG
    )
