"""The referrals app's pages: one URL list per part."""

from shield.referrals.directory import urls as directory
from shield.referrals.lifecycle import urls as lifecycle
from shield.referrals.shelters import urls as shelters
from shield.referrals.support import urls as support

app_name = "referrals"

urlpatterns = directory.urlpatterns + lifecycle.urlpatterns + shelters.urlpatterns + support.urlpatterns
