"""The justice app's pages: one URL list per part."""

from shield.justice.children import urls as children
from shield.justice.detention import urls as detention
from shield.justice.proceedings import urls as proceedings

app_name = "justice"

urlpatterns = proceedings.urlpatterns + children.urlpatterns + detention.urlpatterns
