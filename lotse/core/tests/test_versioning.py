import pytest

from lotse.core.versioning import StaleObjectError, save_versioned
from lotse.tenants.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_second_save_with_the_old_version_is_refused():
    provider = ProviderFactory(name="Caritas")
    first_editor = type(provider).objects.get(pk=provider.pk)
    second_editor = type(provider).objects.get(pk=provider.pk)
    save_versioned(first_editor, expected_version=1, changes={"name": "Caritas Moers"}, actor=None)
    with pytest.raises(StaleObjectError) as excinfo:
        save_versioned(second_editor, expected_version=1, changes={"name": "Caritasverband"}, actor=None)
    assert excinfo.value.changed == {"name": ("Caritasverband", "Caritas Moers")}
    provider.refresh_from_db()
    assert provider.name == "Caritas Moers" and provider.version == 2
