"""Dialogs of the CustDesk window."""
