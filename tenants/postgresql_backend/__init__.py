"""The database backend: django-tenants' PostgreSQL backend that also takes the region's role."""
