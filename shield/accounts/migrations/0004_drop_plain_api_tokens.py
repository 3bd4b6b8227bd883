"""Remove the plain API keys rest_framework.authtoken kept (that app is no longer installed).

Its table held every key in clear and nothing reads it any more; leaving it would leave working
secrets at rest. Clients sign in again for a hashed, expiring token. Reversing restores nothing
(the keys are gone by design); installing that app again would create an empty table.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

PLAIN_TOKEN_TABLE = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TOKEN_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(PLAIN_TOKEN_TABLE)}")
    # Forget its migrations too, so installing the app again would create the table afresh.
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_tokens")]

    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop)]
