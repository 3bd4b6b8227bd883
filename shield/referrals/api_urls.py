"""The referrals app's API under /api/v1/referrals/: one route list per part."""

from shield.referrals.directory import api_urls as directory
from shield.referrals.lifecycle import api_urls as lifecycle
from shield.referrals.shelters import api_urls as shelters
from shield.referrals.support import api_urls as support

urlpatterns = directory.urlpatterns + lifecycle.urlpatterns + shelters.urlpatterns + support.urlpatterns
