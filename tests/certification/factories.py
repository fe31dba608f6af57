import factory

from certification.models import (
    Certification,
    CertificationRules,
    Competency,
    CompetencyBlock,
    CompetencyFramework,
)

SMALL_FRAMEWORK = {"B1": ["B1.1", "B1.2"], "B2": ["B2.1"], "B3": ["B3.1"], "B4": ["B4.1"]}


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    code = factory.Sequence(lambda n: f"referentiel-{n}")
    version = 1
    title = "Référentiel de test"
    status = CompetencyFramework.Status.ACTIVE


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyBlock

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"B{n}")
    title = factory.LazyAttribute(lambda o: f"Bloc {o.code}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    block = factory.SubFactory(BlockFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    label = factory.LazyAttribute(lambda o: f"Compétence {o.code}")


def make_framework(code="pair-aidance-test", blocks=None, **kwargs) -> CompetencyFramework:
    """A framework with blocks and competencies given as {"B1": ["B1.1", ...], ...}."""
    framework = FrameworkFactory(code=code, **kwargs)
    for position, (block_code, competencies) in enumerate((blocks or SMALL_FRAMEWORK).items()):
        block = BlockFactory(framework=framework, code=block_code, position=position)
        for index, competency_code in enumerate(competencies):
            CompetencyFactory(block=block, code=competency_code, position=index)
    return framework


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    code = factory.Sequence(lambda n: f"certificat-{n}")
    title = "Certificat de pair-aidant"
    framework_code = "pair-aidance-test"
    issuing_body = "Parcours — formation des pairs-aidants"


class RulesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationRules

    certification = factory.SubFactory(CertificationFactory)
    signatories = "Sophie Lambert, coordinatrice\nMarc Dubois, formateur"
