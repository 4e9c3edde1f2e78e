"""Models of the CustDesk window."""
