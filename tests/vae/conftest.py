import pytest
from cryptography.fernet import Fernet


@pytest.fixture(autouse=True)
def _vae_encryption_key(settings):
    """VAE narratives are encrypted: tests use a fresh real key (DEBUG is off in tests)."""
    settings.VAE_ENCRYPTION_KEYS = Fernet.generate_key().decode("ascii")
