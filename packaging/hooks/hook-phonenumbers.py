"""PyInstaller hook for phonenumbers, used instead of the contributed one (packaging/custdesk.spec).

The contributed hook collects every submodule, including the geocoder, carrier and time-zone data
(~45 MB) that CustDesk never uses: it only parses, validates and formats numbers. The metadata of each
region and of short numbers is imported lazily, the first time a number of that region is seen, so it
is listed here.
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("phonenumbers.data") + collect_submodules("phonenumbers.shortdata")
