from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_member_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="Submission",
            fields=[
                ("token", models.UUIDField(primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
        ),
    ]
