import secrets

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from debateprep.drafting.models import Delegation, Membership


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
            raise CommandError(
                f"No delegation {delegation}: run load_delegations first."
            ) from error
        editor = self._user("editor", "Demo Editor", reset, is_staff=True)
        if editor:
            editor.groups.add(Group.objects.get(name="Editors"))
        delegate = self._user("delegate", "Demo Delegate", reset)
        if delegate:
            Membership.objects.update_or_create(
                user=delegate, delegation=delegation, defaults={"role": Membership.Role.LEAD}
            )

    def _user(self, username, full_name, reset, **flags):
        first, last = full_name.split()
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, **flags}
        )
        if not created and not reset:
            self.stdout.write(
                f"{username}: exists, password unchanged (create_demo_users --reset for a new one)"
            )
            return None
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        self.stdout.write(f"{username}: password {password}")
        return user
