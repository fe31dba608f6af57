from certification import services
from certification.models import LedgerEntry
from tests.certification.factories import CertificationFactory, RulesFactory, make_framework


def make_certification(**rules):
    """A certification on a fresh small framework (blocks B1–B4), with its rules."""
    framework = make_framework()
    certification = CertificationFactory(framework_code=framework.code)
    RulesFactory(certification=certification, **rules)
    return framework, certification


def make_eligible(person, framework, source=LedgerEntry.Source.TRAINING_RESULT):
    for block in framework.blocks.all():
        services.record_acquisition(person=person, block=block, source=source)
