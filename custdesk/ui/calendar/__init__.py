"""The Calendar tab: a month (Qt's own calendar widget) and the entries of a day or of its week."""
