from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_login_security"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="language",
            field=models.CharField(blank=True, max_length=10),
        ),
    ]
