# Assessment status changes share lms.core.models.StatusChange: "note" becomes "reason",
# and the shared fields and the statuses get their verbose names. No data changes; the column is renamed.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grading', '0002_coordinator_exchange_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='assessmentstatuschange',
            old_name='note',
            new_name='reason',
        ),
        migrations.AlterField(
            model_name='assessmentstatuschange',
            name='reason',
            field=models.TextField(blank=True, verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='assessmentstatuschange',
            name='changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='assessmentstatuschange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by'),
        ),
        migrations.AlterField(
            model_name='assessmentstatuschange',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', 'Draft'), ('ready_for_review', 'Ready for review'), ('released', 'Released')], max_length=20, verbose_name='previous status'),
        ),
        migrations.AlterField(
            model_name='assessmentstatuschange',
            name='to_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('ready_for_review', 'Ready for review'), ('released', 'Released')], max_length=20, verbose_name='new status'),
        ),
    
    ]
