from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from certification.models import Certification, Competency, CompetencyBlock, CompetencyFramework
from courses.models import Course, Meeting, Module, Region, Session, Venue


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    code = factory.Sequence(lambda n: f"framework-{n}")
    title = "Référentiel"
    status = CompetencyFramework.Status.ACTIVE


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyBlock

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"B{n}")
    title = factory.Sequence(lambda n: f"Bloc {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    block = factory.SubFactory(BlockFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    label = factory.Sequence(lambda n: f"Compétence {n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    code = factory.Sequence(lambda n: f"cert-{n}")
    title = "Certificat de pair-aidant"
    framework_code = "pair-aidance"
    issuing_body = "Parcours"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Formation {n}")
    slug = factory.Sequence(lambda n: f"formation-{n}")
    summary = "Une formation pour les pairs-aidants."
    total_hours = Decimal("84")
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    code = factory.Sequence(lambda n: f"module-{n}")
    hours = Decimal("12")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = "Maison des associations"
    town = "Namur"
    region = Region.NAMUR
    postcode = "5000"
    address = "Rue de Fer 1"


class SessionFactory(factory.django.DjangoModelFactory):
    """A published in-person session with ``meetings`` (default 2) starting in ``days`` (30)."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: f"S-{n:04d}")
    venue = factory.SubFactory(VenueFactory)
    capacity = 10
    status = Session.Status.PUBLISHED

    @factory.post_generation
    def meetings(self, create, extracted, **kwargs):
        if not create:
            return
        count = 2 if extracted is None else extracted
        days = kwargs.get("days", 30)
        start = (timezone.now() + timedelta(days=days)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        for index in range(count):
            day = start + timedelta(days=7 * index)
            Meeting.objects.create(session=self, starts_at=day, ends_at=day + timedelta(hours=6))
