"""Courses, modules, venues, sessions with their meetings, enrolments and exemptions.

Statuses change only in ``courses.services``, which also writes the history rows.
"""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from lms.core.models import StatusChange
from lms.core.panels import InlinePanel


class Region(models.TextChoices):
    """Belgian regions and provinces where a venue can be."""

    BRUSSELS = "brussels", _("Brussels-Capital Region")
    WALLOON_BRABANT = "walloon_brabant", _("Walloon Brabant")
    HAINAUT = "hainaut", _("Hainaut")
    LIEGE = "liege", _("Liège")
    LUXEMBOURG = "luxembourg", _("Luxembourg")
    NAMUR = "namur", _("Namur")
    ANTWERP = "antwerp", _("Antwerp")
    LIMBURG = "limburg", _("Limburg")
    EAST_FLANDERS = "east_flanders", _("East Flanders")
    FLEMISH_BRABANT = "flemish_brabant", _("Flemish Brabant")
    WEST_FLANDERS = "west_flanders", _("West Flanders")


class SessionLanguage(models.TextChoices):
    FRENCH = "fr", "Français"
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class Course(models.Model):
    """A *formation*: a programme of modules, possibly leading to a certification."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    prerequisite_courses = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by_courses",
        verbose_name=_("courses to complete first"),
    )
    prerequisite_modules = models.ManyToManyField(
        "courses.Module",
        blank=True,
        related_name="required_by_courses",
        verbose_name=_("modules to complete first"),
    )
    total_hours = models.DecimalField(
        _("total hours"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    certification = models.ForeignKey(
        "certification.Certification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("leads to the certification"),
    )
    is_published = models.BooleanField(_("published"), default=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("total_hours"),
        FieldPanel("certification"),
        FieldPanel("prerequisite_courses"),
        FieldPanel("prerequisite_modules"),
        FieldPanel("is_published"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    """A *module* of a course: hours, ethics hours, competencies covered, how it is assessed."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, default=Decimal("0"))
    ethics_hours = models.DecimalField(
        _("ethics hours"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    competencies = models.ManyToManyField(
        "certification.Competency",
        blank=True,
        related_name="modules",
        verbose_name=_("competencies covered"),
    )
    assessment_method = models.TextField(_("how it is assessed"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("hours"),
        FieldPanel("ethics_hours"),
        FieldPanel("competencies"),
        FieldPanel("assessment_method"),
        FieldPanel("position"),
    ]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ethics_hours__lte=models.F("hours")),
                name="module_ethics_hours_within_hours",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Venue(models.Model):
    """A place where sessions meet, with what people need to know to get there."""

    name = models.CharField(_("name"), max_length=200)
    town = models.CharField(_("town"), max_length=100)
    region = models.CharField(_("region or province"), max_length=20, choices=Region.choices)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    public_transport = models.TextField(_("public transport"), blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["town", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"

    @property
    def full_address(self) -> str:
        return ", ".join(
            part for part in (self.address, f"{self.postcode} {self.town}".strip()) if part
        )

    @property
    def map_url(self) -> str:
        """A link to OpenStreetMap (a link, never an embedded map: no third-party requests)."""
        from urllib.parse import urlencode

        return "https://www.openstreetmap.org/search?" + urlencode(
            {"query": f"{self.full_address}, Belgique"}
        )


class Session(ClusterableModel):
    """One delivery of a course (or of one of its modules): dates, place, trainers, places."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("module only"),
        help_text=_("Leave empty when the session delivers the whole course."),
    )
    code = models.SlugField(_("reference"), max_length=60, unique=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("venue"),
    )
    online_url = models.URLField(_("online meeting address"), blank=True)
    online_instructions = models.TextField(_("how to join online"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="sessions_trained",
        verbose_name=_("trainers"),
    )
    capacity = models.PositiveSmallIntegerField(_("places"), default=12)
    language = models.CharField(
        _("language"), max_length=2, choices=SessionLanguage.choices, default=SessionLanguage.FRENCH
    )
    enrolment_opens = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    cancellation_hours = models.PositiveIntegerField(
        _("trainees can cancel until (hours before the start)"), default=48
    )
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("0 means free."),
    )
    approval_required = models.BooleanField(
        _("a coordinator approves each enrolment"), default=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    notes = models.TextField(_("practical information"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("course"),
                FieldPanel("module"),
                FieldPanel("code"),
                FieldPanel("language"),
            ],
            heading=_("What"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldPanel("venue"),
                FieldPanel("online_url"),
                FieldPanel("online_instructions"),
                FieldPanel("notes"),
            ],
            heading=_("Where"),
        ),
        InlinePanel("meetings", heading=_("Meetings"), label=_("Meeting"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("trainers"),
                FieldPanel("capacity"),
                FieldPanel("approval_required"),
                FieldPanel("enrolment_opens"),
                FieldPanel("enrolment_closes"),
                FieldPanel("cancellation_hours"),
                FieldPanel("cost"),
            ],
            heading=_("Places and enrolment"),
        ),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format="online") | Q(venue__isnull=False),
                name="session_venue_unless_online",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens__isnull=True)
                | Q(enrolment_closes__isnull=True)
                | Q(enrolment_closes__gt=models.F("enrolment_opens")),
                name="session_enrolment_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.place_label} ({self.code})"

    def clean(self) -> None:
        super().clean()
        if self.format != self.Format.ONLINE and self.venue_id is None:
            raise ValidationError(
                {"venue": _("Choose a venue: only online sessions can do without one.")}
            )
        if (
            self.format != self.Format.IN_PERSON
            and not self.online_url
            and self.status != self.Status.DRAFT
        ):
            raise ValidationError(
                {"online_url": _("Give the online meeting address so trainees can join.")}
            )
        if self.module is not None and self.course_id and self.module.course_id != self.course_id:
            raise ValidationError({"module": _("This module belongs to another course.")})

    @property
    def title(self) -> str:
        return self.module.title if self.module is not None else self.course.title

    @property
    def place_label(self) -> str:
        if self.format == self.Format.ONLINE or self.venue is None:
            return str(_("Online"))
        return self.venue.town

    @property
    def is_free(self) -> bool:
        return self.cost == 0

    def enrolment_closes_at(self, first_start: datetime | None) -> datetime | None:
        """Enrolment closes at ``enrolment_closes``, or else when the first meeting starts."""
        return self.enrolment_closes or first_start

    def enrolment_state(self, first_start: datetime | None, now: datetime) -> str:
        """ "not_yet", "open" or "closed" (``first_start``: the first meeting's start)."""
        if self.enrolment_opens and now < self.enrolment_opens:
            return "not_yet"
        closes = self.enrolment_closes_at(first_start)
        return "closed" if closes and now >= closes else "open"


class Meeting(models.Model):
    """One dated meeting (a day or half-day) of a session."""

    session = ParentalKey(
        Session, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("session")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    online_url = models.URLField(_("online meeting address"), blank=True)
    # The calendar files' SEQUENCE: one more at each change of time, place or link, or of the
    # session's venue or status, so calendar apps apply the update instead of ignoring it.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    panels = [
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("room"),
        FieldPanel("online_url"),
    ]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session.code} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting must end after it starts.")})

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.01"))


class SessionStatusChange(StatusChange):
    """History of a session's status (published, cancelled, completed)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("previous status"), max_length=10, choices=Session.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=10, choices=Session.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("session status change")
        verbose_name_plural = _("session status changes")


class SeatReservation(models.Model):
    """Places held in a session for a partner organisation's people."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("session")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("places"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat reservation")
        verbose_name_plural = _("seat reservations")
        ordering = ["session", "organisation"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="reservation_seats_positive")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.seats})"


class EnrolmentQuerySet(models.QuerySet):
    def taking_a_seat(self):
        return self.filter(status__in=Enrolment.SEAT_STATUSES)

    def active(self):
        return self.filter(status__in=Enrolment.ACTIVE_STATUSES)

    def waiting(self):
        return self.filter(status=Enrolment.Status.WAITING_LIST).order_by("queue_position", "pk")


class Enrolment(models.Model):
    """An *inscription* of a trainee in a session, with its place in the waiting list."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING_LIST = "waiting_list", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        CANCELLED_BY_TRAINEE = "cancelled_by_trainee", _("Cancelled by the trainee")
        CANCELLED_BY_COORDINATOR = "cancelled_by_coordinator", _("Cancelled by the coordinator")
        REFUSED = "refused", _("Refused")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Did not attend")

    # Statuses that hold one of the session's places.
    SEAT_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.OFFERED)
    # Statuses in which a person counts as enrolled (at most one per session and person).
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITING_LIST, Status.COMPLETED)

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("trainee"),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    queue_position = models.PositiveIntegerField(
        _("waiting-list position"),
        null=True,
        blank=True,
        help_text=_("Arrival order on the waiting list; smaller comes first."),
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    reserved_for = models.ForeignKey(
        SeatReservation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("reserved place of"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"],
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "waiting_list",
                        "offered",
                        "completed",
                    ]
                ),
                name="enrolment_one_active_per_session_and_trainee",
            ),
            models.UniqueConstraint(
                fields=["session", "queue_position"],
                condition=Q(status="waiting_list"),
                name="enrolment_queue_position_unique_in_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="enrolment_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.session.code} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    # Columns of the coordinators' CSV export.
    @property
    def session_code(self) -> str:
        return self.session.code

    @property
    def trainee_name(self) -> str:
        return self.trainee.get_full_name() or self.trainee.public_name

    @property
    def trainee_email(self) -> str:
        return self.trainee.email

    @property
    def history_summary(self) -> str:
        """Each step of the history on its own line (for the coordinators' detail view)."""
        return "\n".join(
            f"{timezone.localtime(c.changed_at):%Y-%m-%d %H:%M} "
            f"{c.get_from_status_display() or '—'} → {c.get_to_status_display()}"
            f"{' — ' + str(c.changed_by) if c.changed_by else ''}"
            f"{' — ' + c.reason if c.reason else ''}"
            for c in self.status_changes.select_related("changed_by")
        )

    @property
    def reservation_label(self) -> str:
        return self.reserved_for.organisation if self.reserved_for is not None else ""


class EnrolmentStatusChange(StatusChange):
    """One step in an enrolment's history: from, to, who, when, why."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("previous status"), max_length=30, choices=Enrolment.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=30, choices=Enrolment.Status.choices)
    # Set when the email for this step was sent, so a retried task never sends it twice.
    notified_at = models.DateTimeField(_("person notified at"), null=True, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("enrolment status change")
        verbose_name_plural = _("enrolment status changes")


class Exemption(models.Model):
    """A *dispense*: a person need not follow a module or a course (e.g. after a VAE jury)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_exemptions",
        verbose_name=_("person"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, null=True, blank=True, related_name="exemptions"
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="exemptions"
    )
    source = models.CharField(
        _("source"), max_length=30, help_text=_('Where it comes from, e.g. "vae".')
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-granted_at"]
        constraints = [
            # Exactly one of module or course.
            models.CheckConstraint(
                condition=(Q(module__isnull=False) & Q(course__isnull=True))
                | (Q(module__isnull=True) & Q(course__isnull=False)),
                name="exemption_module_xor_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.module or self.course}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's personal calendar feed address; regenerating it revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return str(self.user)


def offer_hold() -> timedelta:
    """How long a freed place is held for the next person on the waiting list."""
    return timedelta(hours=getattr(settings, "COURSES_OFFER_HOURS", 48))
