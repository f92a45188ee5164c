"""The members page of a delegation, its leads' changes to it, and the invitation link.

The members page is its members' only: others, editors included, get 404 (editors manage
memberships and invitations in the admin). Members without the right to manage get 403 on
the forms' addresses.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debateprep.delegations import policy, services
from debateprep.delegations.forms import InviteForm, JoinForm, LanguageForm, RoleForm
from debateprep.delegations.models import Delegation, Invitation, Membership, Profile
from debateprep.lib.middleware import SESSION_LANGUAGE

logger = logging.getLogger(__name__)
NEW_LINK = "delegations.new_invitation_link"  # session key: the link, shown once to its lead


def _delegation_for(request: HttpRequest, code: str) -> Delegation:
    delegations = Delegation.objects.filter(policy.member_delegations(request.user))
    return get_object_or_404(delegations, code=code)


def _managed(request: HttpRequest, code: str) -> Delegation:
    delegation = _delegation_for(request, code)
    if not policy.can_manage_members(request.user, delegation):
        raise PermissionDenied(_("Only the delegation's leads invite, change and remove members."))
    return delegation


def _back(delegation: Delegation) -> HttpResponse:
    return redirect("delegations:members", delegation.code)


def _members_page(
    request: HttpRequest,
    delegation: Delegation,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    managing = policy.can_manage_members(request.user, delegation)
    memberships = delegation.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )
    members = [
        (
            membership,
            RoleForm(initial={"role": membership.role}, auto_id=f"member-{membership.pk}-%s")
            if managing
            else None,
        )
        for membership in memberships
    ]
    new_link = request.session.pop(NEW_LINK, None)
    context = {
        "delegation": delegation,
        "members": members,
        "invitations": delegation.invitations.filter(accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .order_by("email"),
        "managing": managing,
        "invite_form": (invite_form or InviteForm(auto_id="invite-%s")) if managing else None,
        "new_link": new_link if new_link and new_link["delegation"] == delegation.code else None,
    }
    return render(request, "delegations/members.html", context, status=status)


def _hand_over(request: HttpRequest, invitation: Invitation, token: str) -> None:
    """E-mail the link to the invited address, and show it once to the lead to copy."""
    link = request.build_absolute_uri(reverse("delegations:invitation", args=[token]))
    body = render_to_string(
        "delegations/invitation_email.txt",
        {"invitation": invitation, "link": link, "by": request.user},
    )
    subject = f"Join {invitation.delegation} on DebatePrep"
    try:
        send_mail(subject, body, None, [invitation.email])
        sent = True
    except OSError:
        # The invitation stands: the lead is shown the link and can send it another way.
        logger.exception("The invitation to %s could not be e-mailed", invitation.email)
        sent = False
    request.session[NEW_LINK] = {
        "delegation": invitation.delegation.code,
        "email": invitation.email,
        "link": link,
        "sent": sent,
    }


@require_GET
def members(request: HttpRequest, code: str) -> HttpResponse:
    return _members_page(request, _delegation_for(request, code))


@require_POST
def invite(request: HttpRequest, code: str) -> HttpResponse:
    delegation = _managed(request, code)
    form = InviteForm(request.POST, auto_id="invite-%s")
    if form.is_valid():
        try:
            invitation, token = services.invite(
                delegation=delegation, by=request.user, **form.cleaned_data
            )
        except services.Refused as refusal:
            form.add_error("email", str(refusal))
        else:
            _hand_over(request, invitation, token)
            return _back(delegation)
    return _members_page(request, delegation, invite_form=form, status=422)


def _membership(delegation: Delegation, pk: int) -> Membership:
    return get_object_or_404(delegation.memberships.select_related("user"), pk=pk)


@require_POST
def member_role(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    delegation = _managed(request, code)
    membership = _membership(delegation, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return _back(delegation)
    try:
        membership = services.change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        role = membership.get_role_display().lower()
        messages.success(
            request,
            _("%(name)s is a %(role)s of %(delegation)s.")
            % {"name": services.name_of(membership.user), "role": role, "delegation": delegation},
        )
    return _back(delegation)


@require_POST
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    delegation = _managed(request, code)
    membership = _membership(delegation, pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return _back(delegation)
    name = services.name_of(membership.user)
    messages.success(
        request,
        _("%(name)s is no longer a member of %(delegation)s.")
        % {"name": name, "delegation": delegation},
    )
    return redirect("home") if membership.user == request.user else _back(delegation)


def _open_invitation(delegation: Delegation, pk: int) -> Invitation:
    return get_object_or_404(
        delegation.invitations.filter(accepted_at=None, revoked_at=None), pk=pk
    )


@require_POST
def invitation_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    delegation = _managed(request, code)
    invitation = _open_invitation(delegation, pk)
    if services.revoke_invitation(invitation=invitation, by=request.user):
        messages.success(
            request, _("The invitation of %(email)s is revoked.") % {"email": invitation.email}
        )
    return _back(delegation)


@require_POST
def invitation_renew(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    delegation = _managed(request, code)
    invitation = _open_invitation(delegation, pk)
    try:
        invitation, token = services.renew_invitation(invitation=invitation, by=request.user)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        _hand_over(request, invitation, token)
    return _back(delegation)


@login_not_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A visitor makes an account and joins; a delegate joins with theirs; staff may not."""
    invitations = Invitation.objects.select_related("delegation", "invited_by")
    invitation = get_object_or_404(invitations, token_hash=Invitation.hash_token(token))
    if invitation.state != "pending":
        return _closed(request, invitation)
    user = request.user
    if not policy.can_accept_invitation(user):
        raise PermissionDenied(
            _(
                "This is a staff account (an editor or administrator), which cannot be a member "
                "of a delegation. Log out, then open the link again to make a delegate account."
            )
        )
    form = None if user.is_authenticated else JoinForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                membership = services.accept_invitation(invitation=invitation, user=user)
            else:
                membership = services.join_with_new_account(invitation=invitation, form=form)
                login(request, membership.user, backend="debateprep.lib.accounts.AccountBackend")
        except services.InvitationClosed:
            invitation.refresh_from_db()
            return _closed(request, invitation)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            role = membership.get_role_display().lower()
            messages.success(
                request,
                _("Welcome: you are a %(role)s of %(delegation)s.")
                % {"role": role, "delegation": invitation.delegation},
            )
            return redirect("home")
    context = {
        "invitation": invitation,
        "form": form,
        "already_member": policy.role_in(user, invitation.delegation) is not None,
    }
    status = 422 if form is not None and form.is_bound else 200
    return render(request, "delegations/invitation.html", context, status=status)


def _closed(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    context = {"invitation": invitation}
    return render(request, "delegations/invitation_closed.html", context, status=410)


@login_not_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language menu: kept on the person's profile, in their session and, for the login page
    after they log out, in the browser."""
    form = LanguageForm(request.POST)
    chosen_well = form.is_valid()
    back = form.cleaned_data.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("home")
    response = redirect(back)
    if chosen_well:
        chosen = form.cleaned_data["language"]
        if request.user.is_authenticated:
            Profile.choose_language(request.user, chosen)
            request.session[SESSION_LANGUAGE] = chosen
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
