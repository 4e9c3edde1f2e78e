"""CustDesk: a desktop client database for small firms."""

__version__ = "0.1.0"
APP_NAME = "CustDesk"
ORG_NAME = "CustDesk"
