# The United Nations writes dates as "23 November 2026" and times on the 24-hour clock; Django's
# British English shortens the month and writes "4:30 p.m.".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M, H:i"
