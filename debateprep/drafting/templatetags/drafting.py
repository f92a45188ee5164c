from django import template
from django.contrib.humanize.templatetags.humanize import naturalday
from django.utils.formats import time_format
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext

register = template.Library()


@register.filter
def saved_when(moment) -> str:
    """ "Saved at 14:02" today, "Saved yesterday at 14:02" or "Saved 3 December at 14:02"
    before: the line every autosave's reply redraws, in one call rather than a dozen tags."""
    moment = localtime(moment)
    time = time_format(moment, "TIME_FORMAT")
    if moment.date() == localdate():
        return gettext("Saved at %(time)s") % {"time": time}
    day = naturalday(moment, "MONTH_DAY_FORMAT")
    return gettext("Saved %(day)s at %(time)s") % {"day": day, "time": time}
