"""The returns app's API under /api/v1/returns/: one route list per part."""

from shield.returns.alerts import api_urls as alerts
from shield.returns.followup import api_urls as followup
from shield.returns.reception import api_urls as reception
from shield.returns.reception.support_api import support_urlpatterns

urlpatterns = reception.urlpatterns + followup.urlpatterns + alerts.urlpatterns + support_urlpatterns
