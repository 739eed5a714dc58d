"""Whether an article's publication date was found (False: published_at is when it was submitted).

Existing rows are taken as known (True, the default): a constant default, so PostgreSQL adds the
column without rewriting the table. Articles fetched earlier from a page with no date cannot be
told apart now; a reviewer who corrects one's date in the admin marks it known.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0012_extraction_restarts'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='published_known',
            field=models.BooleanField(default=True, editable=False),
        ),
    ]
