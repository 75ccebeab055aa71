"""Case management views, one module per part of the case (thin: forms validate, services
write, :mod:`lotse.access.cases` decides who sees what)."""
