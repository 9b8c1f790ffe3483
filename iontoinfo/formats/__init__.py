"""Our own short date formats per language (FORMAT_MODULE_PATH), for tables.

Django's "M" writes a month's short name capitalised ("Mar"), right in English
but not in Italian, which writes it in lower case ("mar"); "b" is the lower
case one. Templates use `date:"SHORT_DATE_FORMAT"` and get each language's.
"""
