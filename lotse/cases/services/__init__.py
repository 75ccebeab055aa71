"""Writes of case management. Every function is atomic and writes its audit event in the same
transaction; callers check access with :mod:`lotse.access.cases` first, the services check the
state of the case (open, closed) and the tenant of everything linked."""
