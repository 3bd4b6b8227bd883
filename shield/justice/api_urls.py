"""The justice app's API under /api/v1/justice/: one route list per part."""

from shield.justice.children import api_urls as children
from shield.justice.detention import api_urls as detention
from shield.justice.proceedings import api_urls as proceedings

urlpatterns = proceedings.urlpatterns + children.urlpatterns + detention.urlpatterns
