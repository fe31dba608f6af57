from tests.base import EnglishPersonasTestCase

__all__ = ["EnglishPersonasTestCase"]
