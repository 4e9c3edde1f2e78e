"""Widgets of the CustDesk window."""
