"""The returns app's pages: one URL list per part."""

from shield.returns.alerts import urls as alerts
from shield.returns.followup import urls as followup
from shield.returns.reception import urls as reception

app_name = "returns"

urlpatterns = reception.urlpatterns + followup.urlpatterns + alerts.urlpatterns
