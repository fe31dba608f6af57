import pytest

from .builders import TEST_ENCRYPTION_KEY


@pytest.fixture(autouse=True)
def _vae_encryption_key(settings):
    """VAE narratives are encrypted: tests use a real key, the same for the class-level data
    of ``setUpTestData`` (see builders.TEST_ENCRYPTION_KEY)."""
    settings.VAE_ENCRYPTION_KEYS = TEST_ENCRYPTION_KEY
