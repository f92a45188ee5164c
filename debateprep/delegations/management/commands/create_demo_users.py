import secrets

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from debateprep.delegations.models import Delegation, Membership

RESET_HINT = "python manage.py create_demo_users --reset"


class Command(BaseCommand):
    help = "Create a demo editor and a demo delegate (lead of a delegation) with random passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delegation", default="ROU", help="Code of the delegate's delegation."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Give existing demo users new passwords."
        )

    def handle(self, *args, delegation, reset, **options):
        try:
            delegation = Delegation.objects.get(code=delegation)
        except Delegation.DoesNotExist as error:
            message = f"No delegation {delegation}: run load_delegations first."
            raise CommandError(message) from error

        editor, password = self._user("editor", "Demo Editor", reset, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        self._report(editor, password, "editor: manages debates, delegations and people at /admin/")

        delegate, password = self._user("delegate", "Demo Delegate", reset)
        Membership.objects.update_or_create(
            user=delegate, delegation=delegation, defaults={"role": Membership.Role.LEAD}
        )
        self._report(delegate, password, f"delegate: lead of the delegation of {delegation}")

    def _user(self, username: str, full_name: str, reset: bool, **flags):
        first, last = full_name.split()
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, **flags}
        )
        if not created and not reset:
            return user, None
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        return user, password

    def _report(self, user: User, password: str | None, role: str) -> None:
        if password:
            self.stdout.write(f"{user.username}: password {password} ({role})")
        else:
            self.stdout.write(
                f"{user.username}: exists, password unchanged ({role}; a new one: {RESET_HINT})"
            )
