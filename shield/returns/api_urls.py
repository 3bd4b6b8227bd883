"""The returns app's API under /api/v1/returns/: one route list per part."""

from shield.returns.alerts import api_urls as alerts
from shield.returns.followup import api_urls as followup
from shield.returns.reception import api_urls as reception

urlpatterns = reception.urlpatterns + followup.urlpatterns + alerts.urlpatterns
