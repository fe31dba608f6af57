"""VAE views: the candidate's guided space, evidence downloads, the staff side (/vae/gestion/).

Views parse, call one service, render. Protected objects come only from selectors (404 else).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.accounts.models import User

from . import selectors, services, transitions
from .filters import CandidacyFilter
from .forms import (
    AdmissibilityForm,
    ConflictForm,
    CounsellorForm,
    EvidenceForm,
    ExperienceForm,
    JuryDecisionForm,
    JurySessionForm,
    LivedExperienceForm,
    ReasonForm,
    ScheduleJuryForm,
    SelfAssessmentForm,
    StartCandidacyForm,
    SwornStatementForm,
)
from .models import Candidacy, Evidence, JurySession

Status = Candidacy.Status


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required guarantees it
    return request.user


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- The candidate's guided space ------------------------------------------------------------

STEPS = [
    ("experiences", "vae:experiences"),
    ("self_assessment", "vae:self-assessment"),
    ("evidence", "vae:evidence"),
    ("lived_experience", "vae:lived-experience"),
    ("statement", "vae:statement"),
]


def _step_labels() -> dict[str, str]:
    return {
        "experiences": _("Your experiences"),
        "self_assessment": _("Self-assessment"),
        "evidence": _("Evidence"),
        "lived_experience": _("Lived experience (optional)"),
        "statement": _("Sworn statement and sending"),
    }


def _progress(candidacy: Candidacy, current: str) -> list[dict]:
    """The steps with their state, for the progress indicator."""
    blocks = services.target_blocks(candidacy)
    competency_count = sum(block.competencies.count() for block in blocks)
    done = {
        "experiences": candidacy.experiences.exists(),
        "self_assessment": competency_count > 0
        and candidacy.self_assessments.count() >= competency_count,
        "evidence": candidacy.evidence.exists(),
        "lived_experience": hasattr(candidacy, "lived_experience"),
        "statement": candidacy.sworn_statement,
    }
    labels = _step_labels()
    return [
        {
            "key": key,
            "label": labels[key],
            "url": reverse(url_name, args=[candidacy.pk]),
            "done": done[key],
            "current": key == current,
            "number": index,
        }
        for index, (key, url_name) in enumerate(STEPS, start=1)
    ]


def _step_context(candidacy: Candidacy, current: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    """Context shared by the steps; ``current`` is "" on the overview (no step is current)."""
    steps = _progress(candidacy, current)
    keys = [s["key"] for s in steps]
    position = keys.index(current) if current in keys else 0
    return {
        "candidacy": candidacy,
        "steps": steps,
        "step": steps[position],
        "next_step": steps[position + 1] if position + 1 < len(steps) else None,
        "previous_step": steps[position - 1] if position > 0 else None,
        "steps_done": sum(1 for s in steps if s["done"]),
        "editable": candidacy.status in transitions.EDITABLE,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_candidacies(request: HttpRequest) -> HttpResponse:
    """My VAE candidacies, and the form to open one."""
    user = _user(request)
    form = StartCandidacyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidacy = services.open_candidacy(
                candidate=user,
                certification=form.cleaned_data["certification"],
                request=form.cleaned_data["request"],
                blocks=list(form.cleaned_data["blocks"]),
                modules=list(form.cleaned_data["modules"]),
                admission_course=form.cleaned_data["admission_course"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your candidacy is open. Start by describing your experiences.")
            )
            return redirect("vae:experiences", candidacy.pk)
    candidacies = selectors.candidacies_for_candidate(user)
    return render(request, "vae/my_candidacies.html", {"candidacies": candidacies, "form": form})


@login_required
def candidacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One candidacy: status, next step, deadlines, decisions, history."""
    candidacy = selectors.get_candidacy_for_candidate(_user(request), pk)
    context = _step_context(candidacy, "")
    context.update(
        {
            "history": selectors.history_for(candidacy),
            "admissibility": candidacy.admissibility_decisions.order_by("-decided_at").first(),
            "decision": services.current_decision(candidacy),
            "reason_form": ReasonForm(),
            "can_withdraw": transitions.can_move(candidacy.status, Status.WITHDRAWN),
            "can_appeal": candidacy.status == Status.DECIDED,
            "can_contest": candidacy.status == Status.LAPSED,
        }
    )
    return render(request, "vae/candidacy_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def experiences(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: experiences (paid work, volunteering, peer support…)."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    form = ExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_experience(candidacy=candidacy, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your experience is saved. Add another one, or go on."))
            return redirect("vae:experiences", candidacy.pk)
    context = _step_context(
        candidacy, "experiences", form=form, experiences=candidacy.experiences.all()
    )
    return render(request, "vae/step_experiences.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def remove_experience(request: HttpRequest, pk: int, experience_pk: int) -> HttpResponse:
    """Remove an experience, after a confirmation page."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    experience = get_object_or_404(candidacy.experiences, pk=experience_pk)
    if request.method == "POST":
        try:
            services.remove_experience(experience=experience, by=user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The experience is removed."))
        return redirect("vae:experiences", candidacy.pk)
    return render(
        request,
        "vae/confirm.html",
        {
            "candidacy": candidacy,
            "question": _("Remove the experience “%(role)s”?") % {"role": experience.role},
            "cancel_url": reverse("vae:experiences", args=[candidacy.pk]),
        },
    )


@login_required
def self_assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = selectors.get_candidacy_for_candidate(_user(request), pk)
    blocks = services.target_blocks(candidacy)
    if not blocks:
        raise Http404
    return redirect("vae:self-assessment-block", candidacy.pk, blocks[0].pk)


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    """Step 2: one block at a time, yes / partly / no per competency and a narrative."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    blocks = services.target_blocks(candidacy)
    index = next((i for i, b in enumerate(blocks) if b.pk == block_pk), None)
    if index is None:
        raise Http404
    block = blocks[index]
    levels = dict(
        candidacy.self_assessments.filter(competency__block=block).values_list(
            "competency_id", "level"
        )
    )
    narrative = (
        candidacy.block_narratives.filter(block=block).values_list("text", flat=True).first()
    )
    form = SelfAssessmentForm(
        request.POST or None, block=block, initial_levels=levels, narrative=narrative or ""
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(
                candidacy=candidacy,
                by=user,
                block=block,
                levels=form.levels(),
                narrative=form.cleaned_data["narrative"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            if index + 1 < len(blocks):
                return redirect("vae:self-assessment-block", candidacy.pk, blocks[index + 1].pk)
            return redirect("vae:evidence", candidacy.pk)
    context = _step_context(
        candidacy,
        "self_assessment",
        form=form,
        block=block,
        # Templates cannot read "block" inside {% block %} (Django's own variable there).
        current_block=block,
        blocks=blocks,
        block_number=index + 1,
    )
    return render(request, "vae/step_self_assessment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: evidence uploads, checked on their content."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_evidence(
                candidacy=candidacy,
                by=user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                kind=form.cleaned_data["kind"] or Evidence.Kind.ATTESTATION,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Your document is added. Only the people who examine your file can open it."),
            )
            return redirect("vae:evidence", candidacy.pk)
    context = _step_context(
        candidacy,
        "evidence",
        form=form,
        files=candidacy.evidence.all(),
        max_bytes=services.max_evidence_bytes(),
    )
    return render(request, "vae/step_evidence.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def remove_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Remove a document, after a confirmation page."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    item = get_object_or_404(candidacy.evidence, pk=evidence_pk)
    if request.method == "POST":
        try:
            services.delete_evidence(evidence=item, by=user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The document is removed."))
        return redirect("vae:evidence", candidacy.pk)
    return render(
        request,
        "vae/confirm.html",
        {
            "candidacy": candidacy,
            "question": _("Remove the document “%(name)s”?") % {"name": item.original_name},
            "cancel_url": reverse("vae:evidence", args=[candidacy.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lived_experience(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4 (optional): the lived-experience narrative, behind an explicit consent."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    consent = candidacy.lived_experience_consents.filter(withdrawn_at__isnull=True).first()
    narrative = getattr(candidacy, "lived_experience", None)
    form = LivedExperienceForm(
        request.POST if request.POST.get("action") == "save" else None,
        initial={"text": narrative.text if narrative else ""},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "consent":
                services.give_lived_experience_consent(candidacy=candidacy, by=user)
                messages.success(
                    request, _("Thank you. You can now write, and withdraw at any time.")
                )
                return redirect("vae:lived-experience", candidacy.pk)
            if action == "withdraw":
                services.withdraw_lived_experience_consent(candidacy=candidacy, by=user)
                messages.success(
                    request, _("Your consent is withdrawn and your narrative is erased.")
                )
                return redirect("vae:lived-experience", candidacy.pk)
            if action == "save" and form.is_valid():
                services.save_lived_experience(
                    candidacy=candidacy, by=user, text=form.cleaned_data["text"]
                )
                messages.success(request, _("Saved."))
                return redirect("vae:statement", candidacy.pk)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    context = _step_context(candidacy, "lived_experience", form=form, consent=consent)
    return render(request, "vae/step_lived_experience.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5: the sworn statement, then sending (candidacy or portfolio)."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    portfolio = candidacy.status in (Status.ADMISSIBLE, Status.PORTFOLIO_IN_PROGRESS)
    form = SwornStatementForm(request.POST or None, initial={"sworn": candidacy.sworn_statement})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_sworn_statement(candidacy=candidacy, by=user, sworn=True)
            if portfolio:
                services.submit_portfolio(candidacy=candidacy, by=user)
            else:
                services.submit_candidacy(candidacy=candidacy, by=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sent. You will receive an email at each step."))
            return redirect("vae:candidacy-detail", candidacy.pk)
    missing = (
        services.missing_for_portfolio(candidacy)
        if portfolio
        else services.missing_for_submission(candidacy)
    )
    context = _step_context(candidacy, "statement", form=form, portfolio=portfolio, missing=missing)
    return render(request, "vae/step_statement.html", context)


@login_required
@require_POST
def candidate_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Withdraw, contest a lapse or appeal a decision (with a reason)."""
    user = _user(request)
    candidacy = selectors.get_candidacy_for_candidate(user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions = {
        "withdraw": lambda: services.withdraw_candidacy(
            candidacy=candidacy, by=user, reason=reason
        ),
        "contest": lambda: services.contest_lapse(candidacy=candidacy, by=user, reason=reason),
        "appeal": lambda: services.appeal_decision(candidacy=candidacy, by=user, reason=reason),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done. You will receive an email confirming it."))
    return redirect("vae:candidacy-detail", candidacy.pk)


# --- Evidence download ----------------------------------------------------------------------


@login_required
def download_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve one evidence file as an attachment to who may see it; every download is audited."""
    user = _user(request)
    item: Evidence = selectors.get_evidence_for_download(user, pk)
    storage = services.evidence.storage()
    if not storage.exists(item.stored_name):
        raise Http404
    services.record_evidence_download(evidence=item, by=user)
    response = FileResponse(
        storage.open(item.stored_name, "rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Staff side -----------------------------------------------------------------------------


def _require_staff(user: User) -> None:
    if not selectors.is_vae_staff(user):
        raise PermissionDenied


def _require_coordinator(user: User) -> None:
    if not selectors.is_coordinator(user):
        raise PermissionDenied


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Candidacies the staff member may open, with filters."""
    user = _user(request)
    _require_staff(user)
    filterset = CandidacyFilter(request.GET or None, queryset=selectors.candidacies_for_staff(user))
    page = Paginator(filterset.qs.order_by("-created_at", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "vae/staff_list.html",
        {
            "filter": filterset,
            "page": page,
            "to_declare": selectors.candidacies_awaiting_declaration(user),
            "query_string": _query_without_page(request),
            "is_coordinator": selectors.is_coordinator(user),
        },
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole file, for a coordinator, the counsellor, or a cleared jury member."""
    user = _user(request)
    _require_staff(user)
    candidacy = selectors.get_candidacy_for_staff(user, pk)
    services.record_file_view(candidacy=candidacy, by=user)
    is_coordinator = selectors.is_coordinator(user)
    session = candidacy.jury_session
    is_chair = bool(session and session.memberships.filter(member=user, is_chair=True).exists())
    context = {
        "candidacy": candidacy,
        "blocks": services.target_blocks(candidacy),
        "experiences": candidacy.experiences.all(),
        "assessments": candidacy.self_assessments.select_related("competency__block"),
        "narratives": candidacy.block_narratives.select_related("block"),
        "files": candidacy.evidence.all(),
        "lived_experience": selectors.lived_experience_for(candidacy),
        "can_close": is_coordinator and transitions.can_move(candidacy.status, Status.CLOSED),
        "history": selectors.history_for(candidacy),
        "admissibility_decisions": candidacy.admissibility_decisions.select_related("decided_by"),
        "decisions": candidacy.jury_decisions.prefetch_related("outcomes__block"),
        "is_coordinator": is_coordinator,
        "can_decide": is_chair and candidacy.status in selectors.JURY_STATUSES,
        "admissibility_form": AdmissibilityForm(),
        "counsellor_form": CounsellorForm(initial={"counsellor": candidacy.counsellor_id}),
        "schedule_form": ScheduleJuryForm(),
    }
    return render(request, "vae/staff_detail.html", context)


def _coordinator_candidacy(request: HttpRequest, pk: int) -> tuple[User, Candidacy]:
    user = _user(request)
    _require_coordinator(user)
    return user, selectors.get_candidacy_for_staff(user, pk)


@login_required
@require_POST
def staff_admissibility(request: HttpRequest, pk: int) -> HttpResponse:
    user, candidacy = _coordinator_candidacy(request, pk)
    form = AdmissibilityForm(request.POST)
    if form.is_valid():
        try:
            services.decide_admissibility(
                candidacy=candidacy,
                by=user,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                missing_pieces=form.cleaned_data["missing_pieces"].splitlines(),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The decision is recorded and the candidate informed."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("vae:staff-detail", candidacy.pk)


@login_required
@require_POST
def staff_counsellor(request: HttpRequest, pk: int) -> HttpResponse:
    user, candidacy = _coordinator_candidacy(request, pk)
    form = CounsellorForm(request.POST)
    if form.is_valid():
        try:
            services.assign_counsellor(
                candidacy=candidacy, by=user, counsellor=form.cleaned_data["counsellor"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The counsellor is updated."))
    return redirect("vae:staff-detail", candidacy.pk)


@login_required
@require_POST
def staff_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user, candidacy = _coordinator_candidacy(request, pk)
    form = ScheduleJuryForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_jury(
                candidacy=candidacy, session=form.cleaned_data["session"], by=user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The jury is scheduled and the candidate informed."))
    return redirect("vae:staff-detail", candidacy.pk)


@login_required
@require_POST
def staff_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a decided or not admissible candidacy."""
    user, candidacy = _coordinator_candidacy(request, pk)
    try:
        services.close_candidacy(candidacy=candidacy, by=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The candidacy is closed."))
    return redirect("vae:staff-detail", candidacy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def jury_sessions(request: HttpRequest) -> HttpResponse:
    """Jury sessions, and the form to create one (coordinators)."""
    user = _user(request)
    _require_coordinator(user)
    form = JurySessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_jury_session(
                by=user,
                starts_at=data["starts_at"],
                members=list(data["members"]),
                chair=data["chair"],
                place=data["place"],
                online=data["online"],
                online_link=data["online_link"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The jury session is created."))
            return redirect("vae:jury-sessions")
    sessions = JurySession.objects.prefetch_related("memberships__member").order_by("-starts_at")
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(request, "vae/jury_sessions.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def conflict_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """Before seeing the file, a jury member declares any link with the candidate or counsellor.
    Only the names are shown here, nothing of the file."""
    user = _user(request)
    candidacy = selectors.candidacies_awaiting_declaration(user).filter(pk=pk).first()
    if candidacy is None:
        raise Http404
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict_of_interest(
                candidacy=candidacy,
                member=user,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(
                    request,
                    _(
                        "Thank you. The coordination will replace you on this jury; you will not see the file."
                    ),
                )
                return redirect("vae:staff-list")
            return redirect("vae:staff-detail", candidacy.pk)
    return render(request, "vae/conflict_declaration.html", {"candidacy": candidacy, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def jury_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair records the jury's decision, signed with their name; it is never edited."""
    user = _user(request)
    _require_staff(user)
    candidacy = selectors.get_candidacy_for_staff(user, pk)
    session = candidacy.jury_session
    if (
        session is None
        or candidacy.status not in selectors.JURY_STATUSES
        or not session.memberships.filter(member=user, is_chair=True).exists()
    ):
        raise PermissionDenied
    blocks = services.target_blocks(candidacy)
    form = JuryDecisionForm(request.POST or None, blocks=blocks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verdicts = [
            services.BlockVerdict(
                block=block,
                acquired=data[f"block_{block.pk}"],
                justification=data[f"justification_{block.pk}"],
            )
            for block in blocks
        ]
        try:
            services.record_jury_decision(
                candidacy=candidacy,
                chair=user,
                overall=data["overall"],
                verdicts=verdicts,
                recommendations=data["recommendations"],
                recommended_modules=list(data["recommended_modules"]),
                exempted_modules=list(data["exempted_modules"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded, signed with your name."))
            return redirect("vae:staff-list")
    return render(request, "vae/jury_decision.html", {"candidacy": candidacy, "form": form})
