from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
EDITOR_PERMISSIONS = {
    "debates": ["add_debate", "change_debate", "delete_debate", "view_debate",
                "add_question", "change_question", "delete_question", "view_question"],
    "drafting": ["add_delegation", "change_delegation", "view_delegation",
                 "add_membership", "change_membership", "delete_membership", "view_membership",
                 "change_statement", "view_statement", "view_answer", "view_revision"],
    "auth": ["add_user", "change_user", "view_user", "view_group"],
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("debates", "0002_initial"),
        ("drafting", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
